"""The public search page: every published page of every OPD, in one box."""

from django.shortcuts import render
from django.utils.translation import gettext as _
from wagtail.models import Page

from satupintu.home.listings import paginate

MAX_QUERY = 200


def search(request):
    query = request.GET.get("q", "").strip()
    error = None
    results = None
    if len(query) > MAX_QUERY:
        error = _("Kata kunci terlalu panjang (maksimal %(n)d karakter).") % {"n": MAX_QUERY}
    elif query:
        found = Page.objects.live().public().exclude(depth__lte=2).specific().search(query)
        results = paginate(request, found, 15)
    return render(
        request, "search/search.html", {"query": query, "results": results, "error": error}
    )
