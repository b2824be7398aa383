"""Reports to data: Kominfo publishes a marked Pelaporan summary to Satu Data in one action;
the same summary always lands in the same dataset, as a new version, with its provenance."""

import datetime
import json
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from satupintu.datacatalog import from_reports, query, workflow
from satupintu.datacatalog.models import Dataset, DatasetEvent, PublishedDataset, ResourceVersion
from satupintu.regency.models import Region
from satupintu.reporting import workflow as reporting
from satupintu.reporting.models import PublishedAggregate, ReportType

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime.datetime(2026, 5, 20, 9, 0), tick=False):
        yield


@pytest.fixture
def services(portal):
    rt = ReportType.objects.create(
        name="Statistik layanan",
        slug="statistik-layanan",
        period="bulanan",
        first_period_start=datetime.date(2026, 1, 1),
        opd_types=["dinas"],
        fields=json.dumps(
            [
                {
                    "type": "region",
                    "value": {"label": "Lokasi", "key": "lokasi", "level": "district"},
                },
                {
                    "type": "number",
                    "value": {
                        "label": "Layanan",
                        "key": "layanan",
                        "decimals": 0,
                        "unit": "layanan",
                    },
                },
            ]
        ),
    )
    rt.full_clean()
    rt.publish_form()
    return rt


def _approved(portal, rt, opd, key, data):
    operator = portal.operator_a if opd == portal.a else portal.operator_b
    verifier = portal.verifier_a if opd == portal.a else portal.verifier_b
    submission = reporting.save(
        operator, rt, opd, rt.period_from_key(key), rt.current_version, data
    )
    reporting.submit(operator, submission)
    return reporting.approve(verifier, submission)


def _marked(rt, grouping="periode", **fields):
    return PublishedAggregate.objects.create(
        report_type=rt,
        path="layanan",
        grouping=grouping,
        function="jumlah",
        months=12,
        title=fields.pop("title", "Layanan per bulan"),
        **fields,
    )


def _districts():
    return list(Region.objects.filter(level=Region.Level.DISTRICT)[:2])


@pytest.fixture
def reported(portal, services):
    from satupintu.opd.models import OPD

    for opd in (portal.a, portal.b):
        opd.email = f"data.{opd.slug}@example.go.id"
        OPD.objects.filter(pk=opd.pk).update(email=opd.email)
    one, two = _districts()
    _approved(
        portal, services, portal.a, "2026-03", {"lokasi": one.kemendagri_code, "layanan": "100"}
    )
    _approved(
        portal, services, portal.b, "2026-03", {"lokasi": two.kemendagri_code, "layanan": "40"}
    )
    _approved(
        portal, services, portal.b, "2026-04", {"lokasi": two.kemendagri_code, "layanan": "7"}
    )
    return services


def _stored_rows(dataset):
    version = dataset.resources.get().current
    result = query.search(version.key, version.columns, limit=1000)
    return [list(record[1:]) for record in result.records], version


def _same(stored, expected):
    """Datastore values against the summary's: numbers compared as numbers."""
    assert len(stored) == len(expected)
    for got, want in zip(stored, expected, strict=True):
        for a, b in zip(got, want, strict=True):
            if isinstance(b, Decimal | int):
                assert Decimal(str(a)) == Decimal(str(b))
            else:
                assert str(a) == str(b)


def test_publishing_makes_a_verified_dataset_with_provenance(portal, reported):
    item = _marked(reported, description="Layanan administrasi yang diberikan OPD.")
    dataset = from_reports.publish_aggregate(portal.kominfo, item, portal.b)

    assert dataset.status == Dataset.Status.PUBLISHED
    assert dataset.origin == Dataset.Origin.REPORTING
    assert dataset.opd == portal.b
    assert workflow.problems(dataset) == []
    provenance = dataset.provenance
    assert provenance["aggregate"] == item.pk
    assert provenance["report_type"] == "statistik-layanan"
    assert provenance["form_version"] == reported.current_version.number == 1
    assert provenance["approved_reports"] == 3
    assert datetime.datetime.fromisoformat(provenance["computed_at"])
    assert provenance["summary"].startswith(
        "Direkap dari 3 laporan disetujui jenis \u201cStatistik layanan\u201d"
    )
    assert "Maret 2026\u2013April 2026" in provenance["summary"]
    assert dataset.title == "Layanan per bulan"
    assert dataset.notes.startswith("Layanan administrasi yang diberikan OPD.")
    assert (dataset.unit, dataset.frequency) == ("layanan", "bulanan")
    assert "Layanan" in dataset.measure
    assert dataset.temporal_start == datetime.date(2026, 3, 1)
    assert dataset.temporal_end == datetime.date(2026, 4, 30)
    assert list(dataset.regions.values_list("level", flat=True)) == ["regency"]
    assert dataset.topics.exists() and dataset.tags

    package = json.loads(PublishedDataset.objects.get(dataset=dataset).package)
    extras = {e["key"]: e["value"] for e in package["extras"]}
    assert extras["provenans"] == provenance["summary"]
    assert extras["asal_data"] == "Dari rekap Pelaporan"
    assert package["organization"]["name"] == "dlh"
    # The history says the Walidata did the producer's steps, then verified.
    events = list(dataset.events.order_by("at", "pk"))
    assert [e.action for e in events] == [
        DatasetEvent.Action.CREATED,
        DatasetEvent.Action.LOADED,
        DatasetEvent.Action.SUBMITTED,
        DatasetEvent.Action.PUBLISHED,
    ]
    assert all(e.user == portal.kominfo for e in events)
    assert all("Walidata" in e.note for e in events[:3])


