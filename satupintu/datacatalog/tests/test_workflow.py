import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from satupintu.datacatalog import workflow
from satupintu.datacatalog.models import Dataset, PublishedDataset, PublishedTerm
from satupintu.datacatalog.testing import make_dataset

pytestmark = pytest.mark.django_db


def test_publish_freezes_the_package(portal):
    dataset = make_dataset(portal.a, portal.operator_a, portal.verifier_a, portal.kominfo)
    assert dataset.status == Dataset.Status.PUBLISHED
    row = PublishedDataset.objects.get(dataset=dataset)
    package = json.loads(row.package)
    assert package["id"] == str(dataset.id)
    assert package["owner_org"] == str(portal.a.uuid)
    assert package["organization"]["name"] == "dinkes"
    assert package["resources"][0]["datastore_active"] is True
    assert package["resources"][0]["url"].endswith(
        f"/data/{dataset.name}/sumber/{package['resources'][0]['id']}/unduh/"
    )
    assert len(package["metadata_modified"]) == 26
    terms = set(PublishedTerm.objects.filter(dataset=row).values_list("field", "value"))
    assert ("tags", "contoh") in terms and ("res_format", "CSV") in terms


def test_edits_after_publication_stay_private_until_verified(portal):
    dataset = make_dataset(portal.a, portal.operator_a, portal.verifier_a, portal.kominfo)
    before = PublishedDataset.objects.get(dataset=dataset).package
    dataset.title = "Judul baru"
    dataset.save()
    workflow.touch(dataset, portal.operator_a)
    assert workflow.has_unpublished_changes(dataset)
    assert PublishedDataset.objects.get(dataset=dataset).package == before
    workflow.submit(portal.verifier_a, dataset)
    workflow.verify(portal.kominfo, dataset)
    assert "Judul baru" in PublishedDataset.objects.get(dataset=dataset).package


def test_operator_cannot_submit_and_other_opd_cannot_touch(portal):
    dataset = make_dataset(portal.a, portal.operator_a)
    with pytest.raises(PermissionDenied):
        workflow.submit(portal.operator_a, dataset)
    with pytest.raises(PermissionDenied):
        workflow.submit(portal.verifier_b, dataset)
    with pytest.raises(PermissionDenied):
        workflow.delete_draft(portal.operator_b, dataset)
    workflow.submit(portal.verifier_a, dataset)
    with pytest.raises(PermissionDenied):
        workflow.verify(portal.verifier_a, dataset)


def test_incomplete_metadata_cannot_be_submitted(portal):
    dataset = make_dataset(portal.a, portal.operator_a, concept="", unit="")
    with pytest.raises(ValidationError) as error:
        workflow.submit(portal.verifier_a, dataset)
    assert len(error.value.messages) == 2
    dataset.refresh_from_db()
    assert dataset.status == Dataset.Status.DRAFT
