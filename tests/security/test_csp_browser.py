"""In Chromium: the Content-Security-Policy blocks nothing the portal itself uses.

A policy that is too tight fails silently for the visitor (suggestions that never appear, a
legend without colours), so the browser's own reports are collected on the pages that use
script, inline style or SVG: search suggestions, a dataset's chart and map with its colour
legend, the API's Swagger UI, and the Wagtail admin's page editor.
"""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.conftest import browser  # noqa: F401 (a fixture)

pytestmark = pytest.mark.browser

REPORTER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sample}`);
});
"""


def _content():
    """A published dataset with kecamatan codes and boundaries (chart, map, legend), and an
    index entry for the suggestions; built here because the live server's database is fresh."""
    from django.contrib.auth import get_user_model

    from satupintu.datacatalog.testing import make_dataset
    from satupintu.datacatalog.tests.test_public import square
    from satupintu.opd.models import OPD
    from satupintu.regency.models import Region
    from satupintu.search.index import Doc, put

    users = {u.username: u for u in get_user_model().objects.all()}
    opd = OPD.objects.get(slug="dinkes")
    dataset = make_dataset(
        opd, users["operator_a"], users["verifikator_a"], users["kominfo"], name="csp-contoh"
    )
    for i, code in enumerate(["35.24.01", "35.24.02", "35.24.03"]):
        Region.objects.filter(kemendagri_code=code).update(
            boundary=square(112.0 + i * 0.05, -7.1), boundary_source="Uji sintetis"
        )
    put(Doc(key="page:9101", kind="layanan", title="Pembuatan akta kelahiran", url="/layanan/"))
    resource = reverse("datacatalog:resource", args=[dataset.name, dataset.resources.get().id])
    return (
        f"{resource}?grafik_kategori=kecamatan&grafik_angka=jumlah"
        "&peta_kode=kode_kecamatan&peta_angka=jumlah"
    ), opd.home_page_id


def _watch(page):
    """CSP reports of this page: the console's 'Refused to …' lines and the DOM events."""
    console = []
    page.on(
        "console",
        lambda message: console.append(message.text)
        if "Content Security Policy" in message.text
        else None,
    )
    page.add_init_script(REPORTER)

    def violations():
        return console + page.evaluate("window.__cspViolations || []")

    return violations


def test_the_policy_blocks_nothing_the_portal_uses(browser):  # noqa: F811
    resource, home_id = _content()
    page = browser.new_page()
    violations = _watch(page)

    page.goto("/data/")
    page.locator("#q-header").press_sequentially("pembu")
    expect(page.locator("#q-header-saran [role=option]").first).to_be_visible()
    assert violations() == [], "suggestions"

    page.goto(resource)
    expect(page.locator("figure svg").first).to_be_visible()
    swatch = page.locator(".dc-swatch").first
    expect(swatch).to_be_visible()
    colour = swatch.evaluate("(el) => getComputedStyle(el).backgroundColor")
    assert colour not in ("rgba(0, 0, 0, 0)", "transparent"), "the legend lost its colours"
    primary = page.evaluate(
        "getComputedStyle(document.documentElement).getPropertyValue('--primary').trim()"
    )
    assert primary, "the regency's colours (inline <style> in base.html) did not apply"
    assert violations() == [], "chart, map and legend"

    page.goto("/api/v1/docs")
    expect(page.locator(".swagger-ui .information-container")).to_be_visible()
    assert violations() == [], "Swagger UI"

    page.goto("/admin/login/")
    page.fill("#id_username", "operator_a")
    import conftest

    page.fill("#id_password", conftest.PASSWORD)
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url("**/admin/")
    page.goto(f"/admin/pages/{home_id}/edit/")
    expect(page.locator("form#page-edit-form")).to_be_visible()
    assert violations() == [], "Wagtail admin"
