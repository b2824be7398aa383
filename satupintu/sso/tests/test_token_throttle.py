"""Guessing at the token endpoint is slowed down, per client address and client id."""

import base64

import pytest
from oauth2_provider.models import Application

from satupintu.citizens import throttle

pytestmark = pytest.mark.django_db


@pytest.fixture
def app(db):
    return Application.objects.create(
        client_id="simpeg",
        name="SIMPEG",
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        client_secret="the-real-secret-0123456789abcdefghijklmnop",
        redirect_uris="https://simpeg.example.go.id/callback",
    )


def _guess(client, secret):
    return client.post(
        "/sso/token/",
        {
            "grant_type": "authorization_code",
            "code": "x",
            "redirect_uri": "https://simpeg.example.go.id/callback",
        },
        HTTP_AUTHORIZATION="Basic " + base64.b64encode(f"simpeg:{secret}".encode()).decode(),
    )


def test_repeated_failures_are_slowed_down(client, app):
    for attempt in range(throttle.ACCOUNT_FREE_TRIES):
        assert _guess(client, f"guess-{attempt}").status_code in (400, 401)
    response = _guess(client, "guess-again")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert response.json()["error"] == "slow_down"


def test_another_client_is_not_slowed(client, app):
    for attempt in range(throttle.ACCOUNT_FREE_TRIES):
        _guess(client, f"guess-{attempt}")
    other = client.post(
        "/sso/token/", {"grant_type": "authorization_code", "client_id": "lain", "code": "x"}
    )
    assert other.status_code != 429
