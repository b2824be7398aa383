"""Consent (asked, skipped for trusted apps, revoked), re-authentication, and logout (RP-initiated
and back-channel) against the live provider."""

import json
import time

import requests
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey

from .conftest import RelyingParty, sign_in_to_app


def test_trusted_app_skips_the_screen_but_is_logged(provider, siti, make_app, browser):
    from satupintu.sso.models import Consent, Release

    registered = make_app(trusted=True, legal_basis="UU 27/2022 Pasal 20 ayat (2) huruf e")
    browser.sign_in(siti)
    rp = RelyingParty(provider, registered)
    rp.fetch_token(sign_in_to_app(browser, rp, consent=False))
    consent = Consent.objects.get(user=siti.user, application=registered.app)
    assert not consent.shown and consent.basis == "policy"
    assert consent.legal_basis.startswith("UU 27/2022")
    assert Release.objects.filter(user=siti.user, consent=consent).count() == 1


def test_revoking_consent_kills_the_apps_tokens(provider, siti, make_app, browser, receiver):
    from satupintu.sso.models import Consent

    registered = make_app(backchannel_logout_uri=receiver.url)
    browser.sign_in(siti)
    rp = RelyingParty(provider, registered)
    token = rp.fetch_token(sign_in_to_app(browser, rp))
    page = browser.session.get(provider.url + "/akun/aplikasi-terhubung/")
    assert page.status_code == 200 and "Aplikasi Satu" in page.text
    response = browser.submit(page, {}, index=-1)
    assert response.status_code == 302
    # The app is told at once, so the citizen is signed out there too.
    assert receiver.event.wait(5) and len(receiver.received) == 1
    assert rp.userinfo(token["access_token"]).status_code == 401
    refresh = requests.post(
        provider.token,
        data={"grant_type": "refresh_token", "refresh_token": token["refresh_token"]},
        auth=(registered.client_id, registered.secret),
        timeout=5,
    )
    assert refresh.status_code == 400
    assert Consent.objects.get(user=siti.user).end_reason == "revoked"
    # The next sign-in asks again.
    page = browser.follow(
        RelyingParty(provider, registered).authorization_url(), registered.redirect_uri
    )
    assert page.status_code == 200 and 'name="allow"' in page.text


def test_prompt_login_and_max_age_force_reauthentication(provider, siti, make_app, browser):
    registered = make_app()
    browser.sign_in(siti)
    rp = RelyingParty(provider, registered)
    sign_in_to_app(browser, rp)  # consent given
    time.sleep(1.1)
    for extra in ({"prompt": "login"}, {"max_age": "0"}):
        rp = RelyingParty(provider, registered)
        page = browser.follow(rp.authorization_url(**extra), registered.redirect_uri)
        assert not isinstance(page, str), f"{extra}: no re-authentication"
        assert "/akun/konfirmasi/" in page.url
        response = browser.submit(page, {"password": "tiga kata acak sekali"})
        assert response.status_code == 302
        location = browser.follow(response.headers["Location"], registered.redirect_uri)
        assert isinstance(location, str) and "code=" in location
        token = rp.fetch_token(location)
        claims = jwt.decode(
            token["id_token"], KeySet.import_key_set(requests.get(provider.jwks, timeout=5).json())
        ).claims
        assert claims["iat"] - claims["auth_time"] <= 2
    # A generous max_age passes without asking.
    rp = RelyingParty(provider, registered)
    assert isinstance(
        browser.follow(rp.authorization_url(max_age="3600"), registered.redirect_uri), str
    )


def test_two_step_required_by_the_app(provider, siti, make_app, browser):
    registered = make_app(require_two_step=True)
    browser.sign_in(siti)  # password only, no two-step set up
    rp = RelyingParty(provider, registered)
    page = browser.follow(rp.authorization_url(), registered.redirect_uri)
    assert page.status_code == 403 and "verifikasi dua langkah" in page.text


def test_rp_initiated_logout_ends_the_portal_session(provider, siti, make_app, browser):
    from satupintu.citizens.models import AccountSession

    registered = make_app()
    browser.sign_in(siti)
    rp = RelyingParty(provider, registered)
    token = rp.fetch_token(sign_in_to_app(browser, rp))
    response = browser.get(
        provider.logout
        + "?"
        + requests.compat.urlencode(
            {
                "id_token_hint": token["id_token"],
                "post_logout_redirect_uri": f"http://{registered.host}/signed-out",
                "state": "bye",
            }
        )
    )
    assert response.status_code == 302
    assert response.headers["Location"] == f"http://{registered.host}/signed-out?state=bye"
    row = AccountSession.objects.get(user=siti.user)
    assert row.ended_at is not None
    assert rp.userinfo(token["access_token"]).status_code == 401
    account = browser.get("/akun/")
    assert account.status_code == 302 and "/akun/masuk/" in account.headers["Location"]
    # A logout URI the app did not register is refused.
    browser.sign_in(siti)
    bad = browser.get(
        provider.logout
        + "?"
        + requests.compat.urlencode(
            {
                "client_id": registered.client_id,
                "post_logout_redirect_uri": "http://attacker.example/",
            }
        )
    )
    assert bad.status_code == 400


