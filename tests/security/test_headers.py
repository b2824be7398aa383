"""Every kind of page carries the browser security headers, and the public policy holds.

The public Content-Security-Policy allows scripts only from our own origin; that is safe only
while no public template has an inline script or event handler and nothing is loaded from
another host, so those are checked here on every kind of page, not assumed.
"""

import ast
import re
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import Client, override_settings

from satupintu.operations.headers import ADMIN_CSP, PERMISSIONS_POLICY, PUBLIC_CSP

pytestmark = pytest.mark.django_db

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
EVENT_HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I)
JAVASCRIPT_URL = re.compile(r"(?:href|src|action)\s*=\s*[\"']?\s*javascript:", re.I)
LOADED = re.compile(
    r"<(?:script|img|iframe|source|link[^>]*rel=\"(?:stylesheet|icon|preload)\")[^>]*?"
    r"\s(?:src|href)=\"([^\"]+)\"",
    re.I,
)


def assert_security_headers(response, csp=PUBLIC_CSP):
    assert response["Content-Security-Policy"] == csp
    assert response["Permissions-Policy"] == PERMISSIONS_POLICY
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "SAMEORIGIN"


def test_public_policy_allows_no_inline_script_and_nothing_from_other_hosts():
    policy = dict(part.split(" ", 1) for part in PUBLIC_CSP.split("; "))
    assert policy["script-src"] == "'self'"
    for directive in ("default-src", "connect-src", "font-src"):
        assert policy[directive] == "'self'"
    assert policy["img-src"] == "'self' data:"
    assert policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'self'"
    assert "unsafe-eval" not in PUBLIC_CSP and "unsafe-eval" not in ADMIN_CSP
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in PERMISSIONS_POLICY


def test_every_kind_of_public_page_carries_the_headers(client, public_pages):
    for kind, path in public_pages.pages.items():
        response = client.get(path)
        expected = 404 if kind == "not found" else 200
        assert response.status_code == expected, (kind, path, response.status_code)
        assert_security_headers(response)
        if not response["Content-Type"].startswith("text/html"):
            continue
        html = response.content.decode()
        assert not INLINE_SCRIPT.search(html), (kind, INLINE_SCRIPT.search(html).group())
        assert not EVENT_HANDLER.search(html), (kind, EVENT_HANDLER.search(html).group())
        assert not JAVASCRIPT_URL.search(html), kind
        for url in LOADED.findall(html):
            parts = urlsplit(url)
            assert not parts.netloc and not url.startswith("//"), (kind, url)


def test_citizen_account_pages_carry_the_headers(client, citizen):
    client.force_login(citizen.user)
    for path in ("/akun/", "/akun/kata-sandi/", "/akun/konfirmasi/", "/akun/aplikasi-terhubung/"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert_security_headers(response)


def test_admin_gets_its_own_policy(client, portal):
    login = client.get("/admin/login/")
    assert login.status_code == 200
    assert_security_headers(login, ADMIN_CSP)
    client.force_login(portal.operator_a)
    dashboard = client.get("/admin/")
    assert dashboard.status_code == 200
    assert_security_headers(dashboard, ADMIN_CSP)


def test_a_view_that_sets_its_own_policy_keeps_it(client, public_pages):
    """Dataset files carry a sandbox policy and Wagtail's documents a `default-src 'none'`:
    an uploaded file must never be run with the site's (looser) page policy."""
    for path, policy in [
        (public_pages.download, "sandbox; default-src 'none'"),
        (public_pages.document, "default-src 'none'"),
    ]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert response["Content-Security-Policy"] == policy
        assert response["Permissions-Policy"] == PERMISSIONS_POLICY


@override_settings(WAGTAIL_CACHE=True)
def test_pages_served_from_the_page_cache_carry_the_headers(client, public_pages):
    first = client.get(public_pages.pages["news"])
    second = client.get(public_pages.pages["news"])
    assert first.status_code == second.status_code == 200
    assert second.get("X-Wagtail-Cache") == "hit"
    assert_security_headers(second)


def production_transport_settings() -> dict:
    """The HTTPS settings production.py gives with no environment, read from its source: that
    module refuses to import outside a real deployment, and a copy of its values here could
    drift from it."""
    source = (Path(settings.BASE_DIR) / "satupintu" / "settings" / "production.py").read_text()
    names = {
        "SECURE_PROXY_SSL_HEADER",
        "SECURE_SSL_REDIRECT",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SECURE_HSTS_SECONDS",
    }
    namespace = {"__builtins__": {}, "os": SimpleNamespace(environ={}), "int": int}
    values = {}
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            name = getattr(node.targets[0], "id", None)
            if name in names:
                expression = ast.Expression(node.value)
                values[name] = eval(compile(expression, "production.py", "eval"), namespace)  # noqa: S307 - our own settings file, no builtins
    assert set(values) == names, names - set(values)
    return values


def test_production_turns_on_https_hsts_and_secure_cookies(portal):
    values = production_transport_settings()
    assert values["SECURE_HSTS_SECONDS"] >= 31536000
    assert values["SESSION_COOKIE_SECURE"] is values["CSRF_COOKIE_SECURE"] is True
    assert values["SECURE_SSL_REDIRECT"] is True
    https = {"HTTP_X_FORWARDED_PROTO": "https"}
    with override_settings(**values):
        client = Client()
        assert client.get("/akun/masuk/").status_code == 301  # plain HTTP goes to https
        response = client.get("/akun/masuk/", **https)
        assert response.status_code == 200
        assert response["Strict-Transport-Security"] == f"max-age={values['SECURE_HSTS_SECONDS']}"
        assert_security_headers(response)
        assert response.cookies["csrftoken"]["secure"] is True
        assert response.cookies["csrftoken"]["httponly"] is True
        signed_in = client.post(
            "/admin/login/",
            {"username": portal.operator_a.username, "password": portal.password},
            **https,
        )
        assert signed_in.status_code == 302
        session = signed_in.cookies[settings.SESSION_COOKIE_NAME]
        assert session["secure"] is True and session["httponly"] is True
