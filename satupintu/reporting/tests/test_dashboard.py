"""The compliance dashboard and its exports: who is up to date, who is late, and the
informasi berkala duty; figures computed once per request, whatever the history size."""

import datetime
import io
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from satupintu.reporting import compliance, workflow
from satupintu.reporting.models import Submission

from .conftest import valid_post

pytestmark = pytest.mark.django_db

DATA = {"kegiatan": "Rapat", "peserta": "10", "tanggal": None, "pelaksanaan": "Terlaksana"}


def _at(day, hour=9):
    return time_machine.travel(datetime.datetime(*day, hour, 0), tick=False)


def _report(user, report_type, opd, key, data=None):
    period = report_type.period_from_key(key)
    values = dict(DATA, tanggal=period.start.isoformat(), **(data or {}))
    return workflow.save(user, report_type, opd, period, report_type.current_version, values)


@pytest.fixture
def history(portal, report_type):
    """Dinkes: January approved on time, February sent late, March approved, April missing.
    DLH: January returned and never re-sent, February draft, March and April missing."""
    a, b = portal.a, portal.b
    with _at((2026, 2, 3)):
        jan = workflow.submit(
            portal.operator_a, _report(portal.operator_a, report_type, a, "2026-01")
        )
        workflow.approve(portal.verifier_a, jan)
        returned = workflow.submit(
            portal.operator_b, _report(portal.operator_b, report_type, b, "2026-01")
        )
        workflow.send_back(portal.verifier_b, returned, "Lengkapi")
    with _at((2026, 3, 30)):  # February's due date was 13 March
        workflow.submit(portal.operator_a, _report(portal.operator_a, report_type, a, "2026-02"))
        _report(portal.operator_b, report_type, b, "2026-02")
    with _at((2026, 4, 2)):
        march = workflow.submit(
            portal.operator_a, _report(portal.operator_a, report_type, a, "2026-03")
        )
        workflow.approve(portal.verifier_a, march)
    return {"returned": returned}


def test_figures_tell_who_is_up_to_date(portal, report_type, history):
    today = datetime.date(2026, 5, 20)  # April due 15 May: past
    data = compliance.figures(months=12, matrix_type=report_type, today=today)
    dinkes, dlh = data.by_opd[portal.a], data.by_opd[portal.b]
    assert (dinkes.due, dinkes.approved, dinkes.sent, dinkes.on_time) == (4, 2, 3, 2)
    assert (dinkes.overdue, dinkes.sent_late) == (1, 1)
    assert (dlh.due, dlh.approved, dlh.overdue) == (4, 0, 4)
    assert dinkes.completion == 0.5 and dlh.completion == 0
    late = [(o.opd.slug, o.period.key) for o in data.late]
    assert ("dinkes", "2026-04") in late and ("dlh", "2026-01") in late
    assert ("dinkes", "2026-02") not in late  # sent, even if late
    cells = dict(data.matrix)
    assert [c.status for c in cells[portal.a]] == ["disetujui", "dikirim", "disetujui", "terlambat"]
    assert [c.status for c in cells[portal.b]] == ["terlambat"] * 4
    # May is running and not due: not counted anywhere.
    assert all(o.period.key != "2026-05" for o in data.late)


def test_dashboard_page_and_exports(portal, report_type, history, client_for):
    client = client_for(portal.kominfo)
    with _at((2026, 5, 20)):
        page = client.get(reverse("reporting_dashboard"), {"jenis": report_type.slug})
        body = page.content.decode()
        assert page.status_code == 200
        assert "Dinas Kesehatan" in body and "Dinas Lingkungan Hidup" in body
        assert "Lewat tenggat dan belum dikirim" in body and "<svg" in body
        xlsx = client.get(reverse("reporting_export_xlsx"), {"jenis": report_type.slug})
        csv = client.get(reverse("reporting_export_csv"), {"jenis": report_type.slug})
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(xlsx.content))
    assert book.sheetnames == ["Ringkasan OPD", "Status per periode", "KIP berkala"]
    statuses = list(book["Status per periode"].iter_rows(values_only=True))
    assert len(statuses) == 1 + 2 * 4
    assert (statuses[1][0], statuses[2][3]) == ("Dinas Kesehatan", "Februari 2026")
    text = csv.content.decode("utf-8-sig")
    assert text.count("Terlambat") >= 5 and "Disetujui" in text


