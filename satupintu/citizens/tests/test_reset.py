"""Password reset through the confirmed contact, never around two-step verification."""

import re

import pytest
from django.core import mail
from django_otp.plugins.otp_totp.models import TOTPDevice

from satupintu.citizens.models import AccountSession, Citizen, SecurityEvent

from .conftest import PEOPLE, STRANGER_NIK, last_code, make_citizen, sign_in

pytestmark = pytest.mark.django_db
SITI = PEOPLE["siti"]
NEW = "sandi baru yang panjang sekali"


def _strip_csrf(content):
    return re.sub(r'value="[^"]{20,}"', "", content.decode())


def test_the_request_page_says_the_same_for_any_nik(client, siti):
    pages = []
    for nik in (SITI.nik, STRANGER_NIK):
        client.cookies.clear()
        response = client.post("/akun/lupa-sandi/", {"nik": nik})
        assert response.status_code == 302
        pages.append(_strip_csrf(client.get(response["Location"]).content))
    assert pages[0] == pages[1]
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["siti@example.org"]


def test_reset_changes_the_password_and_ends_every_session(client, siti):
    from django.test import Client

    phone = Client()
    sign_in(phone, SITI.nik)
    client.post("/akun/lupa-sandi/", {"nik": SITI.nik})
    response = client.post(
        "/akun/lupa-sandi/kode/", {"code": last_code(), "password1": NEW, "password2": NEW}
    )
    assert response.status_code == 302 and response["Location"].endswith("/selesai/")
    assert phone.get("/akun/").status_code == 302  # signed out everywhere
    assert client.get("/akun/").status_code == 302  # and the reset did not sign anyone in
    assert sign_in(client, SITI.nik, NEW).status_code == 302
    assert not AccountSession.objects.filter(end_reason="", ended_at__isnull=False).exists()
    assert SecurityEvent.objects.filter(kind="password_reset", user=siti.user).exists()


def test_reset_does_not_step_around_two_step(client, registry):
    citizen = make_citizen(SITI, email="siti@example.org", two_step=Citizen.TwoStep.TOTP)
    TOTPDevice.objects.create(user=citizen.user, name="app", confirmed=True)
    client.post("/akun/lupa-sandi/", {"nik": SITI.nik})
    client.post("/akun/lupa-sandi/kode/", {"code": last_code(), "password1": NEW, "password2": NEW})
    response = sign_in(client, SITI.nik, NEW)
    assert response["Location"].endswith("/akun/masuk/kode/")  # the second factor is still asked
    assert client.get("/akun/").status_code == 302


def test_a_wrong_code_changes_nothing(client, siti):
    client.post("/akun/lupa-sandi/", {"nik": SITI.nik})
    response = client.post(
        "/akun/lupa-sandi/kode/", {"code": "000000", "password1": NEW, "password2": NEW}
    )
    assert response.status_code == 200 and "Kode salah" in response.content.decode()
    siti.user.refresh_from_db()
    assert not siti.user.check_password(NEW)


def test_a_code_for_an_unknown_nik_never_works(client, siti):
    client.post("/akun/lupa-sandi/", {"nik": STRANGER_NIK})
    response = client.post(
        "/akun/lupa-sandi/kode/", {"code": "123456", "password1": NEW, "password2": NEW}
    )
    assert response.status_code == 200


def test_a_sign_up_code_cannot_reset(client, siti):
    client.post("/akun/daftar/", {"email": "siti@example.org"})
    code = last_code()
    client.post("/akun/lupa-sandi/", {"nik": SITI.nik})
    mail.outbox.clear()
    response = client.post(
        "/akun/lupa-sandi/kode/", {"code": code, "password1": NEW, "password2": NEW}
    )
    assert response.status_code == 200
