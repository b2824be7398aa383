"""The DCAT catalog (paged), one dataset's DCAT, and data.json.

Paging is by dataset id, not by modification time as in ckanext-dcat: the DCAT harvester
deletes at the centre every dataset missing from its pass, and with a time order one dataset
edited during a pass moves to page 1 behind the harvester and is never seen (then deleted).
An id never moves; only a publication or a withdrawal during a pass shifts a page boundary.

Like ckanext-dcat, a page past the end answers an empty catalog whose Hydra links point back
to the last page (a harvester stops when there is no next page); a malformed `page` or
`modified_since` is refused with a plain message (400) instead of being guessed at.
"""

import datetime
import json
import math
import re
import uuid
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Count, Max, Q
from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from ..models import PublishedDataset
from ..publishing import ckan_time
from . import metadata, pod, rdf

PER_PAGE = 100
MAX_AGE = 300  # seconds; publication is not instant news, and harvesters poll hourly at most
UNSUPPORTED = ("q", "fq")
# A "+07:00" offset sent unencoded arrives as " 07:00".
_LOST_PLUS = re.compile(r" (\d{2}(:?\d{2})?)$")


class BadParameter(ValueError):
    pass


def _respond(body: bytes, content_type: str, status: int = 200) -> HttpResponse:
    response = HttpResponse(body, content_type=f"{content_type}; charset=utf-8", status=status)
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    return response


def _error(status: int, message: str) -> HttpResponse:
    response = HttpResponse(message + "\n", content_type="text/plain; charset=utf-8", status=status)
    # Short, so that a dataset published a minute later is not hidden behind a cached 404.
    patch_cache_control(response, public=True, max_age=60)
    return response


def _page(request) -> int:
    raw = request.GET.get("page", "").strip()
    if not raw:
        return 1
    if not raw.isascii() or not raw.isdigit() or int(raw) < 1:
        raise BadParameter(_("Parameter page harus bilangan bulat mulai dari 1, misalnya ?page=2."))
    return int(raw)


def _since(request) -> datetime.datetime | None:
    raw = request.GET.get("modified_since", "").strip()
    if not raw:
        return None
    text = _LOST_PLUS.sub(r"+\1", raw)
    try:
        value = parse_datetime(text)
        if value is None:
            day = parse_date(text)
            value = datetime.datetime.combine(day, datetime.time.min) if day else None
    except ValueError:
        value = None
    if value is None:
        raise BadParameter(
            _(
                "Parameter modified_since harus berupa tanggal atau waktu ISO 8601, misalnya "
                "2026-05-01 atau 2026-05-01T02:13:44Z (tulis tanda + pada zona waktu sebagai "
                "%2B)."
            )
        )
    if timezone.is_naive(value):  # as CKAN does: a time without an offset is UTC
        value = value.replace(tzinfo=datetime.UTC)
    return value


def _refuse_search(request) -> None:
    asked = [name for name in UNSUPPORTED if name in request.GET]
    if asked:
        raise BadParameter(
            _(
                "Parameter %(names)s tidak didukung di katalog DCAT; saring dengan "
                "modified_since, atau cari lewat /api/3/action/package_search."
            )
            % {"names": ", ".join(asked)}
        )


def _page_url(request, page: int) -> str:
    params = {}
    if request.GET.get("modified_since", "").strip():
        params["modified_since"] = request.GET["modified_since"].strip()
    params["page"] = page
    return f"{settings.SATUPINTU_BASE_URL}{request.path}?{urlencode(params)}"


def _catalog_text(regency) -> tuple[str, str]:
    with translation.override(settings.LANGUAGE_CODE):
        if regency.name:
            title = _("Satu Data %(name)s") % {"name": regency.name}
            description = _(
                "Dataset yang telah diverifikasi Walidata %(name)s dan dibuka untuk publik."
            ) % {"name": regency.name}
        else:
            title = _("Satu Data")
            description = _("Dataset yang telah diverifikasi Walidata dan dibuka untuk publik.")
    return title, description


@require_safe
def catalog(request, fmt):
    try:
        _refuse_search(request)
        page = _page(request)
        since = _since(request)
    except BadParameter as error:
        return _error(400, str(error))

    public = PublishedDataset.objects.public()
    wanted = Q(metadata_modified__gte=since) if since else Q()
    stats = public.aggregate(
        total=Count("pk", filter=wanted) if since else Count("pk"),
        modified=Max("metadata_modified"),
    )
    total = stats["total"]
    last = max(1, math.ceil(total / PER_PAGE))
    packages = []
    if page <= last:  # past the end: no query (and no OFFSET overflow on a huge number)
        rows = (
            public.filter(wanted)
            .order_by("pk")
            .values_list("package", flat=True)[(page - 1) * PER_PAGE : page * PER_PAGE]
        )
        packages = [json.loads(row) for row in rows]

    regency = metadata.regency(request)
    labels = metadata.region_labels(packages)
    graph = rdf.new_graph()
    datasets = [rdf.add_dataset(graph, p, regency=regency, labels=labels) for p in packages]
    title, description = _catalog_text(regency)
    rdf.add_catalog(
        graph,
        title=title,
        description=description,
        regency=regency,
        modified=ckan_time(stats["modified"]),
        datasets=datasets,
    )
    links = {"first": _page_url(request, 1), "last": _page_url(request, last)}
    if page * PER_PAGE < total:
        links["next"] = _page_url(request, page + 1)
    if page > 1:
        links["previous"] = _page_url(request, page - 1 if page <= last else last)
    rdf.add_paging(
        graph, current=_page_url(request, page), links=links, total=total, per_page=PER_PAGE
    )
    return _respond(rdf.serialize(graph, fmt), rdf.FORMATS[fmt][1])


def _published(ref: str) -> str | None:
    public = PublishedDataset.objects.public()
    try:
        key = uuid.UUID(ref)
    except ValueError:
        wanted = Q(name=ref)
    else:
        wanted = Q(pk=key) | Q(name=ref)
    return public.filter(wanted).values_list("package", flat=True).first()


@require_safe
def dataset(request, ref, fmt):
    row = _published(ref)
    if row is None:
        return _error(404, _("Dataset tidak ditemukan atau tidak dibuka untuk publik."))
    package = json.loads(row)
    graph = rdf.new_graph()
    rdf.add_dataset(
        graph,
        package,
        regency=metadata.regency(request),
        labels=metadata.region_labels([package]),
    )
    return _respond(rdf.serialize(graph, fmt), rdf.FORMATS[fmt][1])


@require_safe
def data_json(request):
    rows = PublishedDataset.objects.public().order_by("pk").values_list("package", flat=True)
    packages = [json.loads(row) for row in rows]
    document = pod.catalog(
        packages,
        catalog_id=f"{settings.SATUPINTU_BASE_URL}{request.path}",
        regency=metadata.regency(request),
        labels=metadata.region_labels(packages),
    )
    body = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()
    return _respond(body, "application/json")
