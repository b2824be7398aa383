"""The public catalog: the list, a dataset's page, a table's page and the downloads.

Everything shown comes from what the Walidata verified: the frozen package of a public
`PublishedDataset` for the metadata and the resource list, and each resource's
`public_version` for its table and its files. An OPD's edits in progress, a newer upload, a
withdrawn or restricted (terbatas) dataset never reach these views; anything not published
answers 404 on every URL. Pages are plain HTML forms and links (GET), so sorting, filtering,
charts and maps work without JavaScript and may be cached like any public page.
"""

import datetime
import json
import math
import re
import unicodedata
from urllib.parse import urlsplit

from django.core.paginator import Paginator
from django.db.models import Case, Count, IntegerField, Value, When
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from satupintu.home.listings import paginate
from satupintu.opd.models import OPD
from satupintu.regency.models import Region

from .. import charts, datastore, maps, publishing, query
from ..models import Dataset, PublishedDataset, PublishedTerm, Resource, ResourceVersion, Topic

PER_PAGE = 20
MAX_QUERY = 100
MAX_WORDS = 8
TAGS_LISTED = 50
PAGE_SIZES = (25, 50, 100)
# Filters of the list: GET parameter → PublishedTerm field.
FILTERS = {"organisasi": "organization", "topik": "groups", "tag": "tags", "format": "res_format"}
SORTS = ("relevansi", "terbaru", "judul")
# What a download may be served as; anything else (HTML, SVG...) is a plain attachment.
SAFE_MEDIA_TYPES = {
    fmt: media
    for fmt, media in publishing.FORMAT_MEDIA_TYPES.items()
    if fmt in {"CSV", "XLSX", "XLS", "JSON", "PDF", "ODS", "ZIP"}
}
DOWNLOADABLE = (ResourceVersion.State.LOADED, ResourceVersion.State.STORED)
TYPE_LABELS = {
    datastore.TEXT: gettext_lazy("teks"),
    datastore.INTEGER: gettext_lazy("bilangan bulat"),
    datastore.NUMERIC: gettext_lazy("angka"),
    datastore.DATE: gettext_lazy("tanggal"),
    datastore.TIMESTAMP: gettext_lazy("waktu"),
}
# Each form on a table's page keeps the other forms' choices (GET parameters).
PREVIEW_PARAMS = ("q", "kolom", "isi", "baris", "urut", "arah")
CHART_PARAMS = ("grafik_kategori", "grafik_angka", "grafik_jenis")
MAP_PARAMS = ("peta_kode", "peta_angka")


# --- Reading the published layer ------------------------------------------------------------


def _published(name) -> tuple[PublishedDataset, dict]:
    row = PublishedDataset.objects.public().select_related("opd").filter(name=name).first()
    if row is None:
        raise Http404
    return row, json.loads(row.package)


def _package_resource(package, resource_id) -> dict:
    for resource in package["resources"]:
        if resource["id"] == str(resource_id):
            return resource
    raise Http404


def _public_version(row, resource_id) -> tuple[Resource, ResourceVersion | None]:
    """The verified version of a resource in the verified package (never `current`)."""
    resource = (
        Resource.objects.select_related("public_version")
        .filter(pk=resource_id, dataset_id=row.dataset_id)
        .first()
    )
    if resource is None:
        raise Http404
    return resource, resource.public_version


def _hosted(package, resource) -> bool:
    """A file kept here (its URL is our download route), not a link to elsewhere. The path
    is compared, not the whole URL, so that a change of domain keeps files downloadable."""
    path = publishing.public_path("download", package["name"], resource["id"])
    return urlsplit(resource.get("url") or "").path == path


def _time(value):
    """A package timestamp (naive UTC) as an aware datetime for the template."""
    if not value:
        return None
    try:
        return datetime.datetime.fromisoformat(value).replace(tzinfo=datetime.UTC)
    except ValueError:
        return None


def _date(value):
    try:
        return datetime.date.fromisoformat(value) if value else None
    except ValueError:
        return None


# --- The list ---------------------------------------------------------------------------------


