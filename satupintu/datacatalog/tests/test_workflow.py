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


def _indexed_columns(key):
    from django.db import connection

    from satupintu.datacatalog import datastore

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_index WHERE indrelid = %s::regclass AND NOT indisprimary",
            [datastore.table_name(key)],
        )
        return cursor.fetchone()[0]


def test_an_upload_does_not_wait_for_search_indexes(portal, django_capture_on_commit_callbacks):
    """The rows load at once; the indexes are built after commit (in the background in a
    server), and `build-datastore-indexes` repairs any that a stopped server left out."""
    from django.core.management import call_command
    from django.db import connection

    from satupintu.datacatalog import datastore

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        dataset = make_dataset(portal.a, portal.operator_a)
    version = dataset.resources.get().current
    assert version.state == "dimuat"
    assert any("build_indexes_in_background" in repr(c.__code__.co_names) for c in callbacks)
    if connection.vendor != "postgresql":
        return
    assert _indexed_columns(version.key) == 0
    call_command("build_datastore_indexes", stdout=open("/dev/null", "w"))  # noqa: SIM115
    built = _indexed_columns(version.key)
    assert built >= 2
    columns = [datastore.Column(c["id"], c["type"]) for c in version.columns]
    datastore.build_indexes(version.key, columns)  # idempotent
    assert _indexed_columns(version.key) == built


def test_the_same_upload_sent_twice_is_one_version(portal):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from satupintu.datacatalog.models import Resource

    dataset = make_dataset(portal.a, portal.operator_a)
    resource = Resource.objects.create(dataset=dataset, name="Laporan", position=5)

    def send(content):
        upload = SimpleUploadedFile("laporan.pdf", content, content_type="application/pdf")
        return workflow.add_version(portal.operator_a, resource, upload)

    first = send(b"%PDF-1.4\n1\n%%EOF\n")
    again = send(b"%PDF-1.4\n1\n%%EOF\n")  # resent after a timeout
    assert again.pk == first.pk and resource.versions.count() == 1
    changed = send(b"%PDF-1.4\n2\n%%EOF\n")
    assert changed.number == 2 and resource.versions.count() == 2
