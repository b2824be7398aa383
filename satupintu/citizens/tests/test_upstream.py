"""Sign-in through an upstream OpenID provider, against a real provider on a real port.

`FakeProvider` is a small OpenID provider in a thread on 127.0.0.1: discovery, JWKS (an RSA key
made here), an authorization endpoint that "signs the person in" at once, a token endpoint that
checks the code, the client's credentials, the redirect URI and the PKCE verifier against the
S256 challenge, and UserInfo. The browser is the Django test client (served in-process) plus one
`requests.get` for the visit to the provider, so every redirect the browser follows is seen.
"""

import base64
import datetime
import hashlib
import json
import logging
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests
from django.contrib.auth import SESSION_KEY as AUTH_USER_KEY
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from joserfc import jwt
from joserfc.jwk import RSAKey

from satupintu.citizens import accounts, sessions
from satupintu.citizens.models import (
    AccountSession,
    Citizen,
    KnownDevice,
    SecurityEvent,
    UpstreamIdentity,
)
from satupintu.citizens.upstream import AUTH_SESSION, CONSENT_SESSION
from satupintu.identity import protection
from satupintu.registry.models import RegistryCheck

NIK = "3524011508900003"  # Lamongan, 15 August 1990, male
NIK_WOMAN = "3524015508900004"  # the same date, +40 on the day
NIK_CHILD = "3524011508150001"  # born 15 August 2015
START = "/akun/penyedia/masuk/"
CALLBACK = "/akun/penyedia/kembali/"
CONSENT = "/akun/penyedia/setuju/"


def _b64url_sha256(value: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(value.encode()).digest()).rstrip(b"=").decode()