def test_logout_with_an_id_token_whose_row_is_gone_still_signs_out(
    provider, siti, make_app, browser
):
    """The citizen revoked the app (its ID tokens were deleted) and then pressed the app's
    "Keluar": the portal session must still be ended, after a confirmation."""
    from oauth2_provider.models import IDToken

    from satupintu.citizens.models import AccountSession

    registered = make_app()
    browser.sign_in(siti)
    rp = RelyingParty(provider, registered)
    token = rp.fetch_token(sign_in_to_app(browser, rp))
    IDToken.objects.filter(user=siti.user).delete()
    query = {
        "id_token_hint": token["id_token"],
        "post_logout_redirect_uri": f"http://{registered.host}/signed-out",
        "state": "bye",
    }
    page = browser.get(provider.logout + "?" + requests.compat.urlencode(query))
    assert page.status_code == 200 and "Aplikasi Satu meminta Anda keluar" in page.text
    response = browser.submit(page, {"allow": "on"})
    assert response.status_code == 302
    assert response.headers["Location"] == f"http://{registered.host}/signed-out?state=bye"
    assert AccountSession.objects.get(user=siti.user).ended_at is not None
    # Already signed out: no question, straight back to the app.
    again = browser.get(provider.logout + "?" + requests.compat.urlencode(query))
    assert again.status_code == 302

    # The hint must name the app it claims to: another client id is refused, and so is a
    # token signed with a key that is not the provider's.
    other = make_app("Aplikasi Dua", "rp-two.example")
    browser.sign_in(siti)
    mismatch = browser.get(
        provider.logout
        + "?"
        + requests.compat.urlencode(
            {"id_token_hint": token["id_token"], "client_id": other.client_id}
        )
    )
    assert mismatch.status_code == 400
    forged = jwt.encode(
        {"alg": "RS256"},
        {"iss": provider.issuer, "aud": registered.client_id, "sub": "x"},
        RSAKey.generate_key(2048),
    )
    refused = browser.get(
        provider.logout + "?" + requests.compat.urlencode({"id_token_hint": forged})
    )
    assert refused.status_code == 400
    assert AccountSession.objects.filter(user=siti.user, ended_at__isnull=True).exists()


def test_backchannel_logout_is_delivered(provider, siti, make_app, browser, receiver):
    from satupintu.citizens.models import AccountSession
    from satupintu.sso import logout
    from satupintu.sso.models import LogoutDelivery

    with_uri = make_app("Aplikasi Satu", backchannel_logout_uri=receiver.url)
    without = make_app("Aplikasi Dua", "rp-two.example")
    browser.sign_in(siti)
    rp = RelyingParty(provider, with_uri)
    token = rp.fetch_token(sign_in_to_app(browser, rp))
    id_claims = jwt.decode(
        token["id_token"], KeySet.import_key_set(requests.get(provider.jwks, timeout=5).json())
    ).claims
    other = RelyingParty(provider, without)
    other_token = other.fetch_token(sign_in_to_app(browser, other))

    row = AccountSession.objects.get(user=siti.user)
    started = time.monotonic()
    logout.session_ended(row)
    assert time.monotonic() - started < 1  # sign-out does not wait for the apps
    assert receiver.event.wait(5)
    assert logout.wait_for_deliveries(5)
    assert len(receiver.received) == 1
    logout_token = receiver.received[0]["body"]["logout_token"][0]
    keys = KeySet.import_key_set(requests.get(provider.jwks, timeout=5).json())
    decoded = jwt.decode(logout_token, keys, algorithms=["RS256"])
    assert decoded.header["typ"] == "logout+jwt"
    claims = decoded.claims
    jwt.JWTClaimsRegistry(
        iss={"essential": True, "value": provider.issuer},
        aud={"essential": True, "value": with_uri.client_id},
        iat={"essential": True},
        jti={"essential": True},
    ).validate(claims)
    assert "http://schemas.openid.net/event/backchannel-logout" in claims["events"]
    assert claims["sub"] == id_claims["sub"] and claims["sid"] == id_claims["sid"]
    assert "nonce" not in claims
    delivery = LogoutDelivery.objects.get()
    assert delivery.delivered_at is not None and delivery.last_result == "200"
    # Both apps' tokens from that session are revoked.
    assert rp.userinfo(token["access_token"]).status_code == 401
    assert other.userinfo(other_token["access_token"]).status_code == 401
    json.dumps(claims)