def test_opd_people_see_only_their_opd(portal, report_type, history, client_for):
    client = client_for(portal.verifier_b)
    with _at((2026, 5, 20)):
        body = client.get(reverse("reporting_dashboard")).content.decode()
    assert "Dinas Lingkungan Hidup" in body and "Dinas Kesehatan" not in body


def test_dashboard_queries_do_not_grow_with_history(portal, report_type, history, client_for):
    client = client_for(portal.kominfo)
    url = reverse("reporting_dashboard") + f"?jenis={report_type.slug}"
    with _at((2026, 5, 20)):
        client.get(url)
        with CaptureQueriesContext(connection) as before:
            client.get(url)
        returned = Submission.objects.get(pk=history["returned"].pk)
        for n in range(30):  # a long back-and-forth on one report
            workflow.submit(portal.operator_b, returned)
            workflow.send_back(portal.verifier_b, Submission.objects.get(pk=returned.pk), f"#{n}")
        with CaptureQueriesContext(connection) as after:
            client.get(url)
    assert len(after) == len(before)


def test_kip_berkala_flags_opds_not_updated_in_six_months(portal):
    from django.core.files.base import ContentFile
    from wagtail.documents.models import Document

    from satupintu.ppid.models import PPIDDocumentPage, PPIDIndexPage

    index = PPIDIndexPage.objects.child_of(portal.a.home_page).first()
    file = Document.objects.create(
        title="LK semester",
        collection=portal.a.collection,
        file=ContentFile(b"%PDF-1.4\n%%EOF\n", name="lk.pdf"),
    )
    document = PPIDDocumentPage(
        title="Laporan keuangan semester",
        category=PPIDDocumentPage.Category.BERKALA,
        year=2026,
        document=file,
        live=False,
    )
    index.add_child(instance=document)
    document.save_revision().publish()
    portal.a.home_page.save_revision().publish()
    rows = {r.opd.slug: r for r in compliance.kip_berkala(portal.a.__class__.objects.all())}
    assert not rows["dinkes"].stale and rows["dlh"].stale
    later = timezone.now() + datetime.timedelta(days=200)
    rows = {
        r.opd.slug: r for r in compliance.kip_berkala(portal.a.__class__.objects.all(), now=later)
    }
    assert rows["dinkes"].stale


def test_valid_post_helper_matches_the_form(report_type):
    assert Decimal(valid_post()["peserta"].replace(".", "")) == 1250


def test_a_correction_in_progress_is_neither_missing_nor_late(portal, report_type, history):
    january = Submission.objects.get(opd=portal.a, period_start=datetime.date(2026, 1, 1))
    with _at((2026, 5, 20)):
        workflow.reopen(portal.operator_a, january, "Salah ketik")
    data = compliance.figures(months=12, matrix_type=report_type, today=datetime.date(2026, 5, 20))
    dinkes = data.by_opd[portal.a]
    assert (dinkes.approved, dinkes.overdue, dinkes.on_time) == (2, 1, 2)
    cell = dict(data.matrix)[portal.a][0]
    assert cell.status == "disetujui" and cell.correcting


def test_a_report_late_twice_is_counted_once(portal, report_type, history):
    """DLH's February draft is sent after its due date, then returned: it is both sent late
    and overdue now, which is one late report, not two."""
    february = Submission.objects.get(opd=portal.b, period_start=datetime.date(2026, 2, 1))
    with _at((2026, 3, 31)):
        workflow.submit(portal.operator_b, february)
        workflow.send_back(portal.verifier_b, Submission.objects.get(pk=february.pk), "Lagi")
    data = compliance.figures(months=12, today=datetime.date(2026, 5, 20))
    dlh = data.by_opd[portal.b]
    assert (dlh.overdue, dlh.sent_late, dlh.late) == (4, 1, 4)