class FakeProvider:
    """An OpenID provider good enough to be lied to on purpose (see `reset`)."""

    client_id = "satupintu-uji"
    client_secret = "rahasia-klien-uji"
    kid = "kunci-1"

    def __init__(self):
        params = {"kid": self.kid, "use": "sig", "alg": "RS256"}
        self.key = RSAKey.generate_key(2048, params)
        # Same kid, other key: what a forger would sign with.
        self.rogue_key = RSAKey.generate_key(2048, params)
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                provider._answer(self, "GET")

            def do_POST(self):
                provider._answer(self, "POST")

            def log_message(self, *args):  # keep the test output clean
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.issuer = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.reset()

    def start(self):
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def reset(self):
        self.person = {}  # the claims of whoever signs in at the provider
        self.userinfo_only = set()  # claim names served by UserInfo, not put in the id_token
        self.tamper = {}  # id_token claim overrides; a callable gets `now`, None removes
        self.sign_with = None
        self.deny = False  # the person presses "cancel" at the provider
        self.break_challenge = False  # the stored challenge no longer matches any verifier
        self.codes = {}
        self.tokens = {}
        self.authorize_requests = []
        self.token_requests = []
        self.userinfo_requests = 0

    # --- HTTP plumbing ---

    def _answer(self, handler, method):
        parts = urlsplit(handler.path)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        length = int(handler.headers.get("Content-Length") or 0)
        form = {k: v[0] for k, v in parse_qs(handler.rfile.read(length).decode()).items()}
        routes = {
            ("GET", "/.well-known/openid-configuration"): self._discovery,
            ("GET", "/jwks"): self._jwks,
            ("GET", "/authorize"): self._authorize,
            ("POST", "/token"): self._token,
            ("GET", "/userinfo"): self._userinfo,
        }
        route = routes.get((method, parts.path))
        if route is None:
            status, headers, body = 404, {}, {"error": "not_found"}
        else:
            status, headers, body = route(query=query, form=form, headers=handler.headers)
        payload = json.dumps(body).encode() if body is not None else b""
        handler.send_response(status)
        if body is not None:
            handler.send_header("Content-Type", "application/json")
        for name, value in headers.items():
            handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(payload)))
        handler.end_headers()
        handler.wfile.write(payload)

    # --- Endpoints ---

    def _discovery(self, **_kw):
        return (
            200,
            {},
            {
                "issuer": self.issuer,
                "authorization_endpoint": f"{self.issuer}/authorize",
                "token_endpoint": f"{self.issuer}/token",
                "userinfo_endpoint": f"{self.issuer}/userinfo",
                "jwks_uri": f"{self.issuer}/jwks",
                "response_types_supported": ["code"],
                "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "code_challenge_methods_supported": ["S256"],
                "token_endpoint_auth_methods_supported": ["client_secret_basic"],
                "authorization_response_iss_parameter_supported": True,
            },
        )

    def _jwks(self, **_kw):
        return 200, {}, {"keys": [self.key.as_dict(private=False)]}

    def _authorize(self, query, **_kw):
        self.authorize_requests.append(query)
        required = ("client_id", "redirect_uri", "state", "nonce", "code_challenge")
        if (
            query.get("response_type") != "code"
            or query.get("client_id") != self.client_id
            or not all(query.get(name) for name in required)
            or "openid" not in query.get("scope", "").split()
        ):
            return 400, {}, {"error": "invalid_request"}
        back = {"state": query["state"], "iss": self.issuer}
        if self.deny:
            back["error"] = "access_denied"
        else:
            code = secrets.token_urlsafe(16)
            self.codes[code] = {
                "redirect_uri": query["redirect_uri"],
                "challenge": query["code_challenge"],
                "method": query.get("code_challenge_method", "plain"),
                "nonce": query["nonce"],
            }
            back["code"] = code
        return 302, {"Location": f"{query['redirect_uri']}?{urlencode(back)}"}, None

    def _token(self, form, headers, **_kw):
        record = {"form": dict(form)}
        self.token_requests.append(record)

        def refuse(reason):
            record["outcome"] = reason
            return 400, {}, {"error": "invalid_grant" if reason != "client" else "invalid_client"}

        expected = base64.b64encode(f"{self.client_id}:{self.client_secret}".encode()).decode()
        if headers.get("Authorization") != f"Basic {expected}":
            return refuse("client")
        if form.get("grant_type") != "authorization_code":
            return refuse("grant_type")
        grant = self.codes.pop(form.get("code", ""), None)
        if grant is None:
            return refuse("code")
        if form.get("redirect_uri") != grant["redirect_uri"]:
            return refuse("redirect_uri")
        verifier = form.get("code_verifier", "")
        challenge = "nothing-hashes-to-this" if self.break_challenge else grant["challenge"]
        if grant["method"] != "S256" or not (43 <= len(verifier) <= 128):
            return refuse("pkce_method")
        if _b64url_sha256(verifier) != challenge:
            return refuse("pkce_verifier")
        record["outcome"] = "ok"
        access_token = secrets.token_urlsafe(16)
        self.tokens[access_token] = dict(self.person)
        return (
            200,
            {"Cache-Control": "no-store"},
            {
                "access_token": access_token,
                "token_type": "Bearer",
                "expires_in": 300,
                "id_token": self._id_token(grant["nonce"]),
            },
        )

    def _id_token(self, nonce):
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "sub": self.person.get("sub"),
            "aud": self.client_id,
            "exp": now + 300,
            "iat": now,
            "auth_time": now,
            "nonce": nonce,
        }
        claims.update(
            {k: v for k, v in self.person.items() if k != "sub" and k not in self.userinfo_only}
        )
        for name, value in self.tamper.items():
            if value is None:
                claims.pop(name, None)
            else:
                claims[name] = value(now) if callable(value) else value
        key = self.sign_with or self.key
        return jwt.encode({"alg": "RS256", "kid": self.kid}, claims, key)

    def _userinfo(self, headers, **_kw):
        self.userinfo_requests += 1
        token = (headers.get("Authorization") or "").removeprefix("Bearer ")
        person = self.tokens.get(token)
        if person is None:
            return 401, {"WWW-Authenticate": 'Bearer error="invalid_token"'}, None
        return 200, {}, dict(person)


@pytest.fixture(scope="module")
def provider():
    fake = FakeProvider()
    fake.start()
    yield fake
    fake.stop()


