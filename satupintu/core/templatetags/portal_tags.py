"""Template helpers of the public site.

Every helper here is cheap by design: results that need the database (the regency home, the
URLs of OPD sections) are looked up once per request and kept on the request, so a list of
items from many OPDs costs the same number of queries however long it is.
"""

import re

from django import template
from django.core.cache import caches
from django.http import QueryDict
from django.utils.translation import get_language
from wagtail.models import Site

from satupintu.core.cache import PAGE_CACHE

register = template.Library()

# The regency home page's routes, by the names the templates use.
ROUTES = {
    "news": "news",
    "announcements": "announcements",
    "events": "events",
    "services": "services",
    "ppid": "ppid",
    "directory": "directory",
}
ACCESSIBILITY_SLUG = "aksesibilitas"


def _request(context):
    return context.get("request")


def _cache(request, name, build, shared=False):
    """Keep `build()` on the request, per active language (URLs carry the language prefix).

    `shared` also keeps it in the page cache across requests; that cache is cleared on
    every publish, move or OPD change (satupintu.core.cache), so it is never stale.
    """
    key = f"_satupintu_{name}_{get_language()}"
    if request is None:
        return build()
    if not hasattr(request, key):
        if shared:
            site = Site.find_for_request(request)
            shared_key = f"tags:{name}:{site.pk if site else 0}:{get_language()}"
            value = caches[PAGE_CACHE].get(shared_key)
            if value is None:
                value = build()
                caches[PAGE_CACHE].set(shared_key, value)
        else:
            value = build()
        setattr(request, key, value)
    return getattr(request, key)


def _regency_home(request, page=None):
    """The regency home page (the site root), found once per request.

    `page`, when it is already the site's root (the home page and its routes), saves a query.
    """
    from satupintu.home.models import RegencyHomePage

    def build():
        site = Site.find_for_request(request) if request is not None else None
        if site is None:
            return RegencyHomePage.objects.live().first()
        if isinstance(page, RegencyHomePage) and page.pk == site.root_page_id:
            return page
        return RegencyHomePage.objects.filter(pk=site.root_page_id).first()

    return _cache(request, "regency_home", build)


@register.simple_tag(takes_context=True)
def regency_urls(context):
    """URLs of the regency home, its routes and the accessibility statement.

    `{% regency_urls as urls %}` then `{{ urls.news }}`; keys: home, news, announcements,
    events, services, ppid, directory, accessibility (empty string when there is none).
    """
    request = _request(context)

    def build():
        home = _regency_home(request, context.get("page"))
        if home is None:
            return {"home": "/", "accessibility": "", **dict.fromkeys(ROUTES, "")}
        base = home.get_url(request=request) or "/"
        if not base.endswith("/"):
            base += "/"
        urls = {"home": base}
        for key, route in ROUTES.items():
            urls[key] = base + home.reverse_subpage(route)
        statement = home.get_children().live().filter(slug=ACCESSIBILITY_SLUG).first()
        urls["accessibility"] = statement.get_url(request=request) if statement else ""
        return urls

    return _cache(request, "regency_urls", build, shared=True)


@register.simple_tag(takes_context=True)
def opd_url(context, opd):
    """URL of an OPD's section, without a query per item (one query per request in all)."""
    if not opd:
        return ""
    request = _request(context)

    def build():
        from satupintu.opd.models import OPDHomePage

        home = _regency_home(request)
        if home is None:
            return {}
        base = home.get_url(request=request) or "/"
        if not base.endswith("/"):
            base += "/"
        rows = (
            OPDHomePage.objects.live().filter(opd__isnull=False).values_list("opd_id", "url_path")
        )
        root_path = home.url_path
        return {
            opd_id: base + url_path[len(root_path) :]
            for opd_id, url_path in rows
            if url_path.startswith(root_path)
        }

    return _cache(request, "opd_urls", build, shared=True).get(opd.pk, "")


@register.simple_tag(takes_context=True)
def owning_opd(context, page):
    """The OPD a page belongs to, for lists mixing page types (search results), without a
    query per page: all OPDs are read once per request. None for an OPD's own home page
    (it *is* the OPD) and for pages outside any OPD section."""
    from satupintu.opd.models import OPD, OPDHomePage

    opd_id = getattr(page, "opd_id", None)
    if opd_id is None or isinstance(page, OPDHomePage):
        return None
    request = _request(context)

    def build():
        return {opd.pk: opd for opd in OPD.objects.only("id", "name", "acronym", "slug")}

    return _cache(request, "opds_by_id", build).get(opd_id)


@register.simple_tag
def breadcrumb_ancestors(page):
    """The page's ancestors from the site's home page down (Wagtail's root node left out)."""
    if page is None or not hasattr(page, "get_ancestors"):
        return []
    return list(page.get_ancestors().filter(depth__gte=2))


@register.simple_tag(takes_context=True)
def page_query(context, number):
    """The current URL's query string with ?halaman=N, keeping every other parameter."""
    request = _request(context)
    if request is None:
        return f"?halaman={number}"
    params = request.GET.copy()
    params.pop("halaman", None)
    if str(number) != "1":
        params["halaman"] = number
    query = params.urlencode()
    return f"?{query}" if query else request.path


@register.simple_tag
def page_range(page_obj):
    """Page numbers around the current one, with the paginator's ellipsis in the gaps."""
    return list(
        page_obj.paginator.get_elided_page_range(page_obj.number, on_each_side=1, on_ends=1)
    )


@register.simple_tag(takes_context=True)
def canonical_url(context):
    """Absolute URL of this page. Of the query string only ?q= (search) and ?halaman=N (when
    > 1) are kept: they change what the page shows; anything else (tracking tags) does not."""
    request = _request(context)
    if request is None:
        return ""
    url = request.build_absolute_uri(request.path)
    params = QueryDict(mutable=True)
    if request.GET.get("q"):
        params["q"] = request.GET["q"]
    number = request.GET.get("halaman", "")
    if number.isdigit() and int(number) > 1:
        params["halaman"] = str(int(number))
    return f"{url}?{params.urlencode()}" if params else url


@register.simple_tag(takes_context=True)
def absolute_url(context, path):
    request = _request(context)
    if not path or request is None:
        return path or ""
    return request.build_absolute_uri(path)


@register.filter
def tel_href(phone):
    """A `tel:` target from a phone number as people write it: "(0322) 321 234" → +62322321234.

    Only the first number is used when several are written ("… / 0812…").
    """
    if not phone:
        return ""
    first = re.split(r"[/,;]| atau | or ", str(phone))[0]
    digits = re.sub(r"[^\d+]", "", first)
    if digits.startswith("0"):
        digits = "+62" + digits[1:]
    return f"tel:{digits}" if digits.strip("+") else ""
