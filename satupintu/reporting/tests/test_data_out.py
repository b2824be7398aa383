"""Approved numbers summed per period, kecamatan or OPD; corrections in progress do not move
the figures; Kominfo can mark a summary for the regional data catalog. Also: an approved
activity report becomes a draft news item, and the admin home page reminds the OPD."""

import datetime
import json
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from satupintu.regency.models import Region
from satupintu.reporting import aggregate, workflow
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
                    "value": {"label": "Lokasi", "key": "lokasi", "level": "village"},
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
                {
                    "type": "table",
                    "value": {
                        "label": "Per desa",
                        "key": "desa",
                        "columns": [
                            {
                                "type": "region",
                                "value": {"label": "Desa", "key": "desa", "level": "village"},
                            },
                            {
                                "type": "number",
                                "value": {"label": "Warga", "key": "warga", "decimals": 0},
                            },
                        ],
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
    period = rt.period_from_key(key)
    submission = workflow.save(operator, rt, opd, period, rt.current_version, data)
    workflow.submit(operator, submission)
    return workflow.approve(verifier, submission)


def test_sums_per_period_and_per_kecamatan(portal, services):
    villages = list(Region.objects.filter(level="village").select_related("parent")[:40])
    v1 = villages[0]
    v2 = next(v for v in villages if v.parent_id != v1.parent_id)
    _approved(
        portal,
        services,
        portal.a,
        "2026-03",
        {
            "lokasi": v1.kemendagri_code,
            "layanan": "100",
            "desa": [
                {"desa": v1.kemendagri_code, "warga": "7"},
                {"desa": v2.kemendagri_code, "warga": "5"},
            ],
        },
    )
    _approved(
        portal,
        services,
        portal.b,
        "2026-03",
        {"lokasi": v2.kemendagri_code, "layanan": "40", "desa": []},
    )
    _approved(portal, services, portal.b, "2026-04", {"lokasi": None, "layanan": "10", "desa": []})
    # A draft or a sent report never counts.
    draft = workflow.save(
        portal.operator_a,
        services,
        portal.a,
        services.period_from_key("2026-04"),
        services.current_version,
        {"layanan": "999"},
    )
    assert draft.status == "draf"

    per_period = aggregate.build(services, "layanan")
    assert [row[:2] for row in per_period.rows] == [
        ["Maret 2026", Decimal(140)],
        ["April 2026", Decimal(10)],
    ]
    per_district = aggregate.build(services, "layanan", grouping=aggregate.BY_DISTRICT)
    totals = {row[0]: row[1] for row in per_district.rows}
    assert totals[v1.parent.name] == 100 and totals[v2.parent.name] == 40
    assert totals["(tanpa kecamatan)"] == 10
    rows = aggregate.build(services, "desa.warga", grouping=aggregate.BY_DISTRICT)
    assert {r[0]: r[1] for r in rows.rows} == {v1.parent.name: 7, v2.parent.name: 5}
    average = aggregate.build(
        services, "layanan", function=aggregate.AVERAGE, grouping=aggregate.BY_OPD
    )
    assert {r[0]: r[1] for r in average.rows} == {
        "Dinas Kesehatan": Decimal("100.00"),
        "Dinas Lingkungan Hidup": Decimal("25.00"),
    }


def test_a_correction_in_progress_keeps_the_approved_figure(portal, services):
    approved = _approved(portal, services, portal.a, "2026-03", {"layanan": "100", "desa": []})
    workflow.reopen(portal.operator_a, approved, "salah ketik")
    workflow.save(
        portal.operator_a,
        services,
        portal.a,
        approved.period,
        approved.version,
        {"layanan": "120", "desa": []},
        lock=approved.lock + 1,
        submission=approved,
    )
    assert aggregate.build(services, "layanan").rows[0][1] == 100


def test_summary_page_downloads_and_publishing(portal, services, client_for):
    _approved(portal, services, portal.a, "2026-03", {"layanan": "100", "desa": []})
    _approved(portal, services, portal.b, "2026-03", {"layanan": "40", "desa": []})
    query = {
        "jenis": services.slug,
        "isian": "layanan",
        "kelompok": "periode",
        "fungsi": "jumlah",
        "bulan": "12",
    }
    own = client_for(portal.operator_b).get(reverse("reporting_summaries"), query)
    assert own.status_code == 200 and "40" in own.content.decode()
    assert "140" not in own.content.decode()  # DLH sums only its own reports
    refused = client_for(portal.operator_b).post(
        reverse("reporting_publish"), {**query, "judul": "x"}
    )
    assert refused.status_code in (302, 403) and not PublishedAggregate.objects.exists()

    client = client_for(portal.kominfo)
    page = client.get(reverse("reporting_summaries"), query).content.decode()
    assert "140" in page
    csv = client.get(reverse("reporting_summaries"), {**query, "unduh": "csv"})
    assert "Maret 2026,140" in csv.content.decode("utf-8-sig")
    client.post(reverse("reporting_publish"), {**query, "judul": "Layanan per bulan"})
    published = PublishedAggregate.objects.get()
    assert published.table().rows[0][1] == 140
    _approved(portal, services, portal.a, "2026-04", {"layanan": "5", "desa": []})
    assert [r[1] for r in published.table().rows] == [140, 5]  # recomputed, not copied


def test_an_approved_activity_report_becomes_a_draft_news_item(portal, report_type, client_for):
    from satupintu.news.models import NewsPage

    from .conftest import APRIL, valid_post

    client = client_for(portal.operator_a)
    client.post(
        reverse("reporting_fill", args=[report_type.slug, "dinkes", APRIL.key]),
        valid_post(_submit="1"),
    )
    submission = report_type.submissions.get()
    refused = client.post(reverse("reporting_news", args=[submission.pk]))
    assert refused.status_code == 302 and not NewsPage.objects.filter(title__contains="April")
    workflow.approve(portal.verifier_a, submission)
    response = client.post(reverse("reporting_news", args=[submission.pk]))
    page = NewsPage.objects.get(title__contains="April 2026")
    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[page.pk])
    assert not page.live and page.opd_id == portal.a.pk
    assert "Posyandu lansia" in page.body and "<script" not in page.body
    assert submission.events.filter(action="berita").exists()
    # A second press opens the same draft.
    client.post(reverse("reporting_news", args=[submission.pk]))
    assert NewsPage.objects.filter(title__contains="April 2026").count() == 1


def test_admin_home_reminds_the_opd(portal, report_type, client_for):
    body = client_for(portal.operator_a).get(reverse("wagtailadmin_home")).content.decode()
    assert "lewat tenggat" in body and "Maret 2026" in body
    assert "Laporan kegiatan bulanan" in body