@pytest.fixture
def op(provider, settings, db):
    provider.reset()
    provider.person = {
        "sub": "inapas-7f3a",
        "nik": NIK,
        "name": "Budi Santoso",
        "birthdate": "1990-08-15",
        "email": "budi@contoh.id",
        "email_verified": True,
    }
    cache.clear()  # the discovery document and JWKS of an earlier test's provider state
    settings.SATUPINTU_UPSTREAM_OIDC = {
        "NAME": "INApas Uji",
        "ISSUER": provider.issuer,
        "CLIENT_ID": provider.client_id,
        "CLIENT_SECRET": provider.client_secret,
        "SCOPE": "openid profile email nik",
        "NIK_CLAIM": "nik",
        "CA_BUNDLE": "",
    }
    yield provider
    cache.clear()


@pytest.fixture
def logs(caplog):
    caplog.set_level(logging.DEBUG)
    return caplog


def sign_in_at_provider(client, op, edit_callback=None):
    """Start at the portal, visit the provider, come back. Returns the callback's response and
    every URL the browser was sent to."""
    started = client.get(START)
    assert started.status_code == 302, started.status_code
    redirects = [started["Location"]]
    assert started["Location"].startswith(f"{op.issuer}/authorize?")
    at_provider = requests.get(started["Location"], allow_redirects=False, timeout=5)
    assert at_provider.status_code == 302
    back = at_provider.headers["Location"]
    redirects.append(back)
    parts = urlsplit(back)
    assert (parts.scheme, parts.netloc, parts.path) == ("http", "testserver", CALLBACK)
    query = edit_callback(parts.query) if edit_callback else parts.query
    response = client.get(f"{parts.path}?{query}")
    if response.status_code == 302:
        redirects.append(response["Location"])
    return response, redirects


def assert_private(nik, logs, redirects, *pages):
    """The NIK is in no log record, no URL the browser was sent to, and no page body."""
    for record in logs.records:
        assert nik not in record.getMessage(), record.name
        assert nik not in repr(record.args), record.name
    for url in redirects:
        assert nik not in url
    for page in pages:
        assert nik.encode() not in page.content


def make_citizen(nik=NIK, email="", level=Citizen.IdentityLevel.UNVERIFIED):
    citizen = accounts.create_citizen(
        nik=nik,
        full_name="Budi Santoso",
        birth_date=datetime.date(1990, 8, 15),
        sex="L",
        verdict_row=None,
        contact={"email": email} if email else {},
        level=level,
        source="",
    )
    citizen.user.set_password("sandi-lama-yang-cukup-panjang")
    citizen.user.save()
    return citizen


def signed_in_elsewhere(user):
    """Another browser with a live AccountSession for `user`."""
    other = Client()
    other.force_login(user, backend=accounts.BACKEND)
    row = AccountSession.objects.create(user=user, amr=["pwd"], acr=accounts.ACR_PWD)
    session = other.session
    session[sessions.SESSION_KEY] = str(row.id)
    session.save()
    return other, row


def session_user_id(client):
    return client.session.get(AUTH_USER_KEY)


# --- New, returning and existing accounts ---------------------------------------------------


