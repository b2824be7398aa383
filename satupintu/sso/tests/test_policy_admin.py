"""Kominfo sets each client's rules in the admin; OPD roles cannot reach them by any URL."""

import pytest
from oauth2_provider.models import Application

from satupintu.sso.models import ClientPolicy

pytestmark = pytest.mark.django_db
BASE = "/admin/sso/kebijakan/"


@pytest.fixture
def client_app(db):
    return Application.objects.create(
        name="SIMPEG",
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        algorithm=Application.RS256_ALGORITHM,
        redirect_uris="https://simpeg.example.go.id/callback",
    )


def _form(app, **changes):
    data = {
        "application": app.pk,
        "opd_name": "BKPSDM",
        "purpose": "Layanan kepegawaian",
        "allowed_scopes": ["profile", "email"],
        "sector": "",
        "backchannel_logout_uri": "https://simpeg.example.go.id/logout",
        "legal_basis": "",
        "nik_legal_basis": "",
    }
    data.update(changes)
    return data


def test_kominfo_sets_a_clients_rules(client_for, portal, client_app):
    client = client_for(portal.kominfo)
    assert client.get(BASE).status_code == 200
    response = client.post(f"{BASE}new/", _form(client_app))
    assert response.status_code == 302, response.content[:2000]
    policy = ClientPolicy.objects.get(application=client_app)
    assert policy.allowed_scopes == ["email", "openid", "profile"]
    assert policy.permitted_scopes() == {"openid", "profile", "email"}


def test_nik_needs_a_recorded_legal_basis(client_for, portal, client_app):
    client = client_for(portal.kominfo)
    response = client.post(f"{BASE}new/", _form(client_app, nik_allowed="on"))
    assert response.status_code == 200
    assert not ClientPolicy.objects.exists()
    response = client.post(
        f"{BASE}new/",
        _form(client_app, nik_allowed="on", nik_legal_basis="PKS Disdukcapil No. 1/2026"),
    )
    assert response.status_code == 302
    assert "nik" in ClientPolicy.objects.get().permitted_scopes()


def test_opd_roles_cannot_reach_client_rules(client_for, portal, client_app):
    policy = ClientPolicy.objects.create(application=client_app, opd_name="BKPSDM")
    for user in (portal.operator_a, portal.verifier_a):
        client = client_for(user)
        for url in (BASE, f"{BASE}new/", f"{BASE}edit/{policy.pk}/", f"{BASE}delete/{policy.pk}/"):
            assert client.get(url).status_code in (302, 403, 404), url
        client.post(f"{BASE}edit/{policy.pk}/", _form(client_app, opd_name="Diubah"))
        client.post(f"{BASE}delete/{policy.pk}/")
    policy.refresh_from_db()
    assert policy.opd_name == "BKPSDM"
