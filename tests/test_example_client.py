"""The example relying party in examples/oidc-client/app.py, run for real against the live
portal: a citizen signs in to it through Satu Pintu (discovery, code + PKCE, consent, the
id_token checked against the JWKS, UserInfo), and signing out of the portal signs them out of
the example too, through its back-channel logout endpoint.

The helpers here (loading the example, registering its client, serving it) are shared with the
browser test in tests/browser/test_single_sign_on.py.
"""

import html
import importlib.util
import secrets
import socketserver
import threading
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import pytest
import requests

from satupintu.citizens.testing import PEOPLE
from satupintu.demo.seed import EXAMPLE_CLIENT_ID as CLIENT_ID

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "oidc-client" / "app.py"

CITIZEN_PASSWORD = "padi menguning di sawah"  # noqa: S105 (a test account)


# --- Shared with the browser test ------------------------------------------------------------


def load_example():
    """A fresh copy of the example module (its SESSIONS and settings are module globals)."""
    name = f"satupintu_example_oidc_client_{secrets.token_hex(4)}"
    spec = importlib.util.spec_from_file_location(name, EXAMPLE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def use_live_issuer(settings, live_server):
    """Pin the provider's issuer to `<live_server.url>/sso`, as the SSO tests do.

    The test settings leave OIDC_ISS_ENDPOINT empty, so discovery and ID tokens name the host
    the request came to (`<live_server.url>/sso`) and that is what the example's ISSUER must
    be. Two other places do not follow the request, and the example rightly refuses both: the
    RFC 9207 `iss` parameter on the authorization response names the host's root
    (`<live_server.url>`: DOT derives it from the RFC 8414 metadata URL, which /sso/ does not
    route) and the back-channel logout tokens, built outside any request, name
    `SATUPINTU_BASE_URL + /sso` (http://127.0.0.1:8000/sso). With the issuer pinned, all four
    agree; in production OIDC_ISS_ENDPOINT is always set."""
    issuer = live_server.url + "/sso"
    settings.OAUTH2_PROVIDER = {**settings.OAUTH2_PROVIDER, "OIDC_ISS_ENDPOINT": issuer}
    return issuer


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


class _ThreadingWSGIServer(socketserver.ThreadingMixIn, WSGIServer):
    """wsgiref's server, one thread per request: a browser connection left open must not
    hold up the provider's back-channel POST."""

    daemon_threads = True


class ExampleApp:
    """The example relying party served on 127.0.0.1 (a free port) in a background thread."""

    def __init__(self, issuer):
        self.module = load_example()
        self.server = make_server(
            "127.0.0.1",
            0,
            self.module.app,
            server_class=_ThreadingWSGIServer,
            handler_class=_QuietHandler,
        )
        self.port = self.server.server_port
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.redirect_uri = f"{self.base_url}/callback"
        self.issuer = issuer
        self.thread = None

    def configure(self, client_id, client_secret):
        """Set the module globals the example reads from the environment at import time."""
        self.module.ISSUER = self.issuer.rstrip("/")
        self.module.CLIENT_ID = client_id
        self.module.CLIENT_SECRET = client_secret
        self.module.BASE_URL = self.base_url
        self.module.REDIRECT_URI = self.redirect_uri

    def start(self):
        self.thread = threading.Thread(
            target=self.server.serve_forever, name="example-oidc-client", daemon=True
        )
        self.thread.start()

    def close(self):
        if self.thread is not None:
            self.server.shutdown()
            self.thread.join(timeout=5)
        self.server.server_close()

    @property
    def sessions(self):
        return self.module.SESSIONS


def register_example_client(example, owner=None, catalogue=True):
    """The example's client as the demo registers it, at the example's real address. Returns
    the plaintext secret."""
    from satupintu.demo.seed import register_example_client as register
    from satupintu.opd.models import OPD

    secret = secrets.token_urlsafe(24)
    owner = (
        owner
        or OPD.objects.filter(slug="diskominfo").first()
        or OPD.objects.filter(home_page__isnull=False).order_by("pk").first()
    )
    register(secret, base_url=example.base_url, owner=owner, catalogue=catalogue)
    example.configure(CLIENT_ID, secret)
    return secret


def make_citizen(person=None, email="siti.sso@example.org", password=CITIZEN_PASSWORD):
    from satupintu.citizens.testing import make_citizen as make

    return make(person or PEOPLE["siti"], email=email, password=password)


def wait_for_backchannel(timeout=10):
    """Wait for the provider's back-channel logout deliveries (they run in threads)."""
    from satupintu.sso import logout

    return logout.wait_for_deliveries(timeout)


@pytest.fixture
def example(transactional_db, live_server, settings):
    """The portal rebuilt (transactional tests flush the database), the issuer pinned to the
    live server, and the example app registered and serving."""
    from django.core.cache import cache

    import conftest

    conftest.build_portal()
    cache.clear()  # sign-in throttling counters live in the cache
    app = ExampleApp(use_live_issuer(settings, live_server))
    try:
        register_example_client(app)
        app.start()
        yield app
    finally:
        wait_for_backchannel()
        app.close()
        cache.clear()


# --- The requests-driven flow -----------------------------------------------------------------


class _Forms(HTMLParser):
    def __init__(self):
        super().__init__()
        self.forms = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append(
                {"action": attrs.get("action") or "", "method": attrs.get("method"), "fields": {}}
            )
        elif (
            tag == "input"
            and self.forms
            and attrs.get("name")
            and attrs.get("type") in (None, "hidden", "text")
        ):
            self.forms[-1]["fields"][attrs["name"]] = html.unescape(attrs.get("value") or "")


def submit(session, response, data, field=None, action=None):
    """POST the page's form that has the input `field` (or posts to `action`), with its
    hidden fields plus `data`."""
    parser = _Forms()
    parser.feed(response.text)
    form = next(
        (
            f
            for f in parser.forms
            if (field is None or field in f["fields"])
            and (action is None or f["action"].endswith(action))
        ),
        None,
    )
    assert form is not None, f"no form with {field or action} at {response.url}"
    return session.post(
        urljoin(response.url, form["action"] or response.url),
        data={**form["fields"], **data},
        headers={"Referer": response.url},
        allow_redirects=True,
        timeout=10,
    )


def test_example_app_signs_in_and_is_signed_out_by_back_channel(example, live_server, request):
    from satupintu.citizens.models import AccountSession
    from satupintu.sso.models import Consent

    citizen = make_citizen()
    person = PEOPLE["siti"]
    browser = requests.Session()  # one cookie jar: the example's and the portal's cookies
    # Closed after the test: a kept-alive connection would hold a live-server thread and its
    # database connection, and PostgreSQL could not drop the test database at the end.
    request.addfinalizer(browser.close)

    # The example offers to sign in; following it lands on the portal's sign-in page.
    home = browser.get(example.base_url + "/", timeout=10)
    assert home.status_code == 200 and "Anda belum masuk" in home.text
    signin = browser.get(example.base_url + "/login", timeout=10)
    assert signin.status_code == 200, signin.text[:500]
    assert signin.url.startswith(live_server.url + "/akun/masuk/"), signin.url

    # NIK and password; the portal sends the browser back to the authorize endpoint, which
    # asks for consent.
    consent = submit(browser, signin, {"nik": person.nik, "password": CITIZEN_PASSWORD}, "nik")
    assert consent.status_code == 200, consent.text[:500]
    assert consent.url.startswith(example.issuer + "/authorize/"), consent.url
    assert "Contoh Aplikasi Daerah" in consent.text and 'name="allow"' in consent.text

    # Allowing sends the browser to the example's callback, which redeems the code, checks the
    # id_token and reads UserInfo, then shows who is signed in.
    signed_in = submit(browser, consent, {"allow": "on"}, "client_id")
    assert signed_in.status_code == 200, signed_in.text[:800]
    assert signed_in.url == example.base_url + "/", signed_in.url
    assert f"Anda masuk sebagai {person.name}." in signed_in.text, signed_in.text[:800]
    consent_row = Consent.objects.get(user=citizen.user)
    assert consent_row.shown and consent_row.revoked_at is None

    (session,) = [s for s in example.sessions.values() if s.get("claims")]
    assert session["claims"]["name"] == person.name
    assert session["sub"] and session["sid"]
    assert person.nik not in repr(session)  # the `nik` scope was not asked for

    # Signing out of the portal (not of the example): the provider POSTs a logout token to
    # the example's /backchannel-logout, which ends its session for that subject.
    account = browser.get(live_server.url + "/akun/", timeout=10)
    assert account.status_code == 200 and account.url == live_server.url + "/akun/", account.url
    signed_out = submit(browser, account, {}, action="/akun/keluar/")
    assert signed_out.status_code == 200
    row = AccountSession.objects.get(user=citizen.user)
    assert row.ended_at is not None
    assert wait_for_backchannel(), "back-channel logout still running"
    assert not session, f"the example still holds the session: {session}"
    again = browser.get(example.base_url + "/", timeout=10)
    assert "Anda belum masuk" in again.text
