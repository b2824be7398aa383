"""Kecamatan (or desa) boundaries from a GeoJSON file, kept simplified on each Region.

The maps in the data catalog are drawn on the server as SVG, so a boundary only has to be good
enough for a picture a few hundred pixels wide: coordinates are rounded to 4 decimals (about
11 m) and thinned with Douglas-Peucker, which keeps a page with every kecamatan small enough
for a cheap phone. A file is checked completely before anything is written, and then loaded in
one transaction: a bad file changes nothing.
"""

import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from .models import Region

MAX_BYTES = 50 * 1024 * 1024
DECIMALS = 4
TOLERANCE = 0.0005  # degrees, about 55 m: invisible at the scale of a regency map
GEOMETRY_TYPES = {"Polygon", "MultiPolygon"}


class BoundaryError(Exception):
    """The file cannot be loaded; the message is for the operator."""


@dataclass
class Result:
    loaded: list = field(default_factory=list)  # Kemendagri codes
    unmatched: list = field(default_factory=list)  # (feature number, code as written)
    points: int = 0


def normalise_code(value) -> str:
    """A Kemendagri code as Region stores it ("35.24.01"): files write it dotted or as plain
    digits ("352401"). BPS codes (7 digits for a kecamatan) are a different system and are
    left as they are, so they do not match by accident."""
    text = str(value if value is not None else "").strip()
    if re.fullmatch(r"\d{2}(\.\d{2}){1,2}(\.\d{4})?", text):
        return text
    if re.fullmatch(r"\d{4}|\d{6}|\d{10}", text):
        parts = [text[0:2], text[2:4], text[4:6], text[6:10]]
        return ".".join(p for p in parts if p)
    return text


def _point(raw, where) -> tuple[float, float]:
    if (
        not isinstance(raw, list | tuple)
        or len(raw) < 2
        or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in raw[:2])
    ):
        raise BoundaryError(_("%(where)s: koordinat tidak sah.") % {"where": where})
    lon, lat = float(raw[0]), float(raw[1])
    if not (math.isfinite(lon) and math.isfinite(lat) and -180 <= lon <= 180 and -90 <= lat <= 90):
        raise BoundaryError(
            _("%(where)s: koordinat di luar bujur/lintang (urutannya harus bujur, lintang).")
            % {"where": where}
        )
    return lon, lat


def _perpendicular(point, start, end) -> float:
    (x, y), (x1, y1), (x2, y2) = point, start, end
    dx, dy = x2 - x1, y2 - y1
    if dx == 0 and dy == 0:
        return math.hypot(x - x1, y - y1)
    return abs(dy * x - dx * y + x2 * y1 - y2 * x1) / math.hypot(dx, dy)


def simplify(points: list, tolerance: float) -> list:
    """Douglas-Peucker on an open line (iterative: a ring of 100,000 points must not
    exhaust the recursion limit)."""
    if len(points) < 3 or tolerance <= 0:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        index, distance = 0, -1.0
        for i in range(first + 1, last):
            d = _perpendicular(points[i], points[first], points[last])
            if d > distance:
                index, distance = i, d
        if distance > tolerance:
            keep[index] = True
            stack.append((first, index))
            stack.append((index, last))
    return [p for p, k in zip(points, keep, strict=True) if k]


def _ring(raw, where, tolerance) -> list | None:
    if not isinstance(raw, list) or len(raw) < 4:
        raise BoundaryError(_("%(where)s: cincin poligon kurang dari 4 titik.") % {"where": where})
    points = [_point(p, where) for p in raw]
    if points[0] != points[-1]:
        points.append(points[0])
    # Split the closed ring in two halves so that Douglas-Peucker keeps its shape.
    middle = len(points) // 2
    thinned = simplify(points[: middle + 1], tolerance)[:-1] + simplify(points[middle:], tolerance)
    rounded = []
    for lon, lat in thinned:
        point = [round(lon, DECIMALS), round(lat, DECIMALS)]
        if not rounded or rounded[-1] != point:
            rounded.append(point)
    if len(rounded) < 4:
        return None  # smaller than the map can show
    return rounded


def _polygon(raw, where, tolerance) -> list | None:
    if not isinstance(raw, list) or not raw:
        raise BoundaryError(_("%(where)s: poligon kosong.") % {"where": where})
    rings = [_ring(r, where, tolerance) for r in raw]
    if rings[0] is None:
        return None
    return [r for r in rings if r is not None]


