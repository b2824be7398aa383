"""The same search as the page, for programs: GET /api/v1/cari/?q=…

Results, counts, facets, corrections and best bets exactly as the page shows them, so an
app of the regency (or a province portal) can put the one search in its own screen.
Snippets are HTML with only <mark> elements, already escaped.
"""

import datetime

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from pydantic import Field

from satupintu.opd.models import OPD

from . import language, suggest
from .engines import Filters
from .models import Kind
from .query import MAX_PAGES, search

router = Router()


# No NUL byte: PostgreSQL cannot hold one in text (satupintu/core/nul.py refuses it first).
NO_NUL = r"^[^\x00]*$"


class SearchParams(Schema):
    q: str = Field(
        ..., min_length=1, max_length=language.MAX_QUERY, pattern=NO_NUL, description="Kata kunci"
    )
    jenis: Kind | None = Field(None, description="Satu jenis isi")
    opd: str | None = Field(
        None, max_length=50, pattern=NO_NUL, description="Slug perangkat daerah"
    )
    tahun: int | None = Field(None, ge=1945, le=2100)
    urut: str = Field("relevansi", pattern="^(relevansi|terbaru)$")
    halaman: int = Field(1, ge=1, le=MAX_PAGES)
    per_halaman: int = Field(10, ge=1, le=50)


class OPDOut(Schema):
    slug: str
    nama: str
    singkatan: str


class ResultOut(Schema):
    judul: str
    url: str
    jenis: Kind
    jenis_label: str
    opd: OPDOut | None
    tanggal: datetime.datetime | None
    cuplikan_html: str


class FacetValue(Schema):
    nilai: str
    label: str
    jumlah: int | None


class SearchOut(Schema):
    q: str
    jumlah: int
    jumlah_lebih: bool = Field(description="Benar bila hasil lebih banyak daripada `jumlah`")
    halaman: int
    jumlah_halaman: int
    dikoreksi: str = Field(description="Hasil yang diberikan untuk ejaan ini")
    mungkin_maksud: str
    sebagian: bool = Field(description="Tidak ada hasil dengan semua kata; ini sebagian")
    unggulan: list[ResultOut]
    hasil: list[ResultOut]
    faset: dict[str, list[FacetValue]]


class ErrorOut(Schema):
    """A refusal (400: a NIK or a NUL byte in the query; 404: an unknown OPD)."""

    detail: str


class InvalidOut(Schema):
    """Parameters that do not fit the documented types or limits (422)."""

    detail: list[dict]


ERRORS = {400: ErrorOut, 404: ErrorOut, 422: InvalidOut}


class SuggestionOut(Schema):
    label: str
    jenis: str
    url: str


def _opd(entry):
    opd = entry.opd
    return OPDOut(slug=opd.slug, nama=opd.name, singkatan=opd.acronym) if opd else None


def _result(entry, snippet=""):
    return ResultOut(
        judul=entry.title,
        url=entry.url,
        jenis=entry.kind,
        jenis_label=str(Kind(entry.kind).label),
        opd=_opd(entry),
        tanggal=entry.published_at,
        cuplikan_html=str(snippet),
    )


@router.get("/", response={200: SearchOut, **ERRORS}, summary="Cari di seluruh portal")
def search_endpoint(request: HttpRequest, params: Query[SearchParams]):
    if language.NIK_LIKE.search(params.q):
        raise HttpError(400, "Pencarian dengan NIK tidak dilakukan: NIK adalah data pribadi.")
    opd = OPD.objects.filter(slug=params.opd).first() if params.opd else None
    if params.opd and opd is None:
        raise HttpError(404, "Perangkat daerah tidak dikenal.")
    filters = Filters(
        kinds=(params.jenis.value,) if params.jenis else (),
        opd_id=opd.pk if opd else None,
        year=params.tahun,
    )
    outcome = search(
        params.q, filters, sort=params.urut, page=params.halaman, per_page=params.per_halaman
    )
    # A query that reads as no word at all ("?", " ") is answered without counting.
    facets = {"kind": {}, "opd": {}, "year": {}, **outcome.counted.facets}
    capped = outcome.counted.capped
    opds = {str(o.pk): o for o in OPD.objects.filter(pk__in=[int(i) for i in facets["opd"]])}
    return SearchOut(
        q=params.q,
        jumlah=outcome.total,
        jumlah_lebih=capped,
        halaman=outcome.page,
        jumlah_halaman=outcome.pages,
        dikoreksi=outcome.corrected,
        mungkin_maksud=outcome.did_you_mean,
        sebagian=outcome.partial,
        unggulan=[_result(e) for e in outcome.best_bets],
        hasil=[_result(h.entry, h.snippet) for h in outcome.hits],
        faset={
            "jenis": [
                FacetValue(nilai=k, label=str(Kind(k).label), jumlah=None if capped else n)
                for k, n in sorted(facets["kind"].items(), key=lambda kv: -kv[1])
            ],
            "opd": [
                FacetValue(nilai=opds[i].slug, label=opds[i].name, jumlah=None if capped else n)
                for i, n in sorted(facets["opd"].items(), key=lambda kv: -kv[1])
                if i in opds
            ],
            "tahun": [
                FacetValue(nilai=y, label=y, jumlah=None if capped else n)
                for y, n in sorted(facets["year"].items(), reverse=True)
            ],
        },
    )


@router.get(
    "/saran", response={200: list[SuggestionOut], **ERRORS}, summary="Saran saat mengetik"
)
def suggestions_endpoint(
    request: HttpRequest, q: str = Query(..., max_length=200, pattern=NO_NUL)
):
    if language.NIK_LIKE.search(q):
        return []
    return [
        SuggestionOut(label=s["label"], jenis=s["kind"], url=s["url"])
        for s in suggest.suggestions(q)
    ]