def test_new_citizen_signs_up_through_the_consent_page(client, op, logs):
    response, redirects = sign_in_at_provider(client, op)
    assert response.status_code == 302
    assert response["Location"] == CONSENT
    assert not Citizen.objects.by_nik(NIK).exists()
    # The verified claims wait in the session encrypted; the id_token is not kept at all.
    stored = json.dumps(dict(client.session.items()), default=str)
    assert NIK not in stored and "Budi" not in stored and "eyJ" not in stored
    assert AUTH_SESSION not in client.session

    page = client.get(CONSENT)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Data yang akan disimpan dari INApas Uji:" in html
    assert "3524********0003" in html
    assert "Pasal 20 ayat (2) huruf e" in html
    assert '<meta name="robots" content="noindex">' in html
    assert "budi@contoh.id" in html

    done = client.post(CONSENT, {"action": "agree"})
    assert done.status_code == 302
    assert done["Location"] == reverse("citizens:account")
    redirects.append(done["Location"])

    citizen = Citizen.objects.by_nik(NIK).select_related("user").get()
    user = citizen.user
    assert citizen.full_name == "Budi Santoso"
    assert citizen.birth_date == datetime.date(1990, 8, 15)
    assert citizen.sex == "L"
    assert citizen.identity_level == Citizen.IdentityLevel.REGISTRY
    assert citizen.identity_source == f"upstream:{op.issuer}"
    assert citizen.resident is None
    assert citizen.confirmed_email == "budi@contoh.id"
    assert not user.has_usable_password()
    link = UpstreamIdentity.objects.get(user=user)
    assert (link.issuer, link.subject) == (op.issuer, "inapas-7f3a")
    check = RegistryCheck.objects.get(user=user)
    assert check.backend == "upstream"
    assert check.fields == {"nik": True, "full_name": True, "birth_date": True}
    assert check.matched and check.resident is None
    assert session_user_id(client) == str(user.pk)
    row = AccountSession.objects.get(user=user, ended_at__isnull=True)
    assert row.amr == ["fed"] and row.acr == accounts.ACR_UPSTREAM
    kinds = set(SecurityEvent.objects.filter(user=user).values_list("kind", flat=True))
    assert {SecurityEvent.Kind.SIGNUP, SecurityEvent.Kind.UPSTREAM_LINKED} <= kinds
    assert SecurityEvent.Kind.ACCOUNT_RECLAIMED not in kinds
    assert CONSENT_SESSION not in client.session
    assert_private(NIK, logs, redirects, page)


def test_nik_and_profile_from_userinfo(client, op):
    op.userinfo_only = {"nik", "name", "birthdate", "email", "email_verified"}
    op.person.update({"nik": NIK_WOMAN, "email_verified": False, "name": "Siti Aminah"})
    response, _ = sign_in_at_provider(client, op)
    assert response["Location"] == CONSENT
    assert op.userinfo_requests == 1
    assert client.post(CONSENT, {"action": "agree"}).status_code == 302
    citizen = Citizen.objects.by_nik(NIK_WOMAN).get()
    assert citizen.full_name == "Siti Aminah"
    assert citizen.sex == "P"
    assert citizen.email == ""  # not verified by the provider, so not taken


def test_birth_date_falls_back_to_the_nik(client, op):
    op.tamper = {"birthdate": None}
    op.person.pop("birthdate")
    sign_in_at_provider(client, op)
    page = client.get(CONSENT)
    assert "dibaca dari NIK" in page.content.decode()
    client.post(CONSENT, {"action": "agree"})
    citizen = Citizen.objects.by_nik(NIK).get()
    assert citizen.birth_date == datetime.date(1990, 8, 15)
    check = RegistryCheck.objects.get(user=citizen.user)
    assert check.fields == {"nik": True, "full_name": True}


def test_cancelling_consent_creates_nothing(client, op):
    sign_in_at_provider(client, op)
    response = client.post(CONSENT, {"action": "cancel"})
    assert response.status_code == 302
    assert response["Location"] == reverse("citizens:signin")
    assert not Citizen.objects.exists()
    assert not UpstreamIdentity.objects.exists()
    assert CONSENT_SESSION not in client.session
    # The consent page cannot be replayed afterwards.
    again = client.post(CONSENT, {"action": "agree"})
    assert again.status_code == 400
    assert not Citizen.objects.exists()


def test_returning_subject_signs_in_without_consent(client, op, logs):
    citizen = make_citizen(level=Citizen.IdentityLevel.REGISTRY)
    long_ago = datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)
    UpstreamIdentity.objects.create(
        user=citizen.user,
        issuer=op.issuer,
        subject="inapas-7f3a",
        linked_at=long_ago,
        last_used_at=long_ago,
    )
    other, row = signed_in_elsewhere(citizen.user)

    response, redirects = sign_in_at_provider(client, op)
    assert response.status_code == 302
    assert response["Location"] == reverse("citizens:account")
    assert session_user_id(client) == str(citizen.user.pk)
    link = UpstreamIdentity.objects.get(user=citizen.user)
    assert link.last_used_at > long_ago
    assert Citizen.objects.count() == 1
    row.refresh_from_db()
    assert row.ended_at is None  # a returning sign-in is no reclaim
    assert not SecurityEvent.objects.filter(kind=SecurityEvent.Kind.ACCOUNT_RECLAIMED).exists()
    new = AccountSession.objects.filter(user=citizen.user, amr=["fed"])
    assert new.count() == 1
    assert_private(NIK, logs, redirects)


