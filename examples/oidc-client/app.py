#!/usr/bin/env python3
"""A small relying party: an app of the regency that signs citizens in through Satu Pintu.

It is what an OPD's developer needs to copy, in ~200 lines of standard-library Python plus
Authlib (already a Satu Pintu dependency): OpenID Connect discovery, the authorization code
flow with PKCE (S256), `state` and `nonce`, the id_token checked against the provider's JWKS,
UserInfo, RP-initiated logout and a back-channel logout endpoint.

Run it beside the demo (`make demo` in another terminal, then register the client: the demo
prints its id and secret, or Kominfo creates one in the admin under the app catalogue):

    SATUPINTU_CLIENT_ID=... SATUPINTU_CLIENT_SECRET=... .venv/bin/python examples/oidc-client/app.py

and open http://127.0.0.1:8001/. Settings (environment):
    SATUPINTU_ISSUER        http://127.0.0.1:8000/sso   (the issuer in the discovery document)
    SATUPINTU_CLIENT_ID     the client id
    SATUPINTU_CLIENT_SECRET the client secret
    EXAMPLE_BASE_URL        http://127.0.0.1:8001       (redirect URI = this + /callback)

This is an example: sessions live in memory and nothing is persisted. A real app keeps its
sessions in its own store and must keep the client secret out of its code.
"""

import html
import json
import os
import secrets
import time
import urllib.parse
from http import cookies
from wsgiref.simple_server import make_server

import requests
from authlib.integrations.requests_client import OAuth2Session
from joserfc import jwt
from joserfc.jwk import KeySet

ISSUER = os.environ.get("SATUPINTU_ISSUER", "http://127.0.0.1:8000/sso").rstrip("/")
CLIENT_ID = os.environ.get("SATUPINTU_CLIENT_ID", "")
CLIENT_SECRET = os.environ.get("SATUPINTU_CLIENT_SECRET", "")
BASE_URL = os.environ.get("EXAMPLE_BASE_URL", "http://127.0.0.1:8001").rstrip("/")
REDIRECT_URI = f"{BASE_URL}/callback"
SCOPE = "openid profile email identity"

SESSIONS: dict[str, dict] = {}  # session id -> {"state", "nonce", "verifier", "claims", "sid"}


def discovery() -> dict:
    response = requests.get(f"{ISSUER}/.well-known/openid-configuration", timeout=5)
    response.raise_for_status()
    document = response.json()
    if document["issuer"].rstrip("/") != ISSUER:
        raise RuntimeError("the discovery document names another issuer")
    return document


def keys(document) -> KeySet:
    return KeySet.import_key_set(requests.get(document["jwks_uri"], timeout=5).json())


def verify_jwt(token: str, document, **expected) -> dict:
    """Signature against the JWKS, then issuer, audience, expiry and any expected claim."""
    claims = jwt.decode(token, keys(document), algorithms=["RS256"]).claims
    if claims.get("iss", "").rstrip("/") != ISSUER:
        raise ValueError("wrong issuer")
    audience = claims.get("aud")
    if CLIENT_ID not in (audience if isinstance(audience, list) else [audience]):
        raise ValueError("wrong audience")
    if "exp" in claims and claims["exp"] < time.time() - 60:
        raise ValueError("expired")
    for name, value in expected.items():
        if claims.get(name) != value:
            raise ValueError(f"wrong {name}")
    return claims


def page(title, body, status="200 OK", headers=()):
    text = (
        f'<!DOCTYPE html><html lang="id"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)}</title></head><body><main><h1>{html.escape(title)}</h1>"
        f"{body}</main></body></html>"
    )
    return status, [("Content-Type", "text/html; charset=utf-8"), *headers], text.encode()


def app(environ, start_response):
    path = environ.get("PATH_INFO", "/")
    jar = cookies.SimpleCookie(environ.get("HTTP_COOKIE", ""))
    sid = jar["example_session"].value if "example_session" in jar else ""
    session = SESSIONS.get(sid)
    if session is None:
        sid = secrets.token_urlsafe(16)
        session = SESSIONS.setdefault(sid, {})
    set_cookie = ("Set-Cookie", f"example_session={sid}; HttpOnly; SameSite=Lax; Path=/")
    query = urllib.parse.parse_qs(environ.get("QUERY_STRING", ""))
    try:
        if path == "/":
            result = home(session)
        elif path == "/login":
            result = login(session)
        elif path == "/callback":
            result = callback(session, query)
        elif path == "/logout":
            result = logout(session)
        elif path == "/backchannel-logout" and environ["REQUEST_METHOD"] == "POST":
            size = int(environ.get("CONTENT_LENGTH") or 0)
            form = urllib.parse.parse_qs(environ["wsgi.input"].read(size).decode())
            result = backchannel_logout(form.get("logout_token", [""])[0])
        else:
            result = page("Tidak ditemukan", "<p>Halaman tidak ada.</p>", "404 Not Found")
    except Exception as error:  # noqa: BLE001 (an example shows the problem instead of a trace)
        result = page("Gagal masuk", f"<p>{html.escape(str(error))}</p>", "400 Bad Request")
    status, headers, body = result
    start_response(status, [*headers, set_cookie])
    return [body]


