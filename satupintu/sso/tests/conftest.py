"""A live Satu Pintu, a citizen's browser (requests, walking the real pages) and relying parties
(Authlib's OAuth2Session) registered as the regency would register them. Everyone is invented."""

import html
import re
import secrets
import threading
from html.parser import HTMLParser
from http.server import BaseHTTPRequestHandler, HTTPServer
from types import SimpleNamespace
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
import requests
from authlib.integrations.requests_client import OAuth2Session

from satupintu.citizens.testing import PEOPLE

PASSWORD = "tiga kata acak sekali"  # noqa: S105 (test account)


# Every HTTP session a test opens against the live server. A kept-alive connection holds a
# live-server thread, and with it a database connection, after the test: on PostgreSQL the test
# database then cannot be dropped at the end of the run. Closed after each test.
_opened: list[requests.Session] = []


def http_session(session=None):
    session = session if session is not None else requests.Session()
    _opened.append(session)
    return session


@pytest.fixture(autouse=True)
def _close_http_sessions():
    yield
    while _opened:
        _opened.pop().close()


@pytest.fixture(autouse=True)
def _clean_counters():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def provider(transactional_db, live_server, settings):
    """The live server with the portal rebuilt (transactional tests flush the database)."""
    import conftest

    conftest.build_portal()
    issuer = live_server.url + "/sso"
    settings.OAUTH2_PROVIDER = {**settings.OAUTH2_PROVIDER, "OIDC_ISS_ENDPOINT": issuer}
    return SimpleNamespace(
        url=live_server.url,
        issuer=issuer,
        authorize=issuer + "/authorize/",
        token=issuer + "/token/",
        userinfo=issuer + "/userinfo/",
        jwks=issuer + "/.well-known/jwks.json",
        logout=issuer + "/logout/",
    )


def make_citizen(person, email, two_step=""):
    """A resident citizen (the domicile claims need one)."""
    from satupintu.citizens.testing import make_citizen as make

    citizen = make(person, email=email, password=PASSWORD, two_step=two_step)
    citizen.domicile_code = "35.24.01.2001"
    citizen.resident = True
    citizen.save()
    return citizen


@pytest.fixture
def siti(provider):
    return make_citizen(PEOPLE["siti"], "siti@example.org")


@pytest.fixture
def make_app(provider):
    """Register an app the way Kominfo does: a DOT Application plus its ClientPolicy."""
    from oauth2_provider.models import Application

    from satupintu.sso.models import ClientPolicy

    def make(name="Aplikasi Satu", host="rp-one.example", **policy):
        secret = secrets.token_urlsafe(32)
        redirect_uri = f"http://{host}/callback"
        app = Application.objects.create(
            name=name,
            client_type=Application.CLIENT_CONFIDENTIAL,
            authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
            client_secret=secret,
            redirect_uris=redirect_uri,
            post_logout_redirect_uris=f"http://{host}/signed-out",
            algorithm=Application.RS256_ALGORITHM,
        )
        policy.setdefault("allowed_scopes", ["openid", "profile", "email", "domicile", "identity"])
        ClientPolicy.objects.create(application=app, **policy)
        return SimpleNamespace(
            app=app,
            client_id=app.client_id,
            secret=secret,
            redirect_uri=redirect_uri,
            host=host,
        )

    return make


class _Forms(HTMLParser):
    def __init__(self):
        super().__init__()
        self.forms = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append({"action": attrs.get("action") or "", "fields": {}})
        elif (
            tag == "input"
            and self.forms
            and attrs.get("name")
            and attrs.get("type") in ("hidden", None, "text")
        ):
            self.forms[-1]["fields"][attrs["name"]] = html.unescape(attrs.get("value") or "")


def forms(page_html):
    parser = _Forms()
    parser.feed(page_html)
    return parser.forms