def test_existing_nik_account_is_reclaimed(client, op, logs, mailoutbox):
    citizen = make_citizen(email="lama@contoh.id")
    user = citizen.user
    other, row = signed_in_elsewhere(user)
    KnownDevice.objects.create(user=user, token_hash="perangkat-lama")

    response, redirects = sign_in_at_provider(client, op)
    assert response.status_code == 302
    assert response["Location"] == reverse("citizens:account")
    assert session_user_id(client) == str(user.pk)

    link = UpstreamIdentity.objects.get(issuer=op.issuer, subject="inapas-7f3a")
    assert link.user == user
    citizen.refresh_from_db()
    assert citizen.identity_level == Citizen.IdentityLevel.REGISTRY
    assert citizen.identity_source == f"upstream:{op.issuer}"
    # Every other session ended, and that browser is signed out at its next request.
    row.refresh_from_db()
    assert row.ended_at is not None and row.end_reason == "reclaimed"
    elsewhere = other.get(reverse("citizens:account"))
    assert elsewhere.status_code == 302
    assert elsewhere["Location"].startswith(reverse("citizens:signin"))
    assert AUTH_USER_KEY not in other.session
    # The new session lives; old device trust is gone.
    assert AccountSession.objects.filter(user=user, ended_at__isnull=True, amr=["fed"]).exists()
    assert not KnownDevice.objects.filter(token_hash="perangkat-lama").exists()
    kinds = list(SecurityEvent.objects.filter(user=user).values_list("kind", flat=True))
    assert SecurityEvent.Kind.ACCOUNT_RECLAIMED in kinds
    assert SecurityEvent.Kind.UPSTREAM_LINKED in kinds
    # The previous confirmed contact is told, without the NIK.
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["lama@contoh.id"]
    assert "INApas Uji" in message.subject
    assert NIK not in message.body and NIK not in message.subject
    assert_private(NIK, logs, redirects)


def test_a_reclaim_removes_every_foothold_of_whoever_opened_the_account(client, op):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    citizen = make_citizen(email="penyerobot@contoh.id")
    citizen.two_step = Citizen.TwoStep.TOTP
    citizen.save()
    TOTPDevice.objects.create(user=citizen.user, name="app", confirmed=True)
    sign_in_at_provider(client, op)
    citizen.refresh_from_db()
    citizen.user.refresh_from_db()
    # The old password no longer signs in, no reset code can reach the old contact, and the
    # old authenticator is gone: only the NIK's owner, proven upstream, holds the account.
    assert not citizen.user.has_usable_password()
    assert citizen.email == "" and citizen.confirmed_email == ""
    assert citizen.two_step == "" and not TOTPDevice.objects.exists()
    other = Client()
    response = other.post(
        reverse("citizens:signin"), {"nik": NIK, "password": "sandi-lama-yang-cukup-panjang"}
    )
    assert response.status_code == 200
    # The owner sets a password of their own straight after signing in upstream.
    new = "kata sandi milik pemilik asli"
    response = client.post(reverse("citizens:password"), {"password1": new, "password2": new})
    assert response.status_code == 302
    citizen.user.refresh_from_db()
    assert citizen.user.check_password(new)


def test_account_already_linked_to_the_provider_is_no_reclaim(client, op, mailoutbox):
    citizen = make_citizen(email="lama@contoh.id", level=Citizen.IdentityLevel.IN_PERSON)
    UpstreamIdentity.objects.create(user=citizen.user, issuer=op.issuer, subject="akun-lama")
    other, row = signed_in_elsewhere(citizen.user)

    response, _ = sign_in_at_provider(client, op)
    assert response["Location"] == reverse("citizens:account")
    assert UpstreamIdentity.objects.filter(user=citizen.user).count() == 2
    row.refresh_from_db()
    assert row.ended_at is None
    assert mailoutbox == []
    citizen.refresh_from_db()
    assert citizen.identity_level == Citizen.IdentityLevel.IN_PERSON  # never lowered


# --- Refusals -------------------------------------------------------------------------------


