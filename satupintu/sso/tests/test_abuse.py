"""The abuse cases an attacker (or a careless app) tries, against the live provider."""

import base64
import hashlib
import secrets

import requests

from .conftest import RelyingParty, http_session, sign_in_to_app


def _code(browser, rp, **extra):
    return rp.callback(sign_in_to_app(browser, rp, **extra))["code"]


def _exchange(provider, registered, code, verifier, redirect_uri=None):
    return requests.post(
        provider.token,
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": redirect_uri or registered.redirect_uri,
            "code_verifier": verifier,
        },
        auth=(registered.client_id, registered.secret),
        timeout=5,
    )


def _alive(rp, access_token):
    return rp.userinfo(access_token).status_code == 200


def _refresh(provider, registered, refresh_token):
    return requests.post(
        provider.token,
        data={"grant_type": "refresh_token", "refresh_token": refresh_token},
        auth=(registered.client_id, registered.secret),
        timeout=5,
    )


def test_pairwise_subjects_differ_across_apps_and_are_stable(provider, siti, make_app, browser):
    one, two = (
        make_app("Aplikasi Satu", "rp-one.example"),
        make_app("Aplikasi Dua", "rp-two.example"),
    )
    grouped = make_app("Aplikasi Tiga", "rp-three.example", sector="kesehatan")
    grouped_too = make_app("Aplikasi Empat", "rp-four.example", sector="kesehatan")
    browser.sign_in(siti)
    subs = {}
    for name, registered in [
        ("one", one),
        ("two", two),
        ("one-again", one),
        ("grouped", grouped),
        ("grouped-too", grouped_too),
    ]:
        rp = RelyingParty(provider, registered)
        subs[name] = rp.userinfo(
            rp.fetch_token(sign_in_to_app(browser, rp))["access_token"]
        ).json()["sub"]
    assert subs["one"] == subs["one-again"]
    assert subs["one"] != subs["two"]
    assert subs["grouped"] == subs["grouped-too"] != subs["one"]
    assert str(siti.user.pk) not in subs.values()


def test_refresh_rotation_and_reuse_revokes_the_family(provider, siti, make_app, browser):
    registered = make_app()
    browser.sign_in(siti)
    rp = RelyingParty(provider, registered)
    first = rp.fetch_token(sign_in_to_app(browser, rp))
    response = _refresh(provider, registered, first["refresh_token"])
    assert response.status_code == 200, response.text
    second = response.json()
    assert second["refresh_token"] != first["refresh_token"]
    assert second["access_token"] != first["access_token"]
    assert "id_token" in second
    assert _alive(rp, second["access_token"]) and not _alive(rp, first["access_token"])

    # The old refresh token comes back (stolen and replayed): refused, and the family dies.
    assert _refresh(provider, registered, first["refresh_token"]).status_code == 400
    assert not _alive(rp, second["access_token"])
    assert _refresh(provider, registered, second["refresh_token"]).status_code == 400


def test_refresh_family_has_an_absolute_lifetime(provider, siti, make_app, browser, settings):
    registered = make_app()
    browser.sign_in(siti)
    rp = RelyingParty(provider, registered)
    token = rp.fetch_token(sign_in_to_app(browser, rp))
    settings.SATUPINTU_OIDC_REFRESH_ABSOLUTE_SECONDS = -1
    assert _refresh(provider, registered, token["refresh_token"]).status_code == 400


def test_code_replay_revokes_the_first_tokens(provider, siti, make_app, browser):
    registered = make_app()
    browser.sign_in(siti)
    rp = RelyingParty(provider, registered)
    code = _code(browser, rp)
    first = _exchange(provider, registered, code, rp.verifier)
    assert first.status_code == 200, first.text
    tokens = first.json()
    assert _alive(rp, tokens["access_token"])

    replay = _exchange(provider, registered, code, rp.verifier)
    assert replay.status_code == 400 and replay.json()["error"] == "invalid_grant"
    assert not _alive(rp, tokens["access_token"])
    assert _refresh(provider, registered, tokens["refresh_token"]).status_code == 400


