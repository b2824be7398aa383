"""The public search: the results page, suggestions as you type, and the click ping.

The page is plain server-rendered HTML and works without JavaScript; suggestions are an
enhancement (static/search/suggest.js) over the same form. Nothing here reads a source
model: results, counts and snippets come from the index alone (see models.Entry).
"""

from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from satupintu.opd.models import OPD

from . import analytics, language, suggest
from .engines import Filters
from .models import Kind
from .query import MAX_PAGES, PER_PAGE
from .query import search as run_search


def read_filters(params) -> tuple[Filters, dict]:
    """Filters from the query string, and what the page shows as chosen. Unknown values are
    ignored rather than refused: an old bookmarked link still gives results."""
    kind = params.get("jenis", "")
    kinds = (kind,) if kind in Kind.values else ()
    opd = None
    if params.get("opd"):
        opd = OPD.objects.filter(slug=params["opd"]).only("id", "name", "acronym", "slug").first()
    year = params.get("tahun", "")
    year_number = int(year) if year.isdigit() and 1945 <= int(year) <= 2100 else None
    chosen = {"jenis": kinds[0] if kinds else "", "opd": opd, "tahun": year_number}
    return Filters(kinds=kinds, opd_id=opd.pk if opd else None, year=year_number), chosen


def _page_number(params) -> int:
    value = params.get("halaman", "1")
    return int(value) if value.isdigit() and 0 < int(value) <= MAX_PAGES else 1


def search(request):
    query = request.GET.get("q", "").strip()
    if language.NIK_LIKE.search(query):
        # Off the URL at once: nothing on the next page (links, language switch) carries it.
        return redirect(f"{reverse('search')}?tolak=nik")
    error = None
    outcome = None
    filters, chosen = read_filters(request.GET)
    sort = request.GET.get("urut", "relevansi")
    sort = sort if sort in ("relevansi", "terbaru") else "relevansi"
    if request.GET.get("tolak") == "nik":
        error = _(
            "Pencarian dengan NIK tidak dilakukan: NIK adalah data pribadi dan portal ini tidak "
            "menerbitkan apa pun berdasarkan NIK. Untuk data diri Anda, buka Akun saya."
        )
    elif len(query) > language.MAX_QUERY:
        error = _("Kata kunci terlalu panjang (maksimal %(n)d karakter).") % {
            "n": language.MAX_QUERY
        }
    elif query:
        outcome = run_search(query, filters, sort=sort, page=_page_number(request.GET))
        if outcome.page == 1:
            analytics.record_search(outcome)
    context = {
        "query": query,
        "error": error,
        "outcome": outcome,
        "chosen": chosen,
        "sort": sort,
        "kinds": Kind.choices,
    }
    if outcome is not None:
        shown = min(outcome.total, MAX_PAGES * PER_PAGE)
        context["page_obj"] = Paginator(range(shown), PER_PAGE).get_page(outcome.page)
        context["facets"] = facet_links(outcome, chosen)
    return render(request, "search/search.html", context)


def facet_links(outcome, chosen) -> dict:
    """Facet values with labels and counts, most frequent first; counts hidden when capped."""
    facets = outcome.counted.facets
    kind_labels = dict(Kind.choices)
    opd_ids = [int(i) for i in facets.get("opd", {})]
    opds = {o.pk: o for o in OPD.objects.filter(pk__in=opd_ids).only("name", "acronym", "slug")}

    def ordered(bucket):
        return sorted(bucket.items(), key=lambda item: (-item[1], item[0]))

    return {
        "jenis": [
            (value, kind_labels.get(value, value), number)
            for value, number in ordered(facets.get("kind", {}))
        ],
        "opd": [
            (opds[int(value)].slug, opds[int(value)].name, number)
            for value, number in ordered(facets.get("opd", {}))[:15]
            if int(value) in opds
        ],
        "tahun": sorted(
            ((value, value, number) for value, number in facets.get("year", {}).items()),
            reverse=True,
        )[:12],
    }


@require_GET
def suggestions(request):
    """Titles and past queries starting like what is typed, as JSON for the script."""
    typed = request.GET.get("q", "")[: language.MAX_QUERY]
    if language.NIK_LIKE.search(typed):
        return JsonResponse({"suggestions": []})
    found = suggest.suggestions(typed)
    response = JsonResponse({"suggestions": found})
    response["Cache-Control"] = "public, max-age=300"
    return response


@csrf_exempt  # a `ping` from the browser carries no token; it only increments a counter
@require_POST
@never_cache
def click(request):
    analytics.record_click(request.GET.get("q", ""))
    return HttpResponse(status=204)