def _wrong_signature(op):
    op.sign_with = op.rogue_key


REFUSALS = {
    "bad signature": _wrong_signature,
    "wrong iss": lambda op: op.tamper.update(iss="http://127.0.0.1:9/lain"),
    "wrong aud": lambda op: op.tamper.update(aud="aplikasi-lain"),
    "other azp": lambda op: op.tamper.update(azp="aplikasi-lain"),
    "expired": lambda op: op.tamper.update(exp=lambda now: now - 300, iat=lambda now: now - 900),
    "wrong nonce": lambda op: op.tamper.update(nonce="nonce-lain"),
    "no nonce": lambda op: op.tamper.update(nonce=None),
}


@pytest.mark.parametrize("existing", [False, True], ids=["new", "existing-account"])
@pytest.mark.parametrize("case", list(REFUSALS))
def test_untrustworthy_id_token_is_refused(client, op, logs, case, existing):
    citizen = make_citizen(email="lama@contoh.id") if existing else None
    other, row = signed_in_elsewhere(citizen.user) if existing else (None, None)
    REFUSALS[case](op)

    response, redirects = sign_in_at_provider(client, op)
    assert response.status_code == 400
    assert "tidak dapat dipastikan keasliannya" in response.content.decode()
    assert op.token_requests[-1]["outcome"] == "ok"  # refused by us, not by the provider
    assert session_user_id(client) is None
    assert Citizen.objects.count() == (1 if existing else 0)
    assert not UpstreamIdentity.objects.exists()
    assert CONSENT_SESSION not in client.session
    if existing:
        row.refresh_from_db()
        assert row.ended_at is None
        citizen.refresh_from_db()
        assert citizen.identity_level == Citizen.IdentityLevel.UNVERIFIED
        assert not SecurityEvent.objects.filter(kind=SecurityEvent.Kind.ACCOUNT_RECLAIMED).exists()
    assert_private(NIK, logs, redirects, response)


def test_state_mismatch_is_refused_before_the_code_is_used(client, op):
    def forge(query):
        params = {k: v[0] for k, v in parse_qs(query).items()}
        params["state"] = "state-penyerang"
        return urlencode(params)

    response, _ = sign_in_at_provider(client, op, edit_callback=forge)
    assert response.status_code == 400
    assert "kedaluwarsa" in response.content.decode()
    assert op.token_requests == []
    assert not Citizen.objects.exists()
    assert session_user_id(client) is None


def test_callback_without_a_started_sign_in_is_refused(client, op):
    response = client.get(f"{CALLBACK}?code=abc&state=def")
    assert response.status_code == 400
    assert op.token_requests == []


def test_the_callback_is_good_for_one_try(client, op):
    first, redirects = sign_in_at_provider(client, op)
    assert first["Location"] == CONSENT
    replay = client.get(redirects[1].removeprefix("http://testserver"))
    assert replay.status_code == 400


@pytest.mark.parametrize(
    "claims, status, text",
    [
        ({"nik": None}, 403, "tidak mengirimkan NIK"),
        ({"nik": "3524011508900000"}, 403, "tidak sesuai format NIK"),  # serial 0000
        ({"nik": "35240115089"}, 403, "tidak sesuai format NIK"),
        ({"nik": NIK_CHILD, "birthdate": "2015-08-15"}, 403, "17 tahun ke atas"),
        ({"name": None}, 403, "tidak mengirimkan nama"),
    ],
    ids=["missing NIK", "serial 0000", "too short", "minor", "no name"],
)
def test_unusable_claims_are_refused(client, op, logs, claims, status, text):
    for name, value in claims.items():
        if value is None:
            op.person.pop(name)
        else:
            op.person[name] = value
    response, redirects = sign_in_at_provider(client, op)
    assert response.status_code == status
    html = response.content.decode()
    assert text in html
    assert "Traceback" not in html
    assert not Citizen.objects.exists()
    assert not UpstreamIdentity.objects.exists()
    assert CONSENT_SESSION not in client.session
    assert session_user_id(client) is None
    for nik in (NIK, "3524011508900000", NIK_CHILD):
        assert_private(nik, logs, redirects, response)


