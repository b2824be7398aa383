"""CSV and XLSX downloads, written the same way everywhere.

Cells that come from people's input are neutralised against formula injection (a cell that
starts with = + - @ is stored as text); CSV gets a byte-order mark so that Excel in Indonesian
locales opens UTF-8 correctly.
"""

import csv
import io

from django.http import HttpResponse

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def safe_cell(value):
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def csv_bytes(header, rows) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([str(h) for h in header])
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def xlsx_bytes(sheets) -> bytes:
    """`sheets`: [(title, header, rows, column widths or None)]; the header row is bold and
    frozen with the first column. Written in openpyxl's streaming mode: a full compliance
    matrix (tens of thousands of rows) is written in a fraction of the time and memory."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    bold = Font(bold=True)
    for title, header, rows, widths in sheets:
        sheet = book.create_sheet(title=str(title)[:31])
        sheet.freeze_panes = "B2"
        for index, width in enumerate(widths or [], start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        cells = []
        for name in header:
            cell = WriteOnlyCell(sheet, value=str(name))
            cell.font = bold
            cells.append(cell)
        sheet.append(cells)
        for row in rows:
            sheet.append([safe_cell(v) for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def download(content: bytes, filename: str) -> HttpResponse:
    kind = "text/csv; charset=utf-8" if filename.endswith(".csv") else XLSX_TYPE
    response = HttpResponse(content, content_type=kind)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
