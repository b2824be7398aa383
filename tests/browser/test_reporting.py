"""In a real browser: an OPD operator fills in a monthly report (adding a table row without
JavaScript), saves a draft and sends it; the OPD's verifikator approves it from the admin home
notice; Kominfo sees it on the compliance dashboard. The reporting pages are checked with
axe-core (WCAG 2.x A/AA) within the page's main content (Wagtail's own chrome is Wagtail's).
"""

import datetime
import json

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from .test_publish_flow import AXE_OPTIONS, axe_report, log_in

pytestmark = pytest.mark.browser


def _report_type():
    from django.utils import timezone

    from satupintu.reporting import periods
    from satupintu.reporting.models import ReportType

    today = timezone.localdate()
    current = periods.containing(periods.MONTHLY, today)
    last = periods.preceding(current)
    first = periods.preceding(last)
    report_type = ReportType.objects.create(
        name="Laporan kegiatan bulanan",
        slug="kegiatan-bulanan",
        kind=ReportType.Kind.ACTIVITY,
        period=periods.MONTHLY,
        first_period_start=first.start,
        opd_types=["dinas"],
        fields=json.dumps(
            [
                {
                    "type": "text",
                    "value": {"label": "Nama kegiatan", "key": "kegiatan", "required": True},
                },
                {
                    "type": "number",
                    "value": {
                        "label": "Jumlah peserta",
                        "key": "peserta",
                        "required": True,
                        "unit": "orang",
                        "decimals": 0,
                    },
                },
                {
                    "type": "date",
                    "value": {
                        "label": "Tanggal kegiatan",
                        "key": "tanggal",
                        "required": True,
                        "within_period": True,
                    },
                },
                {"type": "yesno", "value": {"label": "Melibatkan warga", "key": "warga"}},
                {
                    "type": "table",
                    "value": {
                        "label": "Rincian per desa",
                        "key": "rincian",
                        "columns": [
                            {"type": "text", "value": {"label": "Desa", "key": "desa"}},
                            {
                                "type": "number",
                                "value": {"label": "Peserta", "key": "jumlah", "decimals": 0},
                            },
                        ],
                    },
                },
            ]
        ),
    )
    report_type.publish_form()
    return report_type, last


def _axe(page, axe, reports):
    # Wagtail fades its messages in: contrast measured mid-animation is not what people read.
    page.wait_for_function(
        """() => document.getAnimations().every(
            (a) => a.playState !== "running" || !a.effect.target?.closest?.(".messages")
        )"""
    )
    result = axe.run(page, context={"include": [["main"]]}, options=AXE_OPTIONS)
    violations = result.response["violations"]
    if violations:
        reports.append(axe_report(page.url, violations))


def test_operator_sends_verifikator_approves_kominfo_sees(browser):
    from satupintu.reporting.models import Submission

    report_type, period = _report_type()
    axe = Axe()
    reports = []

    operator = browser.new_page()
    log_in(operator, "operator_a")
    operator.goto("/admin/pelaporan/")
    _axe(operator, axe, reports)
    row = operator.locator("tr", has_text=period.label)
    row.get_by_role("link", name="Isi").click()
    operator.wait_for_url(f"**/pelaporan/isi/{report_type.slug}/dinkes/{period.key}/")
    _axe(operator, axe, reports)
    operator.get_by_label("Nama kegiatan").fill("Posyandu lansia")
    operator.get_by_label("Jumlah peserta").fill("1.250")
    operator.get_by_label("Tanggal kegiatan").fill(
        (period.start + datetime.timedelta(days=9)).isoformat()
    )
    operator.get_by_label("Ya").check()
    operator.get_by_label("Desa baris 1").fill("Sidoharjo")
    operator.get_by_label("Peserta baris 1").fill("40")
    operator.get_by_role("button", name="Tambah baris").click()
    expect(operator.get_by_label("Desa baris 2")).to_be_visible()
    expect(operator.get_by_label("Desa baris 1")).to_have_value("Sidoharjo")  # kept
    operator.get_by_label("Desa baris 2").fill("Made")
    operator.get_by_label("Peserta baris 2").fill("12")
    operator.get_by_role("button", name="Simpan draf").click()
    expect(operator.get_by_text("Draf disimpan.")).to_be_visible()
    expect(operator.get_by_label("Jumlah peserta")).to_have_value("1.250")
    operator.get_by_role("button", name="Kirim ke verifikator").click()
    expect(operator.get_by_text("Laporan dikirim ke verifikator.")).to_be_visible()
    _axe(operator, axe, reports)

    submission = Submission.objects.get(report_type=report_type)
    assert submission.status == "dikirim"
    assert submission.data["rincian"] == [
        {"desa": "Sidoharjo", "jumlah": "40"},
        {"desa": "Made", "jumlah": "12"},
    ]

    verifier = browser.new_page()
    log_in(verifier, "verifikator_a")
    notice = verifier.locator("section", has_text="Menunggu keputusan Anda")
    notice.get_by_role("link", name=period.label, exact=False).click()
    verifier.wait_for_url(f"**/pelaporan/laporan/{submission.pk}/")
    expect(verifier.get_by_text("Posyandu lansia")).to_be_visible()
    verifier.get_by_label("Catatan (wajib bila dikembalikan)").fill("Lengkap")
    verifier.get_by_role("button", name="Setujui").click()
    expect(verifier.get_by_text("Laporan disetujui.")).to_be_visible()
    submission.refresh_from_db()
    assert submission.status == "disetujui"

    kominfo = browser.new_page()
    log_in(kominfo, "kominfo")
    kominfo.goto(f"/admin/pelaporan/dasbor/?jenis={report_type.slug}")
    matrix = kominfo.locator("table.report-matrix")
    dinkes = matrix.locator("tr", has_text="Dinkes")
    expect(dinkes.locator("a[title=Disetujui]")).to_have_count(1)
    _axe(kominfo, axe, reports)
    assert not reports, "axe-core found WCAG A/AA violations:\n" + "\n".join(reports)
