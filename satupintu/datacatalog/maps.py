"""A map of a published table: each kecamatan coloured by a number from the table.

A column qualifies when its values are Kemendagri codes of this regency's kecamatan (read
from `regency.Region`, never assumed); the numbers are summed per code with the same GROUP BY
as the charts. Boundaries come from `Region.boundary` (loaded with `satupintu
load-region-boundaries`); without them the page says so and still gives the ranked table.
The map is SVG paths in an equirectangular projection scaled by the cosine of the middle
latitude, which is exact enough at the scale of one regency.
"""

import math
from dataclasses import dataclass, field

from django.db import connection
from django.utils.html import escape
from django.utils.translation import gettext as _

from satupintu.core.charts import _svg
from satupintu.regency.boundaries import normalise_code
from satupintu.regency.models import RegencySettings, Region

from . import charts, datastore

SAMPLE_ROWS = 200
MIN_SHARE = 0.8  # of the sampled non-empty values that must be kecamatan codes
MAX_COLUMNS_CHECKED = 30
# Sequential blues, light to dark; the darkest two carry white-enough contrast with the
# white borders, and every class is also named in the legend and the table.
PALETTE = ["#deebf7", "#9ecae1", "#6baed6", "#3182bd", "#08519c"]
NO_DATA = "#f3f4f6"


def districts() -> list[Region]:
    """This regency's kecamatan (the codes under the configured regency code)."""
    code = RegencySettings.load().kemendagri_code
    if not code:
        return []
    return list(
        Region.objects.filter(
            level=Region.Level.DISTRICT, kemendagri_code__startswith=code + "."
        ).order_by("kemendagri_code")
    )


def code_columns(key: str, columns: list[dict], regions: list[Region]) -> list[str]:
    """Columns whose first rows hold kecamatan codes of this regency, dotted (35.24.01) or
    as plain digits (352401): at least 80% of the distinct non-empty values sampled."""
    codes = {r.kemendagri_code for r in regions}
    candidates = [c["id"] for c in columns if c["type"] == datastore.TEXT][:MAX_COLUMNS_CHECKED]
    if not codes or not candidates:
        return []
    select = ", ".join(datastore.quote_column(name) for name in candidates)
    table = datastore.table_name(key)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {select} FROM {table} ORDER BY _id LIMIT %s",  # noqa: S608 (quoted names)
            [SAMPLE_ROWS],
        )
        rows = cursor.fetchall()
    found = []
    for index, name in enumerate(candidates):
        values = {normalise_code(row[index]) for row in rows if row[index] not in (None, "")}
        values.discard("")
        if not values:
            continue
        matched = len(values & codes)
        if matched and matched >= MIN_SHARE * len(values):
            found.append(name)
    return found


@dataclass
class Area:
    region: Region
    value: object  # Decimal or None
    colour: str
    band: int | None  # index of the legend class, None without data


@dataclass
class Choropleth:
    code_column: str
    value_column: str
    areas: list  # Area, ranked by value (largest first), regions without data last
    legend: list = field(default_factory=list)  # (colour, low, high)
    unmatched: list = field(default_factory=list)  # (code in the table, value) not kecamatan
    has_boundaries: bool = False
    sources: list = field(default_factory=list)
    svg: str = ""


def _bands(values: list) -> list[tuple]:
    """Equal-interval classes (at most five) between the smallest and largest value."""
    low, high = min(values), max(values)
    if low == high:
        return [(PALETTE[-1], low, high)]
    count = min(len(PALETTE), len(set(values)))
    width = (high - low) / count
    palette = PALETTE if count == len(PALETTE) else PALETTE[len(PALETTE) - count :]
    return [
        (palette[i], low + width * i, high if i == count - 1 else low + width * (i + 1))
        for i in range(count)
    ]


def _band_of(value, bands) -> int:
    for index, (_colour, _low, high) in enumerate(bands):
        if value <= high:
            return index
    return len(bands) - 1


def choropleth(key: str, columns: list[dict], code_column: str, value_column: str, regions):
    """The sum of `value_column` per kecamatan code, coloured in classes."""
    aggregate = charts.aggregate(key, columns, code_column, value_column, limit=1000)
    by_code = {r.kemendagri_code: r for r in regions}
    totals, unmatched = {}, []
    for label, total in aggregate.rows:
        code = normalise_code(label) if label is not None else ""
        if code in by_code:
            if total is None:
                totals.setdefault(code, None)
            else:
                totals[code] = (totals.get(code) or 0) + total
        else:
            unmatched.append((charts.label_text(label), total))
    present = [v for v in totals.values() if v is not None]
    bands = _bands(present) if present else []
    areas = []
    for region in regions:
        value = totals.get(region.kemendagri_code)
        if value is None:
            areas.append(Area(region, None, NO_DATA, None))
        else:
            band = _band_of(value, bands)
            areas.append(Area(region, value, bands[band][0], band))
    areas.sort(key=lambda a: (a.value is None, -(a.value or 0), a.region.kemendagri_code))
    result = Choropleth(
        code_column=code_column,
        value_column=value_column,
        areas=areas,
        legend=bands,
        unmatched=unmatched,
    )
    drawn = [a for a in areas if a.region.boundary]
    if drawn:
        result.has_boundaries = True
        result.sources = sorted(
            {a.region.boundary_source for a in drawn if a.region.boundary_source}
        )
        title = _("Peta %(value)s per kecamatan") % {"value": value_column}
        desc = _(
            "Setiap kecamatan diwarnai menurut total %(value)s; warna lebih gelap berarti "
            "angka lebih besar. Angka yang sama ada di tabel di bawah peta."
        ) % {"value": value_column}
        result.svg = draw(drawn, title, desc)
    return result


def _polygons(geometry: dict) -> list:
    if geometry.get("type") == "Polygon":
        return [geometry["coordinates"]]
    if geometry.get("type") == "MultiPolygon":
        return geometry["coordinates"]
    return []


def draw(areas: list, title: str, desc: str, width=640, max_height=720, pad=8) -> str:
    rings = [
        (area, ring)
        for area in areas
        for polygon in _polygons(area.region.boundary)
        for ring in polygon
    ]
    lons = [p[0] for _a, ring in rings for p in ring]
    lats = [p[1] for _a, ring in rings for p in ring]
    min_lon, max_lon, min_lat, max_lat = min(lons), max(lons), min(lats), max(lats)
    kx = math.cos(math.radians((min_lat + max_lat) / 2))
    span_x = (max_lon - min_lon) * kx or 1e-6
    span_y = (max_lat - min_lat) or 1e-6
    scale = min((width - 2 * pad) / span_x, (max_height - 2 * pad) / span_y)
    height = round(span_y * scale + 2 * pad)
    width = round(span_x * scale + 2 * pad)

    def project(point):
        return (
            f"{pad + (point[0] - min_lon) * kx * scale:.1f} "
            f"{pad + (max_lat - point[1]) * scale:.1f}"
        )

    body = []
    for area in areas:
        d = []
        for polygon in _polygons(area.region.boundary):
            for ring in polygon:
                d.append("M" + "L".join(project(p) for p in ring) + "Z")
        value = charts.format_number(area.value)
        body.append(
            f'<path d="{"".join(d)}" fill="{area.colour}" fill-rule="evenodd" stroke="#1a1a1a" '
            f'stroke-width="0.6"><title>{escape(area.region.name)}: {escape(value)}</title></path>'
        )
    return _svg(width, height, title, desc, body)
