"""API tokens: only a digest is stored, a bad or revoked token is refused, and a token reaches
its own OPD's unpublished datasets and never another OPD's, by any action."""

import hashlib
import json

import pytest
from django.core.exceptions import ValidationError

from satupintu.datacatalog import workflow
from satupintu.datacatalog.ckan.tokens import issue_token, revoke_token
from satupintu.datacatalog.models import ApiToken
from satupintu.datacatalog.testing import make_dataset

pytestmark = pytest.mark.django_db


def call(client, action_name, token=None, header="Authorization", **params):
    headers = {header: token} if token else {}
    response = client.get("/api/3/action/" + action_name, params, headers=headers)
    return response.status_code, json.loads(response.content)


@pytest.fixture
def datasets(portal):
    """OPD A: a draft, a submitted one, a private verified one, a withdrawn one and a public
    one; OPD B: a draft."""
    from types import SimpleNamespace

    a = (portal.operator_a, portal.verifier_a, portal.kominfo)
    withdrawn = make_dataset(portal.a, *a, name="a-ditarik")
    workflow.withdraw(portal.kominfo, withdrawn, "Perlu diperbaiki.")
    return SimpleNamespace(
        draft=make_dataset(portal.a, portal.operator_a, name="a-draf"),
        submitted=make_dataset(portal.a, portal.operator_a, portal.verifier_a, name="a-diajukan"),
        private=make_dataset(portal.a, *a, name="a-terbatas", private=True),
        withdrawn=withdrawn,
        public=make_dataset(portal.a, *a, name="a-terbit"),
        draft_b=make_dataset(portal.b, portal.operator_b, name="b-draf"),
    )


def test_only_the_digest_is_stored_and_revoking_works(portal, client):
    raw = issue_token(portal.operator_a, "Skrip sinkron")
    token = ApiToken.objects.get(user=portal.operator_a)
    assert token.digest == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in json.dumps(list(ApiToken.objects.values()), default=str)
    assert call(client, "package_list", raw)[0] == 200
    assert ApiToken.objects.get(pk=token.pk).last_used_at is not None
    assert not revoke_token(portal.operator_b, token.pk)  # not theirs
    assert call(client, "package_list", raw)[0] == 200
    assert revoke_token(portal.operator_a, token.pk)
    status, body = call(client, "package_list", raw)
    assert status == 403 and body["error"]["__type"] == "Authorization Error"
    with pytest.raises(ValidationError):
        issue_token(portal.operator_a, "   ")


def test_inactive_user_token_is_refused(portal, client):
    raw = issue_token(portal.operator_a, "lama")
    portal.operator_a.is_active = False
    portal.operator_a.save()
    assert call(client, "package_list", raw)[0] == 403


@pytest.mark.parametrize("header", ["Authorization", "X-CKAN-API-Key"])
def test_own_opd_reads_its_unpublished_datasets(portal, client, datasets, header):
    raw = issue_token(portal.operator_a, "skrip")
    for dataset in (datasets.draft, datasets.submitted, datasets.private, datasets.withdrawn):
        status, body = call(client, "package_show", raw, header, id=dataset.name)
        assert status == 200, (dataset.name, body)
        assert body["result"]["id"] == str(dataset.id)
        resource_id = str(dataset.resources.get().id)
        status, body = call(client, "resource_show", raw, header, id=resource_id)
        assert status == 200 and body["result"]["id"] == resource_id
        status, body = call(client, "datastore_search", raw, header, resource_id=resource_id)
        assert status == 200 and body["result"]["total"] == 3
        response = client.get(f"/datastore/dump/{resource_id}", headers={header: raw})
        assert response.status_code == 200
        assert b"Sukorame" in b"".join(response.streaming_content)
    draft = call(client, "package_show", raw, header, id="a-draf")[1]["result"]
    assert (
        draft["extras"]
        and {"key": "status_verifikasi", "value": "belum diverifikasi"} in draft["extras"]
    )


def test_other_opd_unpublished_is_not_found_by_any_action(portal, client, datasets):
    raw_b = issue_token(portal.verifier_b, "skrip dlh")
    hidden = (datasets.draft, datasets.submitted, datasets.private, datasets.withdrawn)
    for dataset in hidden:
        resource_id = str(dataset.resources.get().id)
        for action_name, params in (
            ("package_show", {"id": dataset.name}),
            ("package_show", {"id": str(dataset.id)}),
            ("resource_show", {"id": resource_id}),
            ("datastore_search", {"resource_id": resource_id}),
            ("datastore_info", {"id": resource_id}),
        ):
            status, body = call(client, action_name, raw_b, **params)
            assert status == 404, (action_name, dataset.name)
            assert body["error"]["__type"] == "Not Found Error"
            # Exactly like a dataset that does not exist.
        response = client.get(f"/datastore/dump/{resource_id}", headers={"Authorization": raw_b})
        assert response.status_code == 404
    result = call(client, "package_search", raw_b, include_private="true", rows=1000)[1]["result"]
    assert {p["name"] for p in result["results"]} == {"a-terbit"}
    assert call(client, "package_list", raw_b)[1]["result"] == ["a-terbit"]
    # B's own draft is theirs to read.
    assert call(client, "package_show", raw_b, id="b-draf")[0] == 200


def test_include_private_adds_own_verified_private_datasets_only(portal, client, datasets):
    raw = issue_token(portal.operator_a, "skrip")
    status, body = call(client, "package_search", raw, include_private="true", rows=100)
    assert {p["name"] for p in body["result"]["results"]} == {"a-terbit", "a-terbatas"}
    status, body = call(client, "package_search", raw, rows=100)  # not asked: public only
    assert {p["name"] for p in body["result"]["results"]} == {"a-terbit"}
    status, body = call(client, "package_search", include_private="true", rows=100)
    assert {p["name"] for p in body["result"]["results"]} == {"a-terbit"}  # no token


def test_kominfo_token_reads_every_opd(portal, client, datasets):
    raw = issue_token(portal.kominfo, "walidata")
    assert call(client, "package_show", raw, id="b-draf")[0] == 200
    assert call(client, "package_show", raw, id="a-draf")[0] == 200
    body = call(client, "package_search", raw, include_private="true", rows=100)[1]
    assert {p["name"] for p in body["result"]["results"]} == {"a-terbit", "a-terbatas"}


def test_sessions_give_nothing(portal, client_for, datasets):
    """A signed-in Kominfo browser gets the public view only: tokens are the API's only key."""
    client = client_for(portal.kominfo)
    assert call(client, "package_show", id="a-draf")[0] == 404