def catalog(request):
    query_text = " ".join(request.GET.get("q", "").split())[:MAX_QUERY]
    words = query_text.lower().split()[:MAX_WORDS]
    chosen = {param: request.GET.get(param, "").strip()[:100] for param in FILTERS}
    sort = request.GET.get("urut", "")
    if sort not in SORTS:
        sort = "relevansi" if words else "terbaru"

    public = PublishedDataset.objects.public()
    results = public
    for word in words:
        results = results.filter(search_text__contains=word)
    for param, field in FILTERS.items():
        if chosen[param]:
            results = results.filter(
                pk__in=PublishedTerm.objects.filter(field=field, value=chosen[param]).values(
                    "dataset_id"
                )
            )
    if sort == "judul":
        results = results.order_by("title", "name")
    elif sort == "relevansi" and words:
        score = Value(0)
        for word in words:
            score = (
                score
                + Case(When(title__icontains=word, then=Value(3)), default=Value(0))
                + Case(When(name__icontains=word, then=Value(1)), default=Value(0))
            )
        results = results.annotate(
            score=Case(
                When(title__iexact=query_text, then=Value(100)),
                default=score,
                output_field=IntegerField(),
            )
        ).order_by("-score", "-metadata_modified", "name")
    else:
        results = results.order_by("-metadata_modified", "name")

    page = paginate(request, results.only("name", "package", "metadata_modified"), PER_PAGE)
    items = []
    for row in page:
        package = json.loads(row.package)
        items.append(
            {
                "name": row.name,
                "title": package["title"],
                "organization": package["organization"]["title"],
                "notes": package["notes"],
                "formats": sorted({r["format"] for r in package["resources"] if r["format"]}),
                "modified": row.metadata_modified,
                "priority": any(
                    e["key"] == "data_prioritas" and e["value"] == "ya" for e in package["extras"]
                ),
            }
        )
    filtered = bool(words or any(chosen.values()))
    return render(
        request,
        "datacatalog/public/catalog.html",
        {
            "page": page,
            "items": items,
            "query": query_text,
            "chosen": chosen,
            "facets": _facets(chosen),
            "sort": sort,
            "sorts": [
                ("relevansi", _("Paling cocok")),
                ("terbaru", _("Terbaru")),
                ("judul", _("Judul (A–Z)")),
            ],
            "filtered": filtered,
            "empty_catalog": not page.paginator.count and (not filtered or not public.exists()),
        },
    )


def _facets(chosen) -> dict:
    """The values each filter offers, with how many public datasets carry them (one query
    for the counts, one each for OPD and topic names)."""
    counts = (
        PublishedTerm.objects.filter(dataset__private=False, field__in=FILTERS.values())
        .values("field", "value")
        .annotate(n=Count("dataset", distinct=True))
        .order_by("field", "value")
    )
    by_field = {field: [] for field in FILTERS.values()}
    for entry in counts:
        by_field[entry["field"]].append((entry["value"], entry["n"]))
    names = dict(
        OPD.objects.filter(slug__in=[v for v, _n in by_field["organization"]]).values_list(
            "slug", "name"
        )
    )
    titles = dict(
        Topic.objects.filter(name__in=[v for v, _n in by_field["groups"]]).values_list(
            "name", "title"
        )
    )
    tags = sorted(by_field["tags"], key=lambda t: (-t[1], t[0]))[:TAGS_LISTED]
    if chosen["tag"] and chosen["tag"] not in {t for t, _n in tags}:
        tags += [t for t in by_field["tags"] if t[0] == chosen["tag"]]
    return {
        "organisasi": sorted(
            ((v, names.get(v, v), n) for v, n in by_field["organization"]), key=lambda o: o[1]
        ),
        "topik": sorted(
            ((v, titles.get(v, v), n) for v, n in by_field["groups"]), key=lambda t: t[1]
        ),
        "tag": sorted((v, v, n) for v, n in tags),
        "format": [(v, v, n) for v, n in by_field["res_format"]],
    }


# --- A dataset --------------------------------------------------------------------------------


