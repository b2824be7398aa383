"""The public search page: every published page of every OPD, in one box."""

import re

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail.models import Page

from satupintu.home.listings import paginate

MAX_QUERY = 200
# Sixteen digits in a row, however spaced: somebody's NIK. We never search for it, echo it
# into the page title or keep it in the page; the portal publishes nothing findable by NIK.
# (An 18-digit NIP of an official is not a NIK and stays searchable.)
_NIK_LIKE = re.compile(r"(?<![\d.\-])(?:\d[\s.\-]?){15}\d(?![\d.\-]?\d)")


def search(request):
    query = request.GET.get("q", "").strip()
    error = None
    results = None
    if _NIK_LIKE.search(query):
        # Off the URL at once: nothing on the next page (links, language switch) carries it.
        return redirect(f"{reverse('search')}?tolak=nik")
    if request.GET.get("tolak") == "nik":
        error = _(
            "Pencarian dengan NIK tidak dilakukan: NIK adalah data pribadi dan portal ini tidak "
            "menerbitkan apa pun berdasarkan NIK. Untuk data diri Anda, buka Akun saya."
        )
    elif len(query) > MAX_QUERY:
        error = _("Kata kunci terlalu panjang (maksimal %(n)d karakter).") % {"n": MAX_QUERY}
    elif query:
        found = Page.objects.live().public().exclude(depth__lte=2).specific().search(query)
        results = paginate(request, found, 15)
    return render(
        request, "search/search.html", {"query": query, "results": results, "error": error}
    )
