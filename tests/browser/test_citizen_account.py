"""In a real browser: a citizen signs up with a (synthetic) NIK, signs in, turns on two-step
verification, signs in again with a code, uses "Akun saya" and deletes the account; the pages
are checked with axe-core (WCAG 2.x A/AA) on the way.
"""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core import mail

from satupintu.citizens.testing import PEOPLE, registry_csv

from .test_publish_flow import AXE_OPTIONS, assert_styled, axe_report

pytestmark = pytest.mark.browser

EMAIL = "siti.aminah@example.org"
PASSWORD = "sawah hijau di pagi hari"  # noqa: S105 (a test account)


def latest_code():
    assert mail.outbox, "no message sent"
    return re.findall(r"\b(\d{6})\b", mail.outbox[-1].body)[0]


def test_citizen_signs_up_signs_in_with_two_steps_and_deletes_the_account(
    browser, tmp_path, settings
):
    from satupintu.citizens.models import Citizen
    from satupintu.registry.importer import import_registry

    extract = tmp_path / "siak.csv"
    extract.write_text(registry_csv(PEOPLE.values()), encoding="utf-8")
    import_registry(extract)
    siti = PEOPLE["siti"]
    page = browser.new_page()
    axe = Axe()
    reports = []

    def check(label):
        assert_styled(page)
        violations = axe.run(page, options=AXE_OPTIONS).response["violations"]
        if violations:
            reports.append(axe_report(label, violations))

    # --- Sign up: contact, code, identity ---------------------------------------------------
    page.goto("/")
    page.get_by_role("link", name="Masuk").first.click()
    page.get_by_role("link", name=re.compile("Daftar")).first.click()
    check("daftar: kontak")
    page.get_by_label("Surel").fill(EMAIL)
    page.get_by_role("button", name=re.compile("Kirim kode")).click()
    page.get_by_label("Kode").fill(latest_code())
    page.get_by_role("button", name=re.compile("Lanjut|Konfirmasi")).click()
    check("daftar: identitas")
    page.get_by_label("NIK").fill("3524 0150 0890 0003")
    page.get_by_label("Nama lengkap").fill(siti.name)
    page.get_by_label("Tanggal lahir").fill(siti.birth.isoformat())
    page.get_by_label("Kata sandi", exact=True).fill(PASSWORD)
    page.get_by_label("Ulangi kata sandi").fill(PASSWORD)
    page.get_by_label(re.compile("Saya setuju")).check()
    page.get_by_role("button", name=re.compile("Buat akun|Daftar")).click()
    page.wait_for_url(re.compile(r"/akun/daftar/selesai/$"))
    check("daftar: selesai")
    assert "aktif" in mail.outbox[-1].body
    assert Citizen.objects.by_nik(siti.nik).exists()

    # --- Sign in with NIK and password -------------------------------------------------------
    page.goto("/akun/masuk/")
    check("masuk")
    page.get_by_label("NIK").fill(siti.nik)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(re.compile(r"/akun/$"))
    assert "3524********0003" in page.content() and siti.nik not in page.content()
    check("akun saya")

    # --- Turn on two-step verification by e-mail code ------------------------------------------
    page.goto("/akun/dua-langkah/")
    check("dua langkah")
    page.get_by_role("link", name=re.compile("surel", re.I)).first.click()
    page.get_by_label("Kode").fill(latest_code())
    page.get_by_role("button", name=re.compile("Aktifkan|Simpan|Konfirmasi")).click()
    page.wait_for_url(re.compile(r"/akun/"))
    assert Citizen.objects.get().two_step == "email"

    # --- Sign out, then in again: the code is asked ------------------------------------------
    page.get_by_role("button", name="Keluar").first.click()
    page.goto("/akun/masuk/")
    page.get_by_label("NIK").fill(siti.nik)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(re.compile(r"/akun/masuk/kode/$"))
    check("masuk: kode")
    page.get_by_label("Kode").fill(latest_code())
    page.get_by_role("button", name=re.compile("Masuk|Lanjut|Verifikasi")).click()
    page.wait_for_url(re.compile(r"/akun/$"))

    # --- Delete the account -----------------------------------------------------------------
    page.goto("/akun/hapus/")
    check("hapus akun")
    page.get_by_label(re.compile("HAPUS")).fill("HAPUS")
    page.get_by_role("button", name=re.compile("Hapus")).click()
    page.wait_for_url(re.compile(r"/akun/terhapus/$"))
    assert not Citizen.objects.exists()

    assert not reports, "axe-core found WCAG A/AA violations:\n" + "\n".join(reports)
