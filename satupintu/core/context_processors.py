"""Template context every public page needs."""

from django.conf import settings
from django.core.cache import caches
from django.http import QueryDict
from django.urls import translate_url
from django.utils.functional import SimpleLazyObject

from .cache import PAGE_CACHE


def _regency_settings():
    """The regency's identity, kept in the page cache between requests (it is cleared when
    Kominfo saves the settings), instead of a query on every page view."""
    from satupintu.regency.models import RegencySettings

    cache = caches[PAGE_CACHE]
    config = cache.get("regency-settings")
    if config is None:
        config = RegencySettings.objects.select_related("logo").first() or RegencySettings.load()
        cache.set("regency-settings", config)
    return config


# Query parameters a language switch may carry over. Anything else (an OAuth code and state,
# a `next` URL) must not be copied into links and <link rel="alternate"> on the page.
_PORTABLE_QUERY = ("q", "halaman")


def portal(request):
    path = request.path
    kept = QueryDict(mutable=True)
    for name in _PORTABLE_QUERY:
        if name in request.GET:
            kept.setlist(name, request.GET.getlist(name))
    if kept:
        path = f"{path}?{kept.urlencode()}"
    return {
        "DEMO_MODE": settings.SATUPINTU_DEMO,
        # The upstream identity provider's name as citizens know it (INApas by default).
        "UPSTREAM_NAME": settings.SATUPINTU_UPSTREAM_OIDC.get("NAME") or "INApas",
        "language_urls": {code: translate_url(path, code) for code, _name in settings.LANGUAGES},
        "regency": SimpleLazyObject(_regency_settings),
    }