def test_missing_nik_is_looked_for_in_userinfo(client, op):
    op.person.pop("nik")
    sign_in_at_provider(client, op)
    assert op.userinfo_requests == 1


def test_cancel_at_the_provider(client, op):
    op.deny = True
    response, _ = sign_in_at_provider(client, op)
    assert response.status_code == 400
    assert "dibatalkan" in response.content.decode()
    assert op.token_requests == []


# --- PKCE, configuration --------------------------------------------------------------------


def test_pkce_s256_is_sent_and_checked(client, op):
    response, _ = sign_in_at_provider(client, op)
    assert response["Location"] == CONSENT
    authorize = op.authorize_requests[-1]
    assert authorize["code_challenge_method"] == "S256"
    assert len(authorize["code_challenge"]) == 43
    assert authorize["redirect_uri"] == "http://testserver/akun/penyedia/kembali/"
    token = op.token_requests[-1]
    assert token["outcome"] == "ok"
    assert _b64url_sha256(token["form"]["code_verifier"]) == authorize["code_challenge"]
    assert "client_secret" not in token["form"]  # sent as HTTP Basic, not in the body


def test_a_provider_refusing_the_verifier_stops_the_sign_in(client, op):
    op.break_challenge = True
    response, _ = sign_in_at_provider(client, op)
    assert response.status_code == 400
    assert op.token_requests[-1]["outcome"] == "pkce_verifier"
    assert session_user_id(client) is None
    assert not Citizen.objects.exists()


def test_discovery_must_name_the_configured_issuer(client, op, settings):
    settings.SATUPINTU_UPSTREAM_OIDC = {
        **settings.SATUPINTU_UPSTREAM_OIDC,
        "ISSUER": f"{op.issuer}/",
    }
    response = client.get(START)
    assert response.status_code == 502
    assert "tidak dapat dihubungi" in response.content.decode()
    assert op.authorize_requests == []


def test_plain_http_is_refused_for_other_hosts(client, op, settings):
    settings.SATUPINTU_UPSTREAM_OIDC = {
        **settings.SATUPINTU_UPSTREAM_OIDC,
        "ISSUER": "http://idp.contoh.id",
    }
    response = client.get(START)
    assert response.status_code == 502


def test_not_configured_is_not_found(client, settings, db):
    settings.SATUPINTU_UPSTREAM_OIDC = {
        **settings.SATUPINTU_UPSTREAM_OIDC,
        "ISSUER": "",
    }
    assert client.get(START).status_code == 404
    assert client.get(f"{CALLBACK}?code=a&state=b").status_code == 404
    assert client.get(CONSENT).status_code == 404


def test_unknown_key_id_refetches_the_keys(client, op):
    """A provider that rotated its key since the JWKS was cached is still believed."""
    sign_in_at_provider(client, op)  # caches the JWKS
    client.post(CONSENT, {"action": "cancel"})
    old = op.key
    op.kid = "kunci-2"
    op.key = RSAKey.generate_key(2048, {"kid": "kunci-2", "use": "sig", "alg": "RS256"})
    try:
        response, _ = sign_in_at_provider(client, op)
    finally:
        op.key, op.kid = old, FakeProvider.kid
    assert response["Location"] == CONSENT


def test_english_interface_is_kept_but_the_redirect_uri_is_not_prefixed(client, op):
    started = client.get(f"/en{START}")
    assert started.status_code == 302
    query = parse_qs(urlsplit(started["Location"]).query)
    assert query["redirect_uri"] == ["http://testserver/akun/penyedia/kembali/"]
    back = requests.get(started["Location"], allow_redirects=False, timeout=5).headers["Location"]
    response = client.get(back.removeprefix("http://testserver"))
    assert response["Location"] == f"/en{CONSENT}"
    done = client.post(f"/en{CONSENT}", {"action": "agree"})
    assert done["Location"] == "/en/akun/"


def test_consent_data_is_encrypted_with_the_identity_key(client, op):
    sign_in_at_provider(client, op)
    token = client.session[CONSENT_SESSION]["claims"]
    assert NIK not in token
    assert json.loads(protection.decrypt(token))["nik"] == NIK