class Browser:
    """The citizen's browser: cookies, CSRF tokens, and redirects followed until the app's."""

    def __init__(self, base):
        self.base = base
        self.session = http_session()

    def get(self, url, **kwargs):
        return self.session.get(urljoin(self.base, url), allow_redirects=False, **kwargs)

    def submit(self, response, data, index=-1):
        """Post the page's `index`-th form with its hidden fields plus `data`."""
        form = forms(response.text)[index]
        action = urljoin(response.url, form["action"] or response.url)
        return self.session.post(
            action,
            data={**form["fields"], **data},
            allow_redirects=False,
            headers={"Referer": response.url},
        )

    def sign_in(self, citizen, code=None):
        page = self.session.get(self.base + "/akun/masuk/")
        response = self.submit(page, {"nik": citizen.nik, "password": PASSWORD})
        assert response.status_code == 302, response.text[:300]
        if citizen.two_step:
            page = self.session.get(self.base + "/akun/masuk/kode/")
            response = self.submit(page, {"code": code()})
            assert response.status_code == 302, response.text[:500]
        return response

    def follow(self, url, stop_at):
        """Follow redirects; return the first URL that leaves for `stop_at`, or the page."""
        url = urljoin(self.base, url)
        for _ in range(10):
            if url.startswith(stop_at):
                return url
            response = self.session.get(url, allow_redirects=False)
            if response.status_code not in (301, 302, 303):
                return response
            url = urljoin(url, response.headers["Location"])
        raise AssertionError("too many redirects")


@pytest.fixture
def browser(provider):
    return Browser(provider.url)


def last_code():
    from django.core import mail

    found = re.findall(r"\b(\d{6})\b", mail.outbox[-1].body)
    assert found, mail.outbox[-1].body
    return found[0]


class RelyingParty:
    """An app using Authlib's OAuth2Session: code + PKCE S256 + nonce."""

    def __init__(self, provider, registered, scope="openid profile email"):
        self.provider = provider
        self.registered = registered
        self.client = http_session(
            OAuth2Session(
                registered.client_id,
                registered.secret,
                scope=scope,
                redirect_uri=registered.redirect_uri,
                code_challenge_method="S256",
            )
        )
        self.verifier = secrets.token_urlsafe(48)
        self.nonce = secrets.token_urlsafe(16)

    def authorization_url(self, **extra):
        url, self.state = self.client.create_authorization_url(
            self.provider.authorize, code_verifier=self.verifier, nonce=self.nonce, **extra
        )
        return url

    def callback(self, location):
        query = parse_qs(urlsplit(location).query)
        return {k: v[0] for k, v in query.items()}

    def fetch_token(self, location):
        return self.client.fetch_token(
            self.provider.token,
            authorization_response=location,
            code_verifier=self.verifier,
            state=self.state,
        )

    def userinfo(self, access_token):
        return requests.get(
            self.provider.userinfo,
            headers={"Authorization": f"Bearer {access_token}"},
            timeout=5,
        )


def sign_in_to_app(browser, rp, consent=True, **extra):
    """The browser goes to the app's authorization URL; consents if asked; returns the
    callback URL the provider sent it to."""
    result = browser.follow(rp.authorization_url(**extra), rp.registered.redirect_uri)
    if not isinstance(result, str):
        assert result.status_code == 200, result.text[:500]
        assert consent, "a consent screen was shown"
        response = browser.submit(result, {"allow": "on"})
        assert response.status_code == 302, response.text[:500]
        result = response.headers["Location"]
    return result


class Receiver:
    """A small app endpoint that records back-channel logout POSTs."""

    def __init__(self):
        self.received = []
        self.status = 200  # what the app answers
        self.event = threading.Event()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's naming)
                length = int(self.headers.get("Content-Length", 0))
                body = parse_qs(self.rfile.read(length).decode())
                outer.received.append({"path": self.path, "body": body})
                self.send_response(outer.status)
                self.end_headers()
                outer.event.set()

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/backchannel"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.close()
