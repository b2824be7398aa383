"""The demo catalog: real figures with their sources, labelled samples, a draft and a dataset
waiting for the Walidata, built through the workflow; running it twice changes nothing."""

import json

import pytest
from django.db.models import Count, Q

from satupintu.datacatalog import demo, query, workflow
from satupintu.datacatalog.models import (
    Dataset,
    DatasetEvent,
    PublishedDataset,
    ResourceVersion,
    Topic,
)
from satupintu.regency.models import Region

pytestmark = pytest.mark.django_db


def _state():
    return {
        "datasets": sorted(Dataset.objects.values_list("name", "status", "revision", "updated_at")),
        "versions": ResourceVersion.objects.count(),
        "events": DatasetEvent.objects.count(),
        "published": sorted(PublishedDataset.objects.values_list("name", "package")),
        "topics": Topic.objects.count(),
    }


def _rows(dataset):
    version = dataset.resources.get().current
    result = query.search(version.key, version.columns, limit=5000)
    names = [f["id"] for f in result.fields]
    return [dict(zip(names, record, strict=True)) for record in result.records]


@pytest.fixture
def seeded(portal):
    created = demo.seed_datasets([portal.a, portal.b])
    assert created
    return created


def test_seeding_twice_changes_nothing(portal, seeded):
    before = _state()
    assert demo.seed_datasets([portal.a, portal.b]) == []
    assert _state() == before


def test_desa_and_kelurahan_counts_are_the_region_table(seeded):
    dataset = Dataset.objects.get(name=demo.NAMES["districts"])
    expected = {
        d.kemendagri_code: (d.desa, d.kelurahan)
        for d in Region.objects.filter(level=Region.Level.DISTRICT).annotate(
            desa=Count("children", filter=Q(children__kind="desa")),
            kelurahan=Count("children", filter=Q(children__kind="kelurahan")),
        )
    }
    rows = _rows(dataset)
    got = {r["kode_kecamatan"]: (int(r["jumlah_desa"]), int(r["jumlah_kelurahan"])) for r in rows}
    assert got == expected
    assert (
        sum(int(r["jumlah_desa_kelurahan"]) for r in rows)
        == Region.objects.filter(level=Region.Level.VILLAGE).count()
    )
    regency = Region.objects.get(level=Region.Level.REGENCY)
    assert dataset.source == regency.source and dataset.source_url
    assert dataset.temporal_start == regency.source_date


def test_samples_are_labelled_and_real_data_cites_sources(seeded):
    samples = [d for d in Dataset.objects.all() if d.title.startswith("[DATA CONTOH]")]
    assert len(samples) >= 2
    for dataset in Dataset.objects.all():
        sample = dataset.title.startswith("[DATA CONTOH]")
        assert (demo.SAMPLE_TAG in dataset.tags) == sample, dataset.name
        assert ("bukan data resmi" in dataset.notes) == sample, dataset.name
        if not sample:
            assert dataset.source and dataset.source_url.startswith("https://"), dataset.name
    # One sample carries kecamatan codes and a number, for the map.
    waste = Dataset.objects.get(name=demo.NAMES["waste"])
    columns = {c["id"]: c["type"] for c in waste.resources.get().current.columns}
    assert columns["kode_kecamatan"] == "text" and columns["sampah_terangkut_ton"] == "numeric"
    codes = {r["kode_kecamatan"] for r in _rows(waste)}
    assert codes == set(
        Region.objects.filter(level=Region.Level.DISTRICT).values_list("kemendagri_code", flat=True)
    )


def test_published_demo_datasets_are_complete_and_the_queue_has_work(portal, seeded):
    published = Dataset.objects.filter(status=Dataset.Status.PUBLISHED)
    assert published.count() >= 4
    for dataset in published:
        assert workflow.problems(dataset) == [], dataset.name
        assert PublishedDataset.objects.filter(dataset=dataset).exists()
    assert published.values("opd").distinct().count() >= 2
    waiting = Dataset.objects.get(status=Dataset.Status.SUBMITTED)
    assert waiting.name == demo.NAMES["villages"] and workflow.problems(waiting) == []
    assert workflow.can_verify(portal.kominfo, waiting)
    draft = Dataset.objects.get(status=Dataset.Status.DRAFT)
    assert draft.title.startswith("[DATA CONTOH]") and workflow.problems(draft)
    assert {"kependudukan", "pemerintahan", "kesehatan", "wilayah"} <= set(
        Topic.objects.values_list("name", flat=True)
    )


def test_the_regency_facts_keep_their_sources(seeded):
    facts = demo.regency_facts("35.24")
    dataset = Dataset.objects.get(name=facts["name"])
    rows = _rows(dataset)
    assert [r["indikator"] for r in rows] == [row[0] for row in facts["rows"]]
    assert all(r["sumber"] for r in rows)
    census = next(r for r in rows if r["indikator"].endswith("(Sensus Penduduk)"))
    assert int(census["nilai"]) == 1379628 and int(census["tahun"]) == 2020
    assert demo.regency_facts("35.23") is None


def test_another_regency_gets_its_own_regions_and_no_lamongan_facts(portal):
    from satupintu.regency.loading import init_regency

    init_regency("35.23")
    demo.seed_datasets([portal.a, portal.b])
    names = set(Dataset.objects.values_list("name", flat=True))
    assert "penduduk-luas-wilayah-kabupaten" not in names
    dataset = Dataset.objects.get(name=demo.NAMES["districts"])
    assert "Tuban" in dataset.title and "Lamongan" not in dataset.title
    codes = {r["kode_kecamatan"] for r in _rows(dataset)}
    assert codes and all(code.startswith("35.23.") for code in codes)


def test_a_summary_of_the_demo_reports_is_published_from_pelaporan(portal):
    from satupintu.reporting.demo import seed_reports

    seed_reports([portal.a, portal.b])
    demo.seed_datasets([portal.a, portal.b])
    dataset = Dataset.objects.get(origin=Dataset.Origin.REPORTING)
    assert dataset.status == Dataset.Status.PUBLISHED
    assert dataset.title.startswith("[DATA CONTOH]") and demo.SAMPLE_TAG in dataset.tags
    assert dataset.provenance["approved_reports"] > 0
    package = json.loads(PublishedDataset.objects.get(dataset=dataset).package)
    assert any(e["key"] == "provenans" for e in package["extras"])
    before = _state()
    assert demo.seed_datasets([portal.a, portal.b]) == []
    assert _state() == before
