"""CSRF on every form: every route refuses a POST without the token, unless it is on the
reviewed list of token-free endpoints below, and every POST form we render carries the token.

The route walk covers every URL pattern the resolver knows, so a new view is checked without
anyone adding it here; a new csrf_exempt view fails `test_exempt_routes_are_exactly_the_reviewed
_ones` until someone states below why it is safe.
"""

import re
import uuid

import pytest
from django.test import Client
from django.urls import URLResolver, get_resolver, resolve
from django.urls.converters import (
    IntConverter,
    PathConverter,
    SlugConverter,
    StringConverter,
    UUIDConverter,
)
from django.urls.resolvers import LocalePrefixPattern, RegexPattern, RoutePattern

from satupintu.citizens.testing import PASSWORD as CITIZEN_PASSWORD
from satupintu.core.testing import add_news

pytestmark = pytest.mark.django_db

_ADMIN_API = (
    "Wagtail's admin API (Django REST framework): DRF marks its views csrf_exempt and checks "
    "the token itself in SessionAuthentication for every unsafe method"
)
# Route (as the resolver spells it) -> why a POST without a CSRF token is safe there.
TOKEN_FREE = {
    "admin/api/main/^pages/": _ADMIN_API,
    "admin/api/main/^pages/<int:pk>/": _ADMIN_API,
    "admin/api/main/^pages/find/": _ADMIN_API,
    "admin/api/main/^pages/<int:pk>/action/<str:action_name>/": _ADMIN_API,
    "admin/api/main/^documents/": _ADMIN_API,
    "admin/api/main/^documents/<int:pk>/": _ADMIN_API,
    "admin/api/main/^documents/find/": _ADMIN_API,
    "admin/api/main/^images/": _ADMIN_API,
    "admin/api/main/^images/<int:pk>/": _ADMIN_API,
    "admin/api/main/^images/find/": _ADMIN_API,
    "sso/token/": (
        "OAuth token endpoint: called by the app's server, which authenticates with its client "
        "secret or PKCE verifier; a browser's cookies give it nothing"
    ),
    "sso/revoke_token/": "OAuth revocation: authenticated by the client's credentials only",
    "sso/userinfo/": "OpenID userinfo: answers only to a bearer access token, never a cookie",
    "^api/?$": "CKAN API version: read-only, the same for everyone",
    "^api/3/?$": "CKAN API version: read-only, the same for everyone",
    "^api/(?:3/)?action/(?P<name>[A-Za-z0-9_.\\-]{1,100})/?$": (
        "CKAN Action API: only read actions, and the caller comes from an API token header, "
        "never from the session cookie"
    ),
    "datastore/dump/<uuid:resource_id>": "CKAN datastore dump: a public read",
    "datastore/dump/<uuid:resource_id>/": "CKAN datastore dump: a public read",
    "api/v1/cari/": "Public JSON API (django-ninja): GET only, no session (auth=None)",
    "api/v1/cari/saran": "Public JSON API (django-ninja): GET only, no session (auth=None)",
    "cari/klik/": (
        "Search click ping (navigator.sendBeacon carries no token): it only adds one to the "
        "click count of a query already searched today, for nobody in particular"
    ),
}

_SAMPLES = {
    IntConverter: "1",
    SlugConverter: "contoh",
    StringConverter: "contoh",
    PathConverter: "contoh",
    UUIDConverter: str(uuid.UUID(int=1)),
}
# Regex routes need a hand-written path that the regex matches.
_REGEX_SAMPLES = {
    "^pages/": "pages/",
    "^pages/<int:pk>/": "pages/1/",
    "^pages/find/": "pages/find/",
    "^documents/": "documents/",
    "^documents/find/": "documents/find/",
    "^images/": "images/",
    "^images/find/": "images/find/",
    r"^(\d+)/revisions/compare/(live|earliest|\d+)\.\.\.(live|latest|\d+)/$": (
        "1/revisions/compare/live...latest/"
    ),
    "^.*/$": "tidak-ada/",
    r"^(\d+)/(.*)$": "1/berkas.pdf",
    r"^\.well-known/openid-configuration/?$": ".well-known/openid-configuration",
    "^api/?$": "api",
    "^api/3/?$": "api/3",
    r"^api/(?:3/)?action/(?P<name>[A-Za-z0-9_.\-]{1,100})/?$": "api/3/action/package_list",
    r"^catalog\.(?P<fmt>ttl|rdf|xml|jsonld)$": "catalog.ttl",
    r"^dataset/(?P<ref>[a-z0-9_-]{2,100})\.(?P<fmt>ttl|rdf|xml|jsonld)$": "dataset/contoh.ttl",
    r"^((?:[\w\-]+/)*)$": "",
}


