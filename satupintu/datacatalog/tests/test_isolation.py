"""Another OPD's people cannot read, change, submit, verify, return, withdraw, delete, upload
to, load or download any of OPD A's datasets by any Satu Data admin URL, whatever they post:
every URL answers 404 and nothing changes. Their lists never show A's datasets.
(tests/test_isolation.py also walks these URLs with the rest of the admin.)"""

import hashlib
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, reverse

from satupintu.datacatalog import admin_urls, workflow
from satupintu.datacatalog.models import (
    ApiToken,
    Dataset,
    DatasetEvent,
    PublishedDataset,
    Resource,
    ResourceVersion,
)
from satupintu.datacatalog.testing import SAMPLE_CSV, make_dataset, topic

pytestmark = pytest.mark.django_db
SECRET = "RAHASIA-DINKES"


@pytest.fixture
def objects_of_a(portal):
    draft = make_dataset(portal.a, portal.operator_a, name="rahasia-draf", title=f"{SECRET} draf")
    resource = draft.resources.get()
    pending = workflow.add_version(
        portal.operator_a, resource, SimpleUploadedFile("v2.csv", SAMPLE_CSV, "text/csv")
    )
    submitted = make_dataset(
        portal.a,
        portal.operator_a,
        portal.verifier_a,
        name="rahasia-diajukan",
        title=f"{SECRET} diajukan",
    )
    published = make_dataset(
        portal.a,
        portal.operator_a,
        portal.verifier_a,
        portal.kominfo,
        name="rahasia-terbit",
        title=f"{SECRET} terbit",
    )
    returned = make_dataset(
        portal.a,
        portal.operator_a,
        portal.verifier_a,
        name="rahasia-kembali",
        title=f"{SECRET} kembali",
    )
    workflow.send_back(portal.kominfo, returned, f"{SECRET} catatan")
    token = ApiToken.objects.create(user=portal.operator_a, name=f"{SECRET} token", digest="x" * 64)
    datasets = [draft, submitted, published, returned]
    resources = list(Resource.objects.filter(dataset__in=datasets))
    versions = [pending, *ResourceVersion.objects.filter(resource__in=resources)]
    return {
        "dataset_id": [d.pk for d in datasets],
        "resource_id": [r.pk for r in resources],
        "version_id": [v.pk for v in versions],
        "token_id": [token.pk],
    }


def state(opd) -> str:
    datasets = Dataset.objects.filter(opd=opd)
    snapshot = {
        "datasets": list(datasets.order_by("pk").values()),
        "regions": list(datasets.values_list("pk", "regions").order_by("pk", "regions")),
        "topics": list(datasets.values_list("pk", "topics").order_by("pk", "topics")),
        "resources": list(Resource.objects.filter(dataset__opd=opd).order_by("pk").values()),
        "versions": list(
            ResourceVersion.objects.filter(resource__dataset__opd=opd).order_by("pk").values()
        ),
        "events": DatasetEvent.objects.filter(dataset__opd=opd).count(),
        "published": list(PublishedDataset.objects.filter(opd=opd).order_by("pk").values()),
        "tokens": list(ApiToken.objects.order_by("pk").values("pk", "user_id", "name")),
    }
    return hashlib.sha256(json.dumps(snapshot, default=str, sort_keys=True).encode()).hexdigest()


def payloads(portal):
    """What a determined user of OPD B would post to each URL."""
    csv_file = SimpleUploadedFile("x.csv", SAMPLE_CSV, "text/csv")
    return {
        "datacatalog_admin_edit": {
            "title": "Ditimpa",
            "name": "ditimpa",
            "license_id": "cc-by",
            "topics": [str(topic().pk)],
            "opd": str(portal.b.pk),
        },
        "datacatalog_admin_send_back": {"note": "catatan palsu"},
        "datacatalog_admin_withdraw": {"note": "tarik"},
        "datacatalog_admin_add_resource": {"name": "Sisipan", "kind": "unggah", "file": csv_file},
        "datacatalog_admin_add_version": {"file": csv_file},
        "datacatalog_admin_edit_resource": {"name": "Ditimpa", "url": "https://x.example"},
        "datacatalog_admin_columns": {f"col_{i}": "text" for i in range(4)},
        "datacatalog_admin_delete": {},
    }


def object_urls(ids):
    for pattern in admin_urls.urlpatterns:
        assert isinstance(pattern, URLPattern)
        args = list(pattern.pattern.regex.groupindex)
        if not args:
            continue
        (arg,) = args
        for value in ids[arg]:
            yield pattern.name, reverse(pattern.name, kwargs={arg: value})


@pytest.mark.parametrize("role", ["operator_b", "verifier_b"])
def test_other_opd_gets_404_on_every_url_and_nothing_changes(portal, objects_of_a, client, role):
    client.force_login(getattr(portal, role))
    before = state(portal.a)
    walked = set()
    for name, target in object_urls(objects_of_a):
        walked.add(name)
        get = client.get(target)
        assert get.status_code == 404, f"GET {target} ({name}) -> {get.status_code}"
        body = b"".join(get) if get.streaming else get.content
        assert SECRET.encode() not in body
        post = client.post(target, payloads(portal).get(name, {}))
        assert post.status_code in (404, 405), f"POST {target} ({name}) -> {post.status_code}"
        assert SECRET.encode() not in post.content
        assert state(portal.a) == before, f"POST {target} ({name}) changed OPD A's data"
    expected = {p.name for p in admin_urls.urlpatterns if p.pattern.regex.groupindex}
    assert walked == expected


@pytest.mark.parametrize("role", ["operator_b", "verifier_b"])
def test_other_opd_lists_and_pages_never_show_a(portal, objects_of_a, client, role):
    make_dataset(portal.b, portal.operator_b, name="milik-dlh", title="Milik DLH")
    client.force_login(getattr(portal, role))
    for params in ({}, {"q": "RAHASIA"}, {"status": "diajukan"}, {"opd": portal.a.pk}):
        response = client.get(reverse("datacatalog_admin_index"), params)
        assert response.status_code == 200
        assert SECRET not in response.content.decode()
    assert "Milik DLH" in client.get(reverse("datacatalog_admin_index")).content.decode()
    assert client.get(reverse("datacatalog_admin_review")).status_code == 404
    for page in ("datacatalog_admin_tokens", "datacatalog_admin_create", "wagtailadmin_home"):
        response = client.get(reverse(page))
        assert response.status_code == 200
        assert SECRET not in response.content.decode()


def test_own_opd_reaches_the_same_urls(portal, objects_of_a, client):
    """The 404s above are about ownership: A's own people get the pages."""
    client.force_login(portal.operator_a)
    for dataset_id in objects_of_a["dataset_id"]:
        assert (
            client.get(reverse("datacatalog_admin_dataset", args=[dataset_id])).status_code == 200
        )
    for version_id in objects_of_a["version_id"]:
        response = client.get(reverse("datacatalog_admin_download", args=[version_id]))
        assert response.status_code == 200
    assert SECRET in client.get(reverse("datacatalog_admin_index")).content.decode()


def test_state_notices_a_change(portal, objects_of_a):
    before = state(portal.a)
    Dataset.objects.filter(pk=objects_of_a["dataset_id"][0]).update(title="diubah")
    assert state(portal.a) != before
