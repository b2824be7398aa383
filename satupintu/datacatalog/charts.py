"""Charts of a published table: one SQL GROUP BY over the version's datastore table, drawn as
SVG on the server (no JavaScript, no chart library), always with the same numbers as a table.

Column names come only from the version's stored column list (a name the table does not have
is refused before any SQL is built) and are quoted by the datastore; no value from the request
ever reaches the SQL text.
"""

import decimal
from dataclasses import dataclass

from django.db import connection
from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.translation import gettext as _

from satupintu.core.charts import COLOURS, _svg

from . import datastore

MAX_CATEGORIES = 50
NUMERIC_TYPES = (datastore.INTEGER, datastore.NUMERIC)


class ChartError(ValueError):
    """A chart the table cannot give (unknown or non-numeric column); the message is for
    the user."""


@dataclass
class Aggregate:
    category: str
    value: str
    rows: list  # [(label or None, Decimal or None)]
    truncated: bool  # more categories than shown

    @property
    def items(self):
        """(label, float) pairs for drawing; an empty category is named, a NULL sum is 0."""
        return [(label_text(label), float(total or 0)) for label, total in self.rows]


def label_text(label) -> str:
    return _("(kosong)") if label is None or str(label).strip() == "" else str(label)


def numeric_columns(columns: list[dict]) -> list[dict]:
    return [c for c in columns if c["type"] in NUMERIC_TYPES]


def _as_decimal(value):
    if value is None:
        return None
    number = decimal.Decimal(str(value))
    return number.quantize(decimal.Decimal(1)) if number == number.to_integral_value() else number


def format_number(value) -> str:
    """A number as people read it in the active language (1.234,5 in Indonesian), with at
    most two decimals."""
    if value is None:
        return "\u2014"
    if isinstance(value, float):
        value = decimal.Decimal(str(round(value, 2)))
    if isinstance(value, decimal.Decimal):
        if value == value.to_integral_value():
            value = int(value)
        else:
            value = value.quantize(decimal.Decimal("0.01"))
    return number_format(value, use_l10n=True, force_grouping=True)