def test_pkce_is_required_s256_only_and_checked(provider, siti, make_app, browser):
    registered = make_app()
    browser.sign_in(siti)
    rp = RelyingParty(provider, registered)
    rp.authorization_url()  # give consent once, so the errors below come straight back
    sign_in_to_app(browser, rp)
    base = {
        "response_type": "code",
        "client_id": registered.client_id,
        "redirect_uri": registered.redirect_uri,
        "scope": "openid",
        "state": "s1",
    }
    # Missing PKCE: refused at the authorization endpoint.
    location = browser.follow(
        provider.authorize + "?" + requests.compat.urlencode(base), registered.redirect_uri
    )
    assert "error=invalid_request" in location and "code=" not in location
    # plain PKCE: refused.
    plain = {**base, "code_challenge": "a" * 50, "code_challenge_method": "plain"}
    location = browser.follow(
        provider.authorize + "?" + requests.compat.urlencode(plain), registered.redirect_uri
    )
    assert "error=invalid_request" in location and "code=" not in location
    # S256 with the wrong verifier at the token endpoint: refused.
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=")
    good = {**base, "code_challenge": challenge.decode(), "code_challenge_method": "S256"}
    location = browser.follow(
        provider.authorize + "?" + requests.compat.urlencode(good), registered.redirect_uri
    )
    code = rp.callback(location)["code"]
    wrong = _exchange(provider, registered, code, secrets.token_urlsafe(48))
    assert wrong.status_code == 400 and wrong.json()["error"] == "invalid_grant"
    # And no verifier at all.
    assert _exchange(provider, registered, code, "").status_code == 400


def test_unregistered_redirect_uri_is_refused(provider, siti, make_app, browser):
    registered = make_app()
    browser.sign_in(siti)
    rp = RelyingParty(provider, registered)
    rp.client.redirect_uri = "http://attacker.example/callback"
    response = browser.follow(rp.authorization_url(), "http://attacker.example")
    assert not isinstance(response, str), "redirected to an unregistered URI"
    assert response.status_code == 400
    rp.client.redirect_uri = registered.redirect_uri + "/extra"
    response = browser.follow(rp.authorization_url(), registered.redirect_uri)
    assert not isinstance(response, str) and response.status_code == 400


def test_a_code_presented_by_another_client_is_refused(provider, siti, make_app, browser):
    victim, thief = make_app("Aplikasi Satu"), make_app("Aplikasi Pencuri", "rp-thief.example")
    browser.sign_in(siti)
    rp = RelyingParty(provider, victim)
    code = _code(browser, rp)
    stolen = _exchange(provider, thief, code, rp.verifier, redirect_uri=victim.redirect_uri)
    assert stolen.status_code == 400
    assert _exchange(provider, victim, code, rp.verifier).status_code == 200


def test_a_scope_the_app_is_not_allowed_is_refused(provider, siti, make_app, browser):
    plain = make_app("Aplikasi Biasa")
    allowed = make_app(
        "Aplikasi Bansos",
        "rp-bansos.example",
        allowed_scopes=["openid", "profile"],
        nik_allowed=True,
        nik_legal_basis="Permensos 3/2021 Pasal 5 (verifikasi penerima bansos)",
    )
    browser.sign_in(siti)
    rp = RelyingParty(provider, plain, scope="openid nik")
    location = browser.follow(rp.authorization_url(), plain.redirect_uri)
    assert "error=invalid_scope" in location and "code=" not in location
    rp = RelyingParty(provider, plain, scope="openid phone")  # not in this app's policy
    location = browser.follow(rp.authorization_url(), plain.redirect_uri)
    assert "error=invalid_scope" in location

    rp = RelyingParty(provider, allowed, scope="openid nik")
    token = rp.fetch_token(sign_in_to_app(browser, rp))
    assert rp.userinfo(token["access_token"]).json()["nik"] == siti.nik


def test_only_code_flow_grants_are_usable(provider, make_app):
    registered = make_app()
    for data in (
        {"grant_type": "client_credentials"},
        {"grant_type": "password", "username": "x", "password": "y"},
    ):
        response = requests.post(
            provider.token, data=data, auth=(registered.client_id, registered.secret), timeout=5
        )
        assert response.status_code in (400, 401), response.text
        assert "access_token" not in response.text


def test_staff_accounts_cannot_authorize(provider, make_app, live_server):
    from django.contrib.auth import get_user_model

    registered = make_app()
    staff = get_user_model().objects.get(username="kominfo")
    rp = RelyingParty(provider, registered)
    browser = http_session()
    page = browser.get(live_server.url + "/admin/login/")
    import re

    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    browser.post(
        live_server.url + "/admin/login/",
        data={
            "username": staff.username,
            "password": "kata-sandi-uji-123",
            "csrfmiddlewaretoken": token,
        },
        headers={"Referer": live_server.url + "/admin/login/"},
    )
    response = browser.get(rp.authorization_url(), allow_redirects=False)
    assert response.status_code == 403