def home(session):
    claims = session.get("claims")
    if not claims:
        return page(
            "Contoh aplikasi daerah",
            '<p>Anda belum masuk.</p><p><a href="/login">Masuk dengan akun Satu Pintu</a></p>',
        )
    rows = "".join(
        f"<tr><th>{html.escape(k)}</th><td>{html.escape(json.dumps(v))}</td></tr>"
        for k, v in sorted(claims.items())
    )
    return page(
        "Contoh aplikasi daerah",
        f"<p>Anda masuk sebagai {html.escape(str(claims.get('name', claims['sub'])))}.</p>"
        f'<table>{rows}</table><p><a href="/logout">Keluar</a></p>',
    )


def login(session):
    document = discovery()
    client = OAuth2Session(
        CLIENT_ID,
        CLIENT_SECRET,
        scope=SCOPE,
        redirect_uri=REDIRECT_URI,
        code_challenge_method="S256",
    )
    session["verifier"] = secrets.token_urlsafe(48)
    session["nonce"] = secrets.token_urlsafe(16)
    url, session["state"] = client.create_authorization_url(
        document["authorization_endpoint"],
        code_verifier=session["verifier"],
        nonce=session["nonce"],
    )
    return "302 Found", [("Location", url)], b""


def callback(session, query):
    if query.get("error"):
        return page("Masuk dibatalkan", f"<p>{html.escape(query['error'][0])}</p>")
    if not session.get("state") or query.get("state", [""])[0] != session["state"]:
        raise ValueError("state does not match")
    document = discovery()
    if "iss" in query and query["iss"][0].rstrip("/") != ISSUER:
        raise ValueError("the answer comes from another issuer")  # RFC 9207
    client = OAuth2Session(CLIENT_ID, CLIENT_SECRET, redirect_uri=REDIRECT_URI)
    token = client.fetch_token(
        document["token_endpoint"],
        code=query["code"][0],
        code_verifier=session.pop("verifier"),
    )
    claims = verify_jwt(token["id_token"], document, nonce=session.pop("nonce"))
    userinfo = client.get(document["userinfo_endpoint"], timeout=5).json()
    if userinfo.get("sub") != claims["sub"]:
        raise ValueError("UserInfo names another subject")
    session.update(
        claims={**userinfo, "acr": claims.get("acr"), "amr": claims.get("amr")},
        id_token=token["id_token"],
        sid=claims.get("sid"),
        sub=claims["sub"],
    )
    return "302 Found", [("Location", "/")], b""


def logout(session):
    document = discovery()
    id_token = session.get("id_token", "")
    session.clear()
    end = document.get("end_session_endpoint")
    if not end:
        return "302 Found", [("Location", "/")], b""
    target = (
        end
        + "?"
        + urllib.parse.urlencode(
            {
                "id_token_hint": id_token,
                "post_logout_redirect_uri": f"{BASE_URL}/",
                "client_id": CLIENT_ID,
            }
        )
    )
    return "302 Found", [("Location", target)], b""


def backchannel_logout(token):
    """Satu Pintu tells us a citizen signed out there: end our sessions for that subject."""
    claims = verify_jwt(token, discovery())
    if "http://schemas.openid.net/event/backchannel-logout" not in claims.get("events", {}):
        raise ValueError("not a logout token")
    for session in SESSIONS.values():
        if session.get("sub") == claims.get("sub") or (
            claims.get("sid") and session.get("sid") == claims["sid"]
        ):
            session.clear()
    return "200 OK", [("Cache-Control", "no-store")], b""


if __name__ == "__main__":
    if not CLIENT_ID:
        raise SystemExit("Set SATUPINTU_CLIENT_ID and SATUPINTU_CLIENT_SECRET (see the docstring).")
    port = int(urllib.parse.urlsplit(BASE_URL).port or 8001)
    print(f"Contoh aplikasi di {BASE_URL}/ (Ctrl-C untuk berhenti)")
    make_server("127.0.0.1", port, app).serve_forever()
