"""The document extractor, fed real and hostile files built on the spot."""

import io
import struct
import subprocess
import sys
import time
import zipfile
import zlib

import pytest
from openpyxl import Workbook
from pypdf import PdfWriter

from satupintu.search import extract
from satupintu.search.extract import MAX_TEXT_CHARS, Extracted, extract_text

PHRASE = "Persyaratan perizinan usaha mikro"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


# ---------------------------------------------------------------- fixture builders


def make_pdf(pages, compressed_stream=None):
    """A hand-written PDF, one text line per entry; xref offsets are exact."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        None,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    kids = []
    for lines in pages:
        ops = ["BT /F1 11 Tf 14 TL 72 770 Td"]
        for line in lines:
            escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
            ops.append(f"({escaped}) Tj T*")
        ops.append("ET")
        stream = "\n".join(ops).encode("latin-1")
        extra = b""
        if compressed_stream is not None:
            stream, extra = compressed_stream, b" /Filter /FlateDecode"
        objects.append(
            b"<< /Length %d%s >>\nstream\n" % (len(stream), extra) + stream + b"\nendstream"
        )
        content_ref = len(objects)
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % content_ref
        )
        kids.append(len(objects))
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % k for k in kids),
        len(kids),
    )
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


def docx_xml(paragraphs):
    body = "".join(f"<w:p><w:r><w:t>{p}</w:t></w:r></w:p>" for p in paragraphs)
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<w:document xmlns:w="{W_NS}"><w:body>{body}</w:body></w:document>'
    ).encode()


def make_docx(path, document_xml):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        zf.writestr("word/document.xml", document_xml)
    return path


def make_odf(path, mimetype, content_xml):
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("mimetype", mimetype, compress_type=zipfile.ZIP_STORED)
        zf.writestr("content.xml", content_xml, compress_type=zipfile.ZIP_DEFLATED)
    return path


def raw_zip(entries):
    """A zip written by hand, so headers can say whatever a hostile uploader wants."""
    out = io.BytesIO()
    central = []
    for name, method, data, crc, size in entries:
        offset = out.tell()
        encoded = name.encode()
        out.write(
            struct.pack(
                "<4s2B4HL2L2H",
                b"PK\x03\x04",
                20,
                0,
                0,
                method,
                0,
                0x21,
                crc,
                len(data),
                size,
                len(encoded),
                0,
            )
        )
        out.write(encoded)
        out.write(data)
        central.append(
            struct.pack(
                "<4s4B4HL2L5H2L",
                b"PK\x01\x02",
                20,
                3,
                20,
                0,
                0,
                method,
                0,
                0x21,
                crc,
                len(data),
                size,
                len(encoded),
                0,
                0,
                0,
                0,
                0,
                offset,
            )
            + encoded
        )
    start = out.tell()
    for record in central:
        out.write(record)
    out.write(
        struct.pack(
            "<4s4H2LH",
            b"PK\x05\x06",
            0,
            0,
            len(central),
            len(central),
            out.tell() - start,
            start,
            0,
        )
    )
    return out.getvalue()


def deflated_zeros(megabytes):
    """Raw deflate of that many MiB of zeros, built from one repeated block: about 1 KiB/MiB."""
    chunk = b"\0" * (1 << 20)
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = comp.compress(chunk) + comp.flush(zlib.Z_SYNC_FLUSH)
    middle = comp.compress(chunk) + comp.flush(zlib.Z_SYNC_FLUSH)
    assert comp.compress(chunk) + comp.flush(zlib.Z_SYNC_FLUSH) == middle
    last = comp.compress(chunk) + comp.flush()
    return first + middle * (megabytes - 2) + last


def write(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    return path


# ---------------------------------------------------------------- real documents


def test_pdf_text_is_extracted(tmp_path):
    pdf = write(tmp_path, "dok.pdf", make_pdf([[PHRASE, "Dinas Penanaman Modal"], ["Halaman 2"]]))
    result = extract_text(pdf)
    assert result.status == "ok", result
    assert PHRASE in result.text
    assert "Halaman 2" in result.text
    assert result.detail == "PDF, 2 pages"


def test_pdf_without_text_is_kosong(tmp_path):
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    path = tmp_path / "pindaian.pdf"
    with open(path, "wb") as fh:
        writer.write(fh)
    result = extract_text(path)
    assert (result.status, result.text) == ("kosong", "")


def test_docx_paragraphs_tabs_and_breaks(tmp_path):
    xml = (
        f'<w:document xmlns:w="{W_NS}"><w:body>'
        f'<w:p><w:r><w:t>Persyaratan</w:t></w:r><w:r><w:t xml:space="preserve"> perizinan'
        f"</w:t><w:tab/><w:t>usaha mikro</w:t></w:r></w:p>"
        f"<w:p><w:r><w:t>Baris satu</w:t><w:br/><w:t>Baris dua</w:t></w:r></w:p>"
        f"<w:p><w:r><w:delText>terhapus</w:delText></w:r></w:p>"
        f"</w:body></w:document>"
    ).encode()
    result = extract_text(make_docx(tmp_path / "a.docx", xml))
    assert result == Extracted(
        "Persyaratan perizinan usaha mikro\nBaris satu\nBaris dua", "ok", "DOCX"
    )


def test_xlsx_values_and_sheet_names(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.title = "Perizinan"
    ws.append(["Jenis izin", "Biaya"])
    ws.append([PHRASE, 150000.0])
    ws["D9"] = "=B2*2"  # a formula without cached value has no text
    other = wb.create_sheet("Rekap 2025")
    other["A1"] = "Total layanan"
    path = tmp_path / "data.xlsx"
    wb.save(path)
    result = extract_text(path, "data.xlsx")
    assert result.status == "ok", result
    assert result.text.splitlines() == [
        "Perizinan",
        "Jenis izin Biaya",
        f"{PHRASE} 150000",
        "",
        "Rekap 2025",
        "Total layanan",
    ]
    assert "B2" not in result.text


def test_odt_text(tmp_path):
    content = (
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text>'
        "<text:h>Standar Pelayanan</text:h>"
        "<text:p>Persyaratan<text:s/>perizinan <text:span>usaha</text:span> mikro</text:p>"
        "<text:p>Waktu<text:tab/>3 hari<text:line-break/>Biaya gratis</text:p>"
        "</office:text></office:body></office:document-content>"
    )
    path = make_odf(tmp_path / "sp.odt", "application/vnd.oasis.opendocument.text", content)
    result = extract_text(path)
    assert result == Extracted(
        "Standar Pelayanan\nPersyaratan perizinan usaha mikro\nWaktu 3 hari\nBiaya gratis",
        "ok",
        "ODT",
    )


def test_ods_cells_without_expanding_repeats(tmp_path):
    content = (
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
        ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0">'
        '<office:body><office:spreadsheet><table:table table:name="Izin">'
        "<table:table-row><table:table-cell><text:p>Usaha</text:p></table:table-cell>"
        "<table:table-cell><text:p>mikro</text:p></table:table-cell></table:table-row>"
        '<table:table-row><table:table-cell table:number-columns-repeated="1000000">'
        "<text:p>ulang</text:p></table:table-cell></table:table-row>"
        "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    path = make_odf(tmp_path / "t.ods", "application/vnd.oasis.opendocument.spreadsheet", content)
    result = extract_text(path)
    assert result == Extracted("Izin\nUsaha mikro\nulang", "ok", "ODS")


def test_csv_and_txt(tmp_path):
    csv = write(tmp_path, "izin.csv", f"no,nama\n1,{PHRASE}\r\n2,  Izin   lokasi \n".encode())
    assert extract_text(csv) == Extracted(
        f"no,nama\n1,{PHRASE}\n2, Izin lokasi", "ok", "text, utf-8"
    )
    legacy = write(tmp_path, "upload-7f3a", "Biaya Rp 5.000 \u2013 gratis".encode("cp1252"))
    result = extract_text(legacy, "catatan.TXT")
    assert result == Extracted("Biaya Rp 5.000 \u2013 gratis", "ok", "text, cp1252")


# ---------------------------------------------------------------- hostile files


def test_zip_bomb_docx_is_refused_quickly(tmp_path):
    size = 1 << 30  # 1 GiB of zeros in about 1 MiB
    crc = 0
    chunk = b"\0" * (1 << 20)
    for _ in range(1024):
        crc = zlib.crc32(chunk, crc)
    data = raw_zip([("word/document.xml", zipfile.ZIP_DEFLATED, deflated_zeros(1024), crc, size)])
    path = write(tmp_path, "bom.docx", data)
    started = time.monotonic()
    result = extract_text(path)
    assert result.status == "rusak"
    assert "zip bomb" in result.detail
    assert time.monotonic() - started < 5


def test_high_ratio_member_is_refused(tmp_path):
    # Under the absolute member limit, but 40 MiB out of a few KiB is no honest document.
    data = deflated_zeros(40)
    crc = zlib.crc32(b"\0" * (40 << 20))
    path = write(
        tmp_path,
        "r.docx",
        raw_zip([("word/document.xml", zipfile.ZIP_DEFLATED, data, crc, 40 << 20)]),
    )
    result = extract_text(path)
    assert result.status == "rusak"
    assert "ratio" in result.detail


def test_lying_size_header_cannot_smuggle_more_text(tmp_path):
    xml = docx_xml(["rahasia"] * 20000)
    compressed = zlib.compress(xml, 9)[2:-4]  # raw deflate
    path = write(
        tmp_path,
        "bohong.docx",
        raw_zip([("word/document.xml", zipfile.ZIP_DEFLATED, compressed, zlib.crc32(xml), 1000)]),
    )
    result = extract_text(path)
    assert result.status == "rusak"
    assert result.text == ""


def test_billion_laughs_in_docx_is_refused_quickly(tmp_path):
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol%s;" % ("" if i == 1 else i - 1)) * 10}">' for i in range(1, 10)
    )
    xml = (
        f'<?xml version="1.0"?><!DOCTYPE w:document [{entities}]>'
        f'<w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p>'
        f"</w:body></w:document>"
    ).encode()
    started = time.monotonic()
    result = extract_text(make_docx(tmp_path / "lol.docx", xml))
    assert result.status == "rusak"
    assert "XML refused" in result.detail
    assert time.monotonic() - started < 5


def test_xlsx_with_dtd_is_refused(tmp_path):
    wb = Workbook()
    wb.active["A1"] = "aman"
    clean = io.BytesIO()
    wb.save(clean)
    path = tmp_path / "x.xlsx"
    with zipfile.ZipFile(clean) as src, zipfile.ZipFile(path, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename.endswith("sheet1.xml"):
                data = b'<!DOCTYPE worksheet [<!ENTITY e "aman">]>' + data
            dst.writestr(info, data)
    result = extract_text(path)
    assert result.status == "rusak"


def test_pdf_flate_bomb_does_not_escape_limits(tmp_path):
    megabytes = 300
    stream = (
        b"\x78\xda"
        + deflated_zeros(megabytes)
        + struct.pack(">I", (megabytes << 20) % 65521 << 16 | 1)
    )
    path = write(tmp_path, "bom.pdf", make_pdf([["x"]], compressed_stream=stream))
    started = time.monotonic()
    result = extract_text(path, timeout=10)
    assert result.status in {"rusak", "kosong", "terlalu_besar"}
    assert time.monotonic() - started < 10


def test_pdf_with_looping_page_tree(tmp_path):
    data = make_pdf([["x"]]).replace(b"/Kids [5 0 R]", b"/Kids [2 0 R]")
    result = extract_text(write(tmp_path, "loop.pdf", data))
    assert result.status in {"rusak", "kosong"}


@pytest.mark.parametrize(
    "data",
    [
        b"<html><body><script>alert(document.cookie)</script></body></html>",
        b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\0" * 200,
        b"\x7fELF\x02\x01\x01" + b"\0" * 200,
    ],
    ids=["html", "windows-exe", "elf"],
)
def test_non_pdf_named_pdf_is_refused(tmp_path, data):
    result = extract_text(write(tmp_path, "laporan.pdf", data))
    assert (result.status, result.text) == ("rusak", "")


def test_corrupt_pdf_is_rusak(tmp_path):
    result = extract_text(write(tmp_path, "x.pdf", b"%PDF-1.7\n" + b"\x00garbage" * 100))
    assert result.status == "rusak"


def test_unsupported_and_odd_inputs(tmp_path):
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\0" * 64
    assert extract_text(write(tmp_path, "foto.png", png)).status == "tidak_didukung"
    plain_zip = io.BytesIO()
    with zipfile.ZipFile(plain_zip, "w") as zf:
        zf.writestr("catatan.txt", PHRASE)
    assert extract_text(write(tmp_path, "a.zip", plain_zip.getvalue())).status == "tidak_didukung"
    assert extract_text(tmp_path / "tidak-ada.pdf").status == "rusak"
    assert extract_text(tmp_path).status == "rusak"
    assert extract_text(write(tmp_path, "kosong.txt", b"")).status == "kosong"
    nul = extract_text(write(tmp_path, "biner.txt", b"teks" + b"a" * 9000 + b"\0"))
    assert nul.status == "rusak"


def test_file_over_max_bytes_is_not_opened(tmp_path, monkeypatch):
    def forbidden(*args, **kwargs):
        raise AssertionError("the file must not be parsed")

    monkeypatch.setattr(extract, "_run_child", forbidden)
    path = write(tmp_path, "besar.txt", b"a" * 2000)
    assert extract_text(path, max_bytes=1000).status == "terlalu_besar"


def test_slow_child_is_killed(tmp_path, monkeypatch):
    monkeypatch.setattr(
        extract, "_child_command", lambda *a: [sys.executable, "-c", "import time; time.sleep(30)"]
    )
    started = time.monotonic()
    result = extract_text(write(tmp_path, "a.txt", PHRASE.encode()), timeout=0.5)
    assert result.status == "waktu_habis"
    assert time.monotonic() - started < 5


def test_tiny_timeout_on_a_real_file(tmp_path):
    pdf = write(tmp_path, "dok.pdf", make_pdf([[PHRASE] * 40] * 20))
    assert extract_text(pdf, timeout=0.01).status == "waktu_habis"


def test_long_text_is_truncated_not_failed(tmp_path):
    words = (PHRASE + " ") * (MAX_TEXT_CHARS // len(PHRASE) + 500)
    result = extract_text(write(tmp_path, "panjang.txt", words.encode()))
    assert result.status == "ok"
    assert MAX_TEXT_CHARS - 1 <= len(result.text) <= MAX_TEXT_CHARS
    assert "truncated" in result.detail
    docx = extract_text(
        make_docx(tmp_path / "p.docx", docx_xml(f"{PHRASE} nomor {i}" for i in range(30000)))
    )
    assert docx.status == "ok"
    assert len(docx.text) <= MAX_TEXT_CHARS
    assert "truncated" in docx.detail


def test_child_needs_no_django_and_no_parent_secrets(tmp_path, monkeypatch):
    monkeypatch.setenv("DJANGO_SECRET_KEY", "rahasia")
    assert "DJANGO_SECRET_KEY" not in extract._child_env()
    path = write(tmp_path, "a.txt", PHRASE.encode())
    probe = (
        "import os, runpy, sys\n"
        f"sys.argv = ['x', '--kind', 'text', '--cpu', '5', '--memory', '{1 << 30}',"
        f" '--max-bytes', '1000', '--', {str(path)!r}]\n"
        "try:\n    runpy.run_module('satupintu.search.extract', run_name='__main__')\n"
        "except SystemExit:\n    pass\n"
        "os._exit(3 if any(m.split('.')[0] == 'django' for m in sys.modules) else 0)\n"
    )
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-E", "-c", probe],
        cwd=extract._IMPORT_ROOT,
        env=extract._child_env(),
        capture_output=True,
        timeout=30,
        check=False,
    )
    assert done.returncode == 0
    assert b'"status": "ok"' in done.stdout
