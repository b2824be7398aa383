"""In a real browser: a citizen signs in to the example relying party (examples/oidc-client)
through Satu Pintu, consents, uses the app catalogue and "Aplikasi saya", launches an app,
revokes the example's access under "Aplikasi terhubung" (/akun/aplikasi-terhubung/), signs in
to the example again and signs out from it, which ends the portal session too (RP-initiated
logout). The portal pages on the way are checked with axe-core (WCAG 2.x A/AA).

The example app runs in this process on 127.0.0.1 (wsgiref, a background thread); the sample
apps' addresses (https://<slug>.contoh.example/) are answered by Playwright, never the network.
"""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from satupintu.citizens.testing import PEOPLE

from ..test_example_client import (
    CITIZEN_PASSWORD,
    CLIENT_ID,
    ExampleApp,
    make_citizen,
    register_example_client,
    use_live_issuer,
    wait_for_backchannel,
)
from .test_publish_flow import AXE_OPTIONS, assert_styled, axe_report

pytestmark = pytest.mark.browser

LAUNCHED = "Layanan Adminduk Online"  # a seeded app for citizens, active, signs in with SSO
LAUNCHED_SLUG = "layanan-adminduk-online"
LOOPBACK = re.compile(r"^https?://(127\.0\.0\.1|localhost)(:\d+)?/")


@pytest.fixture
def example_app(portal_live, settings):
    """The example relying party, serving; the provider's issuer pinned to the live server."""
    app = ExampleApp(use_live_issuer(settings, portal_live))
    try:
        yield app
    finally:
        wait_for_backchannel()
        app.close()


def seed_catalogue():
    """The Lamongan OPDs (the sample apps name their owners by slug: bkpsdm, disdukcapil,
    diskominfo…; the shared portal has only dinkes and dlh) and the sample catalogue."""
    from satupintu.appcatalog.demo import seed_apps
    from satupintu.demo.seed import seed_opds
    from satupintu.opd.models import OPD

    seed_opds("35.24")
    opds = list(OPD.objects.filter(home_page__isnull=False))
    assert {"disdukcapil", "diskominfo", "dinkes"} <= {o.slug for o in opds}
    assert seed_apps(opds, days=30) > 0