def simplify_geometry(geometry, where, tolerance=TOLERANCE) -> dict:
    if not isinstance(geometry, dict) or geometry.get("type") not in GEOMETRY_TYPES:
        kind = geometry.get("type") if isinstance(geometry, dict) else None
        raise BoundaryError(
            _("%(where)s: geometri %(kind)s; hanya Polygon atau MultiPolygon yang diterima.")
            % {"where": where, "kind": kind or _("kosong")}
        )
    coordinates = geometry.get("coordinates")
    if geometry["type"] == "Polygon":
        polygons = [_polygon(coordinates, where, tolerance)]
    else:
        if not isinstance(coordinates, list) or not coordinates:
            raise BoundaryError(_("%(where)s: poligon kosong.") % {"where": where})
        polygons = [_polygon(p, where, tolerance) for p in coordinates]
    polygons = [p for p in polygons if p]
    if not polygons:
        raise BoundaryError(
            _("%(where)s: wilayah terlalu kecil untuk dipetakan.") % {"where": where}
        )
    if len(polygons) == 1:
        return {"type": "Polygon", "coordinates": polygons[0]}
    return {"type": "MultiPolygon", "coordinates": polygons}


def count_points(geometry: dict) -> int:
    polygons = (
        [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    )
    return sum(len(ring) for polygon in polygons for ring in polygon)


def read(path: Path, max_bytes=MAX_BYTES) -> dict:
    size = path.stat().st_size
    if size > max_bytes:
        raise BoundaryError(
            _("Berkas terlalu besar (%(size)s MB; batas %(max)s MB).")
            % {"size": round(size / 1048576, 1), "max": round(max_bytes / 1048576)}
        )
    try:
        with path.open("rb") as stream:
            data = json.load(stream)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as error:
        raise BoundaryError(_("Berkas ini bukan JSON yang sah.")) from error
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise BoundaryError(_("Berkas harus berupa GeoJSON FeatureCollection."))
    if not isinstance(data.get("features"), list) or not data["features"]:
        raise BoundaryError(_("FeatureCollection ini tidak berisi fitur."))
    return data


def load(
    path: Path,
    code_property: str,
    source: str,
    *,
    skip_unmatched=False,
    tolerance=TOLERANCE,
    max_bytes=MAX_BYTES,
) -> Result:
    """Check every feature, then write all boundaries at once. Features whose code is not a
    region of this installation are reported; they stop the load unless `skip_unmatched`
    (a province-wide file holds other regencies too)."""
    data = read(path, max_bytes)
    regions = {r.kemendagri_code: r for r in Region.objects.only("pk", "kemendagri_code")}
    result = Result()
    boundaries = {}
    for number, feature in enumerate(data["features"], start=1):
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            raise BoundaryError(_("Fitur ke-%(n)d bukan Feature GeoJSON.") % {"n": number})
        properties = feature.get("properties") or {}
        raw = properties.get(code_property) if isinstance(properties, dict) else None
        if raw in (None, ""):
            raise BoundaryError(
                _("Fitur ke-%(n)d tidak punya properti “%(prop)s”.")
                % {"n": number, "prop": code_property}
            )
        code = normalise_code(raw)
        where = _("Fitur ke-%(n)d (%(code)s)") % {"n": number, "code": str(raw)[:30]}
        geometry = simplify_geometry(feature.get("geometry"), where, tolerance)
        if code not in regions:
            result.unmatched.append((number, str(raw)[:30]))
            continue
        if code in boundaries:
            raise BoundaryError(
                _("Kode %(code)s muncul lebih dari sekali (fitur ke-%(n)d).")
                % {"code": code, "n": number}
            )
        boundaries[code] = geometry
        result.points += count_points(geometry)
    if result.unmatched and not skip_unmatched:
        listed = ", ".join(f"#{n} {code}" for n, code in result.unmatched[:20])
        raise BoundaryError(
            _(
                "%(count)d fitur tidak cocok dengan wilayah mana pun di portal ini: %(list)s. "
                "Tidak ada yang dimuat. Periksa --code-property, atau pakai --skip-unmatched "
                "bila berkas memuat wilayah di luar kabupaten ini."
            )
            % {"count": len(result.unmatched), "list": listed}
        )
    if not boundaries:
        raise BoundaryError(_("Tidak ada fitur yang cocok dengan wilayah portal ini."))
    with transaction.atomic():
        for code, geometry in boundaries.items():
            Region.objects.filter(pk=regions[code].pk).update(
                boundary=geometry, boundary_source=source[:255]
            )
    result.loaded = sorted(boundaries)
    return result