def dataset(request, name):
    row, package = _published(name)
    extras = {e["key"]: e["value"] for e in package["extras"]}
    start, _sep, end = extras.get("cakupan_waktu", "").partition("/")
    codes = [c for c in extras.get("kode_wilayah", "").split(",") if c]
    regions = list(Region.objects.filter(kemendagri_code__in=codes).order_by("kemendagri_code"))
    frequencies = dict(Dataset._meta.get_field("frequency").choices)
    resources = []
    for resource in package["resources"]:
        hosted = _hosted(package, resource)
        resources.append(
            {
                **resource,
                "hosted": hosted,
                "modified": _time(resource.get("last_modified")),
                "page": reverse("datacatalog:resource", args=[name, resource["id"]]),
                "download": reverse("datacatalog:download", args=[name, resource["id"]])
                if hosted
                else resource["url"],
                "dump_csv": f"/datastore/dump/{resource['id']}?format=csv"
                if resource.get("datastore_active")
                else "",
                "dump_json": f"/datastore/dump/{resource['id']}?format=json"
                if resource.get("datastore_active")
                else "",
            }
        )
    api_base = request.build_absolute_uri("/api/3/action/")
    return render(
        request,
        "datacatalog/public/dataset.html",
        {
            "row": row,
            "package": package,
            "extras": extras,
            "frequency": frequencies.get(extras.get("frekuensi", ""), extras.get("frekuensi", "")),
            "period_start": _date(start),
            "period_end": _date(end),
            "regions": regions,
            "region_codes": codes,
            "verified_at": _time(extras.get("tanggal_verifikasi")) or row.metadata_modified,
            "resources": resources,
            "api_package": f"{api_base}package_show?id={package['id']}",
            "api_search": [
                (r["name"], f"{api_base}datastore_search?resource_id={r['id']}&limit=5")
                for r in resources
                if r.get("datastore_active")
            ],
            "dcat": [
                ("text/turtle", f"/dataset/{package['id']}.ttl", "Turtle"),
                ("application/rdf+xml", f"/dataset/{package['id']}.rdf", "RDF/XML"),
                ("application/ld+json", f"/dataset/{package['id']}.jsonld", "JSON-LD"),
            ],
        },
    )


# --- A resource: preview, chart, map --------------------------------------------------------


def _query_url(request, **changes) -> str:
    params = request.GET.copy()
    for key, value in changes.items():
        params.pop(key, None)
        if value not in (None, ""):
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else request.path


def _kept(request, names) -> list[tuple[str, str]]:
    return [(n, request.GET[n][:200]) for n in names if request.GET.get(n)]


def _int(value, default):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def resource(request, name, resource_id):
    row, package = _published(name)
    entry = _package_resource(package, resource_id)
    resource_row, version = _public_version(row, resource_id)
    hosted = _hosted(package, entry)
    context = {
        "row": row,
        "package": package,
        "resource": entry,
        "hosted": hosted,
        "version": version if hosted else None,
        "modified": _time(entry.get("last_modified")),
        "download": reverse("datacatalog:download", args=[name, entry["id"]]),
        "older": [],
    }
    if hosted and version is not None:
        context["older"] = list(
            resource_row.versions.filter(number__lt=version.number, state__in=DOWNLOADABLE)
            .only("number", "original_name", "size", "format", "created_at", "loaded_at")
            .order_by("-number")
        )
    tabular = (
        hosted
        and entry.get("datastore_active")
        and version is not None
        and version.state == ResourceVersion.State.LOADED
    )
    if tabular:
        context["dump_csv"] = f"/datastore/dump/{entry['id']}?format=csv"
        context["dump_json"] = f"/datastore/dump/{entry['id']}?format=json"
        context.update(_preview(request, version))
        context.update(_chart(request, version))
        context.update(_map(request, version))
    context["tabular"] = tabular
    context["dataset_url"] = reverse("datacatalog:dataset", args=[name])
    context["keep_preview"] = _kept(request, CHART_PARAMS + MAP_PARAMS)
    context["keep_chart"] = _kept(request, PREVIEW_PARAMS + MAP_PARAMS)
    context["keep_map"] = _kept(request, PREVIEW_PARAMS + CHART_PARAMS)
    return render(request, "datacatalog/public/resource.html", context)


