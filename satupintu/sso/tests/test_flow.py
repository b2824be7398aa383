"""The full flow with a real relying party: discovery, JWKS, code + PKCE S256 + nonce, the
ID token verified against the JWKS, UserInfo by scope, consent asked once and then remembered."""

import requests
from joserfc import jwt
from joserfc.jwk import KeySet

from satupintu.citizens.accounts import ACR_PWD, ACR_TWO_STEP

from .conftest import RelyingParty, last_code, make_citizen, sign_in_to_app


def verify_id_token(provider, rp, id_token):
    keys = KeySet.import_key_set(requests.get(provider.jwks, timeout=5).json())
    token = jwt.decode(id_token, keys, algorithms=["RS256"])
    jwt.JWTClaimsRegistry(
        iss={"essential": True, "value": provider.issuer},
        aud={"essential": True, "value": rp.registered.client_id},
        nonce={"essential": True, "value": rp.nonce},
        exp={"essential": True},
    ).validate(token.claims)
    return token.claims


def test_discovery_and_jwks(provider):
    config = requests.get(provider.issuer + "/.well-known/openid-configuration", timeout=5).json()
    assert config["issuer"] == provider.issuer
    assert config["authorization_endpoint"] == provider.authorize
    assert config["token_endpoint"] == provider.token
    assert config["jwks_uri"] == provider.jwks
    assert config["subject_types_supported"] == ["pairwise"]
    assert config["code_challenge_methods_supported"] == ["S256"]
    assert config["response_types_supported"] == ["code"]
    assert config["grant_types_supported"] == ["authorization_code", "refresh_token"]
    assert config["id_token_signing_alg_values_supported"] == ["RS256"]
    assert config["backchannel_logout_supported"] is True
    assert config["authorization_response_iss_parameter_supported"] is True
    assert ACR_TWO_STEP in config["acr_values_supported"]
    assert {"domicile_code", "identity_level", "acr", "sid"} <= set(config["claims_supported"])
    assert "end_session_endpoint" in config
    keys = requests.get(provider.jwks, timeout=5).json()["keys"]
    assert keys and all(k["kty"] == "RSA" and k["alg"] == "RS256" and "d" not in k for k in keys)


def test_code_flow_with_pkce_and_nonce(provider, siti, make_app, browser):
    from satupintu.sso.models import Consent, Release

    registered = make_app(purpose="Pendaftaran layanan kesehatan", opd_name="Dinas Kesehatan")
    rp = RelyingParty(provider, registered, scope="openid profile email domicile identity")
    browser.sign_in(siti)

    # The consent screen names the app, its OPD, the purpose and each item of data.
    page = browser.follow(rp.authorization_url(), registered.redirect_uri)
    assert page.status_code == 200
    for text in (
        "Aplikasi Satu",
        "Dinas Kesehatan",
        "Pendaftaran layanan kesehatan",
        "Nama lengkap",
        "Alamat surel",
        "Kode wilayah domisili",
    ):
        assert text in page.text
    response = browser.submit(page, {"allow": "on"})
    location = response.headers["Location"]
    callback = rp.callback(location)
    assert callback["iss"] == provider.issuer  # RFC 9207
    assert callback["state"] == rp.state

    token = rp.fetch_token(location)
    assert token["token_type"] == "Bearer" and token["expires_in"] <= 600
    claims = verify_id_token(provider, rp, token["id_token"])
    assert claims["acr"] == ACR_PWD and claims["amr"] == ["pwd"]
    assert claims["auth_time"] <= claims["iat"]
    assert claims["sid"] and claims["sub"] != str(siti.user.pk)
    assert "nik" not in claims

    info = rp.userinfo(token["access_token"]).json()
    assert info["sub"] == claims["sub"]
    assert info["name"] == "Siti Aminah"
    assert info["email"] == "siti@example.org" and info["email_verified"] is True
    assert info["domicile_code"] == "35.24.01.2001" and info["resident"] is True
    assert info["identity_level"] == "registry"
    assert "nik" not in info and "phone_number" not in info

    consent = Consent.objects.get(user=siti.user)
    assert consent.shown and consent.basis == "consent"
    assert set(consent.scopes) == {"openid", "profile", "email", "domicile", "identity"}
    release = Release.objects.get(user=siti.user)
    assert "domicile_code" in release.claims and release.consent == consent

    # Second sign-in: the consent is remembered, no screen.
    again = RelyingParty(provider, registered, scope="openid profile")
    location = sign_in_to_app(browser, again, consent=False)
    assert "code" in again.callback(location)
    assert Release.objects.filter(user=siti.user).count() == 1  # not exchanged yet
    again.fetch_token(location)
    assert Release.objects.filter(user=siti.user).count() == 2


def test_acr_reflects_two_step(provider, make_app, browser, mailoutbox):
    from satupintu.citizens.testing import PEOPLE

    budi = make_citizen(PEOPLE["budi"], "budi@example.org", two_step="email")
    registered = make_app(require_two_step=True)
    browser.sign_in(budi, code=last_code)
    rp = RelyingParty(provider, registered)
    token = rp.fetch_token(sign_in_to_app(browser, rp))
    claims = verify_id_token(provider, rp, token["id_token"])
    assert claims["acr"] == ACR_TWO_STEP
    assert set(claims["amr"]) == {"pwd", "otp", "mfa"}
