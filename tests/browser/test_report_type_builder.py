"""In a real browser: Kominfo defines a report type with Wagtail's StreamField form builder,
and an OPD operator sees the form it produced."""

import re

import pytest
from playwright.sync_api import expect

from .test_publish_flow import log_in

pytestmark = pytest.mark.browser


def test_kominfo_builds_a_report_form_and_operators_get_it(browser):
    from satupintu.reporting.models import ReportType

    page = browser.new_page()
    log_in(page, "kominfo")
    page.goto("/admin/pelaporan/jenis/new/")
    page.locator("input[name=name]").fill("Laporan pengaduan bulanan")
    page.locator("input[name=slug]").fill("pengaduan-bulanan")
    page.locator("select[name=period]").select_option("bulanan")
    page.locator("input[name=first_period_start]").fill("2026-01-01")
    page.locator("input[name=opd_types][value=dinas]").check()

    # Add two fields with the block picker; each new block's inputs appear after a moment, so
    # wait for them rather than filling the previous block's.
    labels = page.locator("input[name^='fields-'][name$='-value-label']")
    for count, (block, label) in enumerate(
        (("Angka dengan satuan", "Pengaduan diterima"), ("Ya/tidak", "Ada tindak lanjut"))
    ):
        page.locator(
            "[data-streamfield-stream-container] button[title='Insert a block'], "
            "button.c-sf-add-button"
        ).last.click()
        page.get_by_role("option", name=block).click()
        expect(labels).to_have_count(count + 1)
        labels.nth(count).fill(label)
    page.locator("input[name^='fields-'][name$='-value-unit']").first.fill("aduan")
    page.get_by_role("button", name=re.compile("^(Create|Buat|Simpan|Save)$")).click()
    # Saved: Wagtail goes back to the list. (Its error message also says "created".)
    page.wait_for_url(re.compile(r"/admin/pelaporan/jenis/$"))

    created = ReportType.objects.get(slug="pengaduan-bulanan")
    keys = [f["key"] for f in created.current_version.schema]
    assert keys == ["pengaduan_diterima", "ada_tindak_lanjut"]

    operator = browser.new_page()
    log_in(operator, "operator_a")
    operator.goto("/admin/pelaporan/isi/pengaduan-bulanan/dinkes/2026-01/")
    expect(operator.get_by_label("Pengaduan diterima *")).to_be_visible()
    expect(operator.get_by_text("aduan", exact=True)).to_be_visible()