def _preview(request, version) -> dict:
    columns = version.columns
    names = [c["id"] for c in columns]
    size = _int(request.GET.get("baris"), PAGE_SIZES[0])
    if size not in PAGE_SIZES:
        size = PAGE_SIZES[0]
    text = " ".join(request.GET.get("q", "").split())[:MAX_QUERY]
    column = request.GET.get("kolom", "")
    value = request.GET.get("isi", "").strip()[:200]
    sort_column = request.GET.get("urut", "")
    descending = request.GET.get("arah") == "turun"
    error = ""
    filters = {}
    if column and value:
        if column in names:
            filters[column] = value
        else:
            error = _("Kolom “%(name)s” tidak ada di tabel ini.") % {"name": column[:60]}
    if sort_column and sort_column not in names and sort_column != "_id":
        sort_column = ""
    sort = [(sort_column, descending)] if sort_column else []

    def run(filters, q, offset):
        # Unsorted and unfiltered, a page is a range of `_id` (the loader numbers rows 1..N
        # without gaps): the last page costs what the first does, instead of an OFFSET scan.
        keyset = not (filters or q or sort) and version.row_count is not None
        result = query.search(
            version.key,
            columns,
            filters=filters,
            q=q or None,
            sort=sort,
            limit=size,
            offset=0 if keyset else offset,
            after_id=offset if keyset else None,
            include_total=not keyset,
            row_count=version.row_count,
        )
        if keyset:
            result.total = version.row_count
        return result

    number = max(1, _int(request.GET.get("halaman"), 1))
    try:
        result = run(filters, text, (number - 1) * size)
    except query.QueryError as problem:
        error, filters = str(problem), {}
        result = run(filters, text, (number - 1) * size)
    if result.total and (number - 1) * size >= result.total:
        number = math.ceil(result.total / size)  # past the end (the table got shorter)
        result = run(filters, text, (number - 1) * size)
    if error:
        error = _("%(problem)s Saringan tidak diterapkan; perbaiki isiannya lalu coba lagi.") % {
            "problem": error
        }
    page = Paginator(range(result.total or 0), size).get_page(number)
    numeric = {c["id"] for c in charts.numeric_columns(columns)}
    headers = []
    for c in columns:
        current = c["id"] == sort_column
        headers.append(
            {
                "id": c["id"],
                "type": c["type"],
                "numeric": c["id"] in numeric,
                "type_label": TYPE_LABELS.get(c["type"], c["type"]),
                "aria_sort": ("descending" if descending else "ascending") if current else "",
                "url": _query_url(
                    request,
                    urut=c["id"],
                    arah="turun" if current and not descending else "",
                    halaman="",
                ),
            }
        )
    # Cells as the file wrote them (a year stays 2024, not 2.024); dates in ISO form.
    flags = [c["id"] in numeric for c in columns]
    rows = [
        [(_cell(cell), flag) for cell, flag in zip(record[1:], flags, strict=True)]
        for record in result.records
    ]
    start = (page.number - 1) * size + 1 if result.total else 0
    return {
        "columns": columns,
        "headers": headers,
        "rows": rows,
        "page": page,
        "total": result.total,
        "first_row": start,
        "last_row": start + len(rows) - 1 if rows else 0,
        "page_size": size,
        "page_sizes": PAGE_SIZES,
        "search_text": text,
        "filter_column": column,
        "filter_value": value,
        "filter_error": error,
        "filtered": bool(filters or text),
    }


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.date | datetime.datetime):
        return (
            value.isoformat(sep=" ") if isinstance(value, datetime.datetime) else value.isoformat()
        )
    return str(value)