def _sample(pattern) -> str:
    if isinstance(pattern, LocalePrefixPattern):
        return pattern.language_prefix
    if isinstance(pattern, RegexPattern):
        text = str(pattern)
        assert text in _REGEX_SAMPLES, f"add a sample path for the regex route {text!r}"
        return _REGEX_SAMPLES[text]
    assert isinstance(pattern, RoutePattern), pattern

    def value(match):
        converter = pattern.converters[match.group(2)]
        assert type(converter) in _SAMPLES, f"add a sample for {type(converter).__name__}"
        return _SAMPLES[type(converter)]

    return re.sub(r"<(?:(\w+):)?(\w+)>", value, str(pattern))


def routes():
    """(route text, sample path, view) for every URL pattern, resolvers unfolded."""
    found = []

    def walk(patterns, route="", path="/"):
        for entry in patterns:
            text = route + str(entry.pattern)
            sample = path + _sample(entry.pattern)
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, text, sample)
            else:
                found.append((text, sample, entry.callback))

    walk(get_resolver().url_patterns)
    return found


def _exempt(view) -> bool:
    return getattr(view, "csrf_exempt", False)


def test_exempt_routes_are_exactly_the_reviewed_ones():
    exempt = {route for route, _path, view in routes() if _exempt(view)}
    assert exempt - TOKEN_FREE.keys() == set(), "a new csrf_exempt view: review it, list it"
    assert TOKEN_FREE.keys() - exempt == set(), "no longer exempt: drop it from TOKEN_FREE"


def _token_cookie_client(user):
    """A client holding a CSRF cookie, as a visitor's browser would, signed in as `user`."""
    client = Client(enforce_csrf_checks=True)
    client.get("/akun/masuk/")
    assert client.cookies.get("csrftoken")
    client.force_login(user)
    return client


def test_every_other_route_refuses_a_post_without_the_token(portal, citizen):
    staff = _token_cookie_client(portal.operator_a)
    public = _token_cookie_client(citizen.user)
    checked = 0
    for route, path, view in routes():
        if _exempt(view):
            continue
        match = resolve(path)
        if match.func is not view and match.route == route:
            continue  # shadowed by an earlier route of the same path (opd.admin_guards)
        assert match.func is view, f"the sample path {path} does not reach {route}"
        client = staff if route.startswith("admin/") else public
        response = client.post(path, {"nama": "serangan"})
        assert response.status_code == 403, (route, path, response.status_code)
        assert b"CSRF" in response.content, route
        checked += 1
    assert checked > 300  # the whole admin is in the walk


def test_token_free_endpoints_still_refuse_what_a_forged_post_could_want(
    client, portal, citizen
):
    from satupintu.datacatalog.ckan import actions

    forged = Client(enforce_csrf_checks=True)
    forged.force_login(portal.operator_a)
    home = portal.a.home_page
    # DRF's session authentication checks the token on the page action endpoint.
    response = forged.post(f"/admin/api/main/pages/{home.pk}/action/unpublish/", {})
    assert response.status_code == 403
    home.refresh_from_db()
    assert home.live
    # Token endpoints answer to client credentials, never to a cookie.
    assert forged.post("/sso/token/", {"grant_type": "client_credentials"}).status_code in (
        400,
        401,
    )
    assert forged.post("/sso/revoke_token/", {"token": "x"}).status_code in (400, 401)
    assert forged.post("/sso/userinfo/").status_code == 401
    # The CKAN API has no action that writes, and a signed-in session is not a caller.
    writes = [n for n in actions.ACTIONS if re.search(r"_(create|update|patch|delete|purge)", n)]
    assert writes == []
    from django.test import RequestFactory

    from satupintu.datacatalog.ckan.api import caller_of

    request = RequestFactory().post("/api/3/action/package_search")
    request.user = portal.kominfo
    assert caller_of(request).user is None
    # The public JSON API takes no POST at all.
    assert forged.post("/api/v1/cari/?q=vaksin").status_code == 405
    assert forged.post("/api/v1/cari/saran?q=vaksin").status_code == 405