def aggregate(
    key: str, columns: list[dict], category: str, value: str, *, order="value", limit=None
) -> Aggregate:
    """The sum of `value` per distinct `category`, largest first (`order="value"`) or in the
    category's own order (`order="category"`, for a line over years or months). At most
    `limit` categories (MAX_CATEGORIES by default) are returned."""
    types = {c["id"]: c["type"] for c in columns}
    if category not in types:
        raise ChartError(_("Kolom “%(name)s” tidak ada.") % {"name": str(category)[:60]})
    if value not in types:
        raise ChartError(_("Kolom “%(name)s” tidak ada.") % {"name": str(value)[:60]})
    if types[value] not in NUMERIC_TYPES:
        raise ChartError(
            _("Kolom “%(name)s” bukan kolom angka; pilih kolom angka untuk dijumlahkan.")
            % {"name": value}
        )
    limit = MAX_CATEGORIES if limit is None else limit
    table = datastore.table_name(key)
    cat_sql = datastore.quote_column(category)
    val_sql = datastore.quote_column(value)
    if connection.vendor != "postgresql" and types[value] == datastore.NUMERIC:
        # The embedded loader keeps decimals as text.
        val_sql = f"CAST({val_sql} AS REAL)"
    # Empty sums and empty categories last, the same on PostgreSQL and SQLite (whose NULLs
    # sort differently).
    last = f"CASE WHEN {cat_sql} IS NULL THEN 1 ELSE 0 END"
    if order == "value":
        order_sql = f"CASE WHEN SUM({val_sql}) IS NULL THEN 1 ELSE 0 END, 2 DESC, {last}, 1 ASC"
    else:
        order_sql = f"{last}, 1 ASC"
    sql = (
        f"SELECT {cat_sql}, SUM({val_sql}) FROM {table} "  # noqa: S608 (names checked and quoted)
        f"GROUP BY {cat_sql} ORDER BY {order_sql} LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [limit + 1])
        fetched = cursor.fetchall()
    rows = [(label, _as_decimal(total)) for label, total in fetched[:limit]]
    return Aggregate(category, value, rows, truncated=len(fetched) > limit)


# --- Drawing --------------------------------------------------------------------------------


def bar_chart(items, title, desc, width=720, bar=18, gap=6, label_width=220):
    """Horizontal bars from a zero line, so that negative sums point the other way. Each bar
    carries its number as text, so the picture never depends on colour alone."""
    values = [v for _l, v in items]
    low, high = min([0.0, *values]), max([0.0, *values])
    span = (high - low) or 1.0
    plot = width - label_width - 90
    zero = label_width + plot * (-low / span)
    height = max(len(items), 1) * (bar + gap) + gap
    body = [f'<line x1="{zero:.1f}" y1="0" x2="{zero:.1f}" y2="{height}" stroke="#1a1a1a"/>']
    for i, (label, value) in enumerate(items):
        y = gap + i * (bar + gap)
        end = label_width + plot * ((value - low) / span)
        x, length = min(zero, end), abs(end - zero)
        text_x = max(zero, end) + 4
        body.append(
            f'<text x="{label_width - 6}" y="{y + bar - 5}" text-anchor="end" font-size="12">'
            f"{escape(label[:32])}</text>"
            f'<rect x="{x:.1f}" y="{y}" width="{max(length, 1 if value else 0):.1f}" '
            f'height="{bar}" fill="{COLOURS[0]}"><title>{escape(label)}: '
            f"{escape(format_number(_plain(value)))}</title></rect>"
            f'<text x="{text_x:.1f}" y="{y + bar - 5}" font-size="12">'
            f"{escape(format_number(_plain(value)))}</text>"
        )
    return _svg(width, height, title, desc, body)


def line_chart(items, title, desc, width=720, height=280):
    """One line over the categories in their order, with the first, last and evenly spaced
    category labels under the axis and a marker on every point."""
    pad_left, pad_right, pad_top, pad_bottom = 70, 20, 14, 40
    plot_w, plot_h = width - pad_left - pad_right, height - pad_top - pad_bottom
    values = [v for _l, v in items]
    low, high = min([0.0, *values]), max([0.0, *values])
    span = (high - low) or 1.0

    def y_of(v):
        return pad_top + plot_h - plot_h * (v - low) / span

    step = plot_w / max(len(items) - 1, 1)
    base = y_of(0.0)
    body = [
        f'<line x1="{pad_left}" y1="{base:.1f}" x2="{width - pad_right}" y2="{base:.1f}" '
        f'stroke="#1a1a1a"/>'
        f'<line x1="{pad_left}" y1="{pad_top}" x2="{pad_left}" y2="{pad_top + plot_h}" '
        f'stroke="#1a1a1a"/>'
        f'<text x="{pad_left - 6}" y="{pad_top + 10}" text-anchor="end" font-size="11">'
        f"{escape(format_number(_plain(high)))}</text>"
        f'<text x="{pad_left - 6}" y="{base + 4:.1f}" text-anchor="end" font-size="11">0</text>'
    ]
    if low < 0:
        body.append(
            f'<text x="{pad_left - 6}" y="{pad_top + plot_h:.1f}" text-anchor="end" '
            f'font-size="11">{escape(format_number(_plain(low)))}</text>'
        )
    every = max(1, -(-len(items) // 8))
    points = []
    for i, (label, value) in enumerate(items):
        x, y = pad_left + i * step, y_of(value)
        points.append(f"{x:.1f},{y:.1f}")
        body.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{COLOURS[0]}">'
            f"<title>{escape(label)}: {escape(format_number(_plain(value)))}</title></circle>"
        )
        if i % every == 0 or i == len(items) - 1:
            anchor = "start" if i == 0 and len(items) > 1 else "middle"
            if i == len(items) - 1 and len(items) > 1:
                anchor = "end"
            body.append(
                f'<text x="{x:.1f}" y="{height - pad_bottom + 16}" text-anchor="{anchor}" '
                f'font-size="11">{escape(label[:14])}</text>'
            )
    body.insert(
        1,
        f'<polyline fill="none" stroke="{COLOURS[0]}" stroke-width="2" '
        f'points="{" ".join(points)}"/>',
    )
    return _svg(width, height, title, desc, body)


def _plain(value):
    """A float as the number people expect to read: 425.0 → 425."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, float):
        return round(value, 2)
    return value