def _chart(request, version) -> dict:
    columns = version.columns
    numeric = charts.numeric_columns(columns)
    category = request.GET.get("grafik_kategori", "")
    value = request.GET.get("grafik_angka", "")
    kind = "garis" if request.GET.get("grafik_jenis") == "garis" else "batang"
    context = {
        "numeric_columns": numeric,
        "chart_category": category,
        "chart_value": value,
        "chart_kind": kind,
        "chart": None,
        "chart_error": "",
    }
    if not (category and value):
        return context
    try:
        result = charts.aggregate(
            version.key,
            columns,
            category,
            value,
            order="category" if kind == "garis" else "value",
        )
    except charts.ChartError as problem:
        context["chart_error"] = str(problem)
        return context
    title = _("Total %(value)s per %(category)s") % {"value": value, "category": category}
    desc = _(
        "Total kolom %(value)s untuk setiap nilai kolom %(category)s; angka yang sama ada di "
        "tabel di bawahnya."
    ) % {"value": value, "category": category}
    if result.rows:
        draw = charts.line_chart if kind == "garis" else charts.bar_chart
        svg = draw(result.items, title, desc)
    else:
        svg = ""
    context["chart"] = {
        "title": title,
        "svg": svg,
        "rows": [
            (charts.label_text(label), charts.format_number(total)) for label, total in result.rows
        ],
        "truncated": result.truncated,
        "limit": charts.MAX_CATEGORIES,
    }
    return context


def _map(request, version) -> dict:
    columns = version.columns
    regions = maps.districts()
    found = maps.code_columns(version.key, columns, regions)
    context = {"map_columns": found, "map": None, "map_error": ""}
    if not found:
        return context
    code_column = request.GET.get("peta_kode", "")
    if code_column not in found:
        code_column = found[0]
    value = request.GET.get("peta_angka", "")
    context.update({"map_code": code_column, "map_value": value})
    if not value:
        return context
    try:
        context["map"] = maps.choropleth(version.key, columns, code_column, value, regions)
    except charts.ChartError as problem:
        context["map_error"] = str(problem)
    if context["map"]:
        context["map_rows"] = [
            (a.region, charts.format_number(a.value), a.colour) for a in context["map"].areas
        ]
        context["map_legend"] = [
            (colour, charts.format_number(low), charts.format_number(high))
            for colour, low, high in context["map"].legend
        ]
        context["map_unmatched"] = [
            (label, charts.format_number(total)) for label, total in context["map"].unmatched
        ]
    return context


# --- Downloads --------------------------------------------------------------------------------


def _filename(version: ResourceVersion, package: dict) -> str:
    """The original name, reduced to letters, digits, dot, dash, underscore and space, with
    the extension of the verified format."""
    base = (version.original_name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = unicodedata.normalize("NFKC", base)
    base = re.sub(r"[^\w.\- ]+", "_", base).strip(" ._")[:150]
    ext = (version.format or "").lower()
    if not base:
        base = f"{package['name']}-v{version.number}"
    if ext and not base.lower().endswith("." + ext):
        base = f"{base.rsplit('.', 1)[0] if '.' in base else base}.{ext}"
    return base


def _send(version: ResourceVersion, package: dict):
    if not version.file:
        raise Http404
    try:
        stream = version.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    media = SAFE_MEDIA_TYPES.get((version.format or "").upper(), "application/octet-stream")
    response = FileResponse(
        stream, as_attachment=True, filename=_filename(version, package), content_type=media
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response


def download(request, name, resource_id):
    row, package = _published(name)
    entry = _package_resource(package, resource_id)
    if not _hosted(package, entry):
        url = entry.get("url") or ""
        if not url.startswith(("https://", "http://")):
            raise Http404
        return HttpResponseRedirect(url)
    _resource, version = _public_version(row, resource_id)
    if version is None:
        raise Http404
    return _send(version, package)


def version_download(request, name, resource_id, number):
    """An earlier upload of a published resource, never one newer than the verified version
    (a later upload is the OPD's work in progress), and only one that was read successfully."""
    row, package = _published(name)
    entry = _package_resource(package, resource_id)
    if not _hosted(package, entry):
        raise Http404
    resource_row, public_version = _public_version(row, resource_id)
    if public_version is None or number > public_version.number:
        raise Http404
    version = resource_row.versions.filter(number=number, state__in=DOWNLOADABLE).first()
    if version is None:
        raise Http404
    return _send(version, package)