def test_the_datastore_holds_exactly_the_summary(portal, reported):
    item = _marked(reported)
    dataset = from_reports.publish_aggregate(portal.kominfo, item, portal.a)
    stored, version = _stored_rows(dataset)
    table = item.table()
    assert [c["id"] for c in version.columns] == table.columns
    assert [r[0] for r in table.rows] == ["Maret 2026", "April 2026"]
    _same(stored, table.rows)
    assert version.row_count == 2 and version.state == ResourceVersion.State.LOADED


def test_by_kecamatan_adds_the_kemendagri_code(portal, reported):
    one, two = _districts()
    item = _marked(reported, grouping="kecamatan", title="Layanan per kecamatan")
    dataset = from_reports.publish_aggregate(portal.kominfo, item, portal.a)
    stored, version = _stored_rows(dataset)
    assert [c["id"] for c in version.columns][:2] == ["Kecamatan", "kode_kecamatan"]
    codes = {row[0]: row[1] for row in stored}
    assert codes == {one.name: one.kemendagri_code, two.name: two.kemendagri_code}
    for got, want in zip(stored, item.table().rows, strict=True):
        assert got[0] == want[0]
        assert Decimal(str(got[2])) == want[1] and int(got[3]) == want[2]


def test_publishing_again_updates_the_same_dataset_with_a_new_version(portal, reported):
    item = _marked(reported)
    first = from_reports.publish_aggregate(portal.kominfo, item, portal.a)
    old_version = first.resources.get().current
    assert from_reports.dataset_for(item) == first

    # A report approved later shows up only after publishing again.
    _approved(portal, reported, portal.a, "2026-04", {"lokasi": None, "layanan": "5"})
    package = json.loads(PublishedDataset.objects.get(dataset=first).package)
    assert package["resources"][0]["id"] == str(first.resources.get().pk)
    again = from_reports.publish_aggregate(portal.kominfo, item, portal.a)

    assert again.pk == first.pk and again.name == first.name
    assert Dataset.objects.filter(origin=Dataset.Origin.REPORTING).count() == 1
    resource = again.resources.get()
    assert list(resource.versions.values_list("number", flat=True)) == [2, 1]
    assert resource.public_version == resource.current != old_version
    assert again.provenance["approved_reports"] == 4
    stored, _version = _stored_rows(again)
    assert [Decimal(str(r[1])) for r in stored] == [140, 12]
    # The old version keeps its own table.
    old = query.search(old_version.key, old_version.columns)
    assert [Decimal(str(r[2])) for r in old.records] == [140, 7]


def test_opd_people_cannot_publish(portal, reported, client_for):
    item = _marked(reported)
    for user in (portal.operator_a, portal.verifier_a):
        with pytest.raises(PermissionDenied):
            from_reports.publish_aggregate(user, item, portal.a)
        response = client_for(user).post(
            reverse("reporting_publish_dataset", args=[item.pk]), {"produsen": portal.a.pk}
        )
        assert response.status_code == 404
        page = client_for(user).get(reverse("reporting_summaries")).content.decode()
        assert "Terbitkan ke Satu Data" not in page
    assert not Dataset.objects.exists()


def test_nothing_approved_publishes_nothing(portal, services):
    item = _marked(services)
    with pytest.raises(ValidationError):
        from_reports.publish_aggregate(portal.kominfo, item, portal.a)
    assert not Dataset.objects.exists()
    _approved(portal, services, portal.a, "2026-03", {"lokasi": None, "layanan": "1"})
    with pytest.raises(ValidationError, match="surel"):  # nobody to contact about the data
        from_reports.publish_aggregate(portal.kominfo, item, portal.a)
    assert not Dataset.objects.exists()
    item.active = False
    item.save()
    with pytest.raises(ValidationError):
        from_reports.publish_aggregate(portal.kominfo, item, portal.a)


def test_the_button_publishes_and_links_to_the_public_page(portal, reported, client_for):
    item = _marked(reported)
    client = client_for(portal.kominfo)
    page = client.get(reverse("reporting_summaries")).content.decode()
    assert "Terbitkan ke Satu Data" in page
    assert 'name="produsen"' in page and f'id="id_produsen_{item.pk}"' in page

    # Without the CSRF token the post is refused.
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(portal.kominfo)
    refused = strict.post(
        reverse("reporting_publish_dataset", args=[item.pk]), {"produsen": portal.b.pk}
    )
    assert refused.status_code == 403 and not Dataset.objects.exists()

    response = client.post(
        reverse("reporting_publish_dataset", args=[item.pk]),
        {"produsen": portal.b.pk},
        follow=True,
    )
    dataset = Dataset.objects.get()
    assert dataset.opd == portal.b and dataset.status == Dataset.Status.PUBLISHED
    body = response.content.decode()
    assert f'href="/data/{dataset.name}/"' in body
    # The row now offers the dataset's producer first, and links to it.
    page = client.get(reverse("reporting_summaries")).content.decode()
    assert f'<option value="{portal.b.pk}" selected>' in page

    bad = client.post(
        reverse("reporting_publish_dataset", args=[item.pk]), {"produsen": "x"}, follow=True
    )
    assert "Pilih OPD produsen data." in bad.content.decode()


def test_default_producer_is_diskominfo_when_it_exists(portal):
    from satupintu.opd.models import OPD

    assert from_reports.default_opd() == OPD.objects.first()
    OPD.objects.filter(pk=portal.b.pk).update(slug="diskominfo")
    assert from_reports.default_opd().pk == portal.b.pk