# --- every rendered POST form carries the token -------------------------------------------

FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.I | re.S)
POST = re.compile(r"\bmethod\s*=\s*[\"']?post", re.I)
TOKEN = re.compile(r"name=[\"']csrfmiddlewaretoken[\"']\s+value=[\"'][^\"']{32,}", re.I)
TOKEN_BEFORE_NAME = re.compile(
    r"value=[\"'][^\"']{32,}[\"'][^>]*name=[\"']csrfmiddlewaretoken", re.I
)


# Forms that scripts submit with fetch(): the token travels in the X-CSRFToken header, which
# Wagtail's admin JS reads from the page; the route walk above shows their URLs still refuse a
# POST without it.
SCRIPT_SUBMITTED = {
    "w-editing-sessions": "Wagtail's editing-session ping (who else is editing this page)",
}


def post_forms(html: str):
    return [(attrs, body) for attrs, body in FORM.findall(html) if POST.search(attrs)]


def assert_forms_carry_the_token(client, paths, *, each_has_one=True) -> int:
    """Every POST form on each page carries the token; the pages listed for their forms must
    still have one (a page that lost its form would otherwise pass unnoticed)."""
    count = 0
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        forms = post_forms(response.content.decode())
        assert forms or not each_has_one, f"no POST form on {path}"
        for attrs, body in forms:
            if any(f'class="{name}"' in attrs for name in SCRIPT_SUBMITTED):
                continue
            assert TOKEN.search(body) or TOKEN_BEFORE_NAME.search(body), (path, attrs)
            count += 1
    return count


ANONYMOUS_FORMS = ["/akun/masuk/", "/akun/daftar/", "/akun/lupa-sandi/", "/admin/login/"]
CITIZEN_FORMS = [
    "/akun/",
    "/akun/konfirmasi/",
    "/akun/kata-sandi/",
    "/akun/kontak/",
    "/akun/dua-langkah/aplikasi/",
    "/akun/dua-langkah/surel/",
    "/akun/hapus/",
]
OPERATOR_FORMS = [
    "/admin/account/",
    "/admin/images/multiple/add/",
    "/admin/documents/multiple/add/",
    "/admin/satudata/dataset/baru/",
    "/admin/satudata/token/",
]
KOMINFO_FORMS = [
    "/admin/opd/new/",
    "/admin/wordpress/import/",
    "/admin/pencarian/sinonim/new/",
    "/admin/katalog-aplikasi/daftar/",
    "/admin/pelaporan/jenis/new/",
    "/admin/identitas-warga/",
    "/admin/satudata/portal-pusat/tambah/",
    "/admin/users/new/",
]


def test_every_post_form_carries_the_token(client, portal, citizen, public_pages):
    public = list(public_pages.pages.values())
    public.remove(public_pages.pages["not found"])
    counted = assert_forms_carry_the_token(client, ANONYMOUS_FORMS)
    counted += assert_forms_carry_the_token(client, public, each_has_one=False)

    client.force_login(citizen.user)
    signed = client.post("/akun/konfirmasi/", {"password": CITIZEN_PASSWORD})
    assert signed.status_code == 302  # re-authenticated for the two-step pages
    public.remove(public_pages.pages["sign-in"])  # a signed-in citizen is sent to /akun/
    counted += assert_forms_carry_the_token(client, CITIZEN_FORMS)
    counted += assert_forms_carry_the_token(client, public, each_has_one=False)

    client.force_login(portal.operator_a)
    news = add_news(portal.a, "Posyandu keliling")
    editing = [
        f"/admin/pages/{news.pk}/edit/",
        f"/admin/pages/add/news/newspage/{news.get_parent().pk}/",
    ]
    counted += assert_forms_carry_the_token(client, OPERATOR_FORMS + editing)

    client.force_login(portal.kominfo)
    counted += assert_forms_carry_the_token(client, KOMINFO_FORMS)
    assert counted > len(ANONYMOUS_FORMS + CITIZEN_FORMS + OPERATOR_FORMS + KOMINFO_FORMS)