def test_citizen_signs_in_to_an_app_uses_the_catalogue_and_signs_out(browser, example_app):
    from django.core.cache import cache
    from django.urls import reverse
    from django.utils import timezone

    from satupintu.appcatalog import usage
    from satupintu.appcatalog.models import App
    from satupintu.citizens.models import AccountSession
    from satupintu.sso.models import Consent

    cache.clear()  # sign-in throttling and launch counters live in the cache
    seed_catalogue()
    register_example_client(example_app)
    example_app.start()
    citizen = make_citizen()
    siti = PEOPLE["siti"]
    example = example_app.base_url

    page = browser.new_page()
    # Everything the browser asks of anything but the loopback servers (the sample apps live
    # at https://<slug>.contoh.example/) is answered here with a stand-in page.
    external = []

    def stand_in(route):
        external.append(route.request.url)
        route.fulfill(
            status=200,
            content_type="text/html; charset=utf-8",
            body='<!DOCTYPE html><html lang="id"><title>Aplikasi</title><h1>Aplikasi</h1></html>',
        )

    page.context.route(lambda url: not LOOPBACK.match(url), stand_in)
    axe = Axe()
    reports = []

    def check(label):
        assert_styled(page)
        violations = axe.run(page, options=AXE_OPTIONS).response["violations"]
        if violations:
            reports.append(axe_report(f"{label} ({page.url})", violations))

    # --- The example app sends the citizen to Satu Pintu --------------------------------------
    page.goto(example + "/")
    expect(page.get_by_text("Anda belum masuk")).to_be_visible()
    page.get_by_role("link", name="Masuk dengan akun Satu Pintu").click()
    page.wait_for_url(re.compile(r"/akun/masuk/\?next=(/|%2F)sso(/|%2F)authorize"))
    check("masuk (dari aplikasi)")
    page.get_by_label("NIK").fill(siti.nik)
    page.get_by_label("Kata sandi").fill(CITIZEN_PASSWORD)
    page.get_by_role("button", name="Masuk").click()

    # --- Consent --------------------------------------------------------------------------------
    page.wait_for_url(re.compile(r"/sso/authorize/\?"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Contoh Aplikasi Daerah meminta data Anda"
    )
    expect(page.locator("main")).to_contain_text("Alamat surel")
    check("persetujuan")
    page.get_by_role("button", name="Setuju dan lanjutkan").click()
    page.wait_for_url(f"{example}/")
    expect(page.get_by_text(f"Anda masuk sebagai {siti.name}.")).to_be_visible()
    consent = Consent.objects.get(user=citizen.user, revoked_at__isnull=True)
    assert consent.shown and consent.application.client_id == CLIENT_ID
    today = timezone.localdate()  # the day the usage counters are kept under
    example_entry = App.objects.get(slug="contoh-aplikasi-daerah")
    assert cache.get(usage._key("sso", today, example_entry.pk)) == 1

    # --- The catalogue, an app's page, "Aplikasi saya" ---------------------------------------
    page.goto("/aplikasi/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Katalog Aplikasi")
    check("katalog aplikasi")
    page.get_by_label("Nama aplikasi, uraian, atau OPD").fill("Adminduk")
    page.get_by_role("button", name="Tampilkan").click()
    page.wait_for_url(re.compile(r"/aplikasi/\?q=Adminduk"))
    check("katalog aplikasi: pencarian")
    page.locator("main").get_by_role("link", name=LAUNCHED, exact=True).click()
    page.wait_for_url(re.compile(rf"/aplikasi/{LAUNCHED_SLUG}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(LAUNCHED)
    check("halaman aplikasi")

    page.goto("/aplikasi/saya/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Aplikasi saya")
    check("aplikasi saya")

    # --- Launching an app counts the launch and sends the browser to the app's address -------
    page.get_by_role("link", name=f"Buka {LAUNCHED}").click()
    app_url = f"https://{LAUNCHED_SLUG}.contoh.example/"
    page.wait_for_url(app_url)
    assert external[:1] == [app_url], external
    launched = App.objects.get(slug=LAUNCHED_SLUG)
    assert cache.get(usage._key("launches", today, launched.pk)) == 1
    page.goto("/aplikasi/saya/")
    expect(page.locator(".app-card").first).to_contain_text(LAUNCHED)  # the recent one on top
    expect(page.get_by_role("button", name="Lupakan urutan saya")).to_be_visible()
    check("aplikasi saya: baru dibuka")

    # --- "Aplikasi terhubung": revoke the example's access ------------------------------------
    connected = reverse("sso:connected_apps")  # /akun/aplikasi-terhubung/
    page.goto(connected)
    expect(page.get_by_role("heading", name="Contoh Aplikasi Daerah")).to_be_visible()
    check("aplikasi terhubung")
    page.get_by_role("button", name="Cabut akses Contoh Aplikasi Daerah").click()
    page.wait_for_url(re.compile(re.escape(connected) + "$"))
    expect(page.get_by_text("Belum ada aplikasi yang terhubung.")).to_be_visible()
    expect(page.locator("main")).to_contain_text("dicabut")
    check("aplikasi terhubung: dicabut")
    consent.refresh_from_db()
    assert consent.revoked_at is not None and consent.end_reason == "revoked"

    # --- Signing in to the example again asks for consent again -------------------------------
    page.goto(example + "/")
    if page.get_by_role("link", name="Keluar").count():
        # Revoking ends the app's tokens at the provider, but the app is not told (no logout
        # token), so the example's own session lives on; its "Keluar" would now send an
        # id_token_hint the provider has deleted and be refused (400), leaving the portal
        # session open. Start the example's session afresh instead.
        page.context.clear_cookies(domain="127.0.0.1")
        page.goto(example + "/")
    page.get_by_role("link", name="Masuk dengan akun Satu Pintu").click()
    page.wait_for_url(re.compile(r"/sso/authorize/\?"))  # still signed in to the portal
    page.get_by_role("button", name="Setuju dan lanjutkan").click()
    page.wait_for_url(f"{example}/")
    expect(page.get_by_text(f"Anda masuk sebagai {siti.name}.")).to_be_visible()

    # --- Signing out from the example ends the portal session (RP-initiated logout) ----------
    session = AccountSession.objects.get(user=citizen.user, ended_at__isnull=True)
    page.get_by_role("link", name="Keluar").click()
    page.wait_for_url(f"{example}/")
    expect(page.get_by_text("Anda belum masuk")).to_be_visible()
    session.refresh_from_db()
    assert session.ended_at is not None and session.end_reason == "rp_logout"
    page.goto("/akun/")
    page.wait_for_url(re.compile(r"/akun/masuk/"))
    assert page.get_by_label("NIK").is_visible()
    # Nothing but the launched app's address was asked outside the loopback (its favicon, at
    # most).
    assert all(url.startswith(app_url) for url in external), external

    assert not reports, "axe-core found WCAG A/AA violations:\n" + "\n".join(reports)
