"""The account page: data, re-authentication, contacts, two-step settings, download, delete."""

import datetime
import json

import pytest
import time_machine
from django.core import mail
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from satupintu.citizens.models import Citizen, SecurityEvent

from .conftest import PASSWORD, PEOPLE, last_code, sign_in

pytestmark = pytest.mark.django_db
SITI = PEOPLE["siti"]


@pytest.fixture
def signed_in(client, siti):
    assert sign_in(client, SITI.nik).status_code == 302
    return client


def test_the_account_page_shows_the_nik_masked(signed_in):
    page = signed_in.get("/akun/").content.decode()
    assert "3524********0003" in page
    assert SITI.nik not in page
    assert "Siti Aminah" in page


def test_the_account_page_needs_a_citizen(client, portal):
    assert client.get("/akun/")["Location"].startswith("/akun/masuk/")
    client.force_login(portal.operator_a)
    assert client.get("/akun/").status_code == 302


@pytest.mark.parametrize(
    "path", ["/akun/kontak/", "/akun/dua-langkah/", "/akun/unduh/", "/akun/hapus/"]
)
def test_sensitive_pages_ask_for_the_password_again(signed_in, path):
    later = datetime.datetime.now(datetime.UTC) + datetime.timedelta(minutes=6)
    with time_machine.travel(later):
        response = signed_in.get(path)
        assert response.status_code == 302 and "/akun/konfirmasi/" in response["Location"]
        response = signed_in.post("/akun/konfirmasi/", {"password": "salah sekali", "next": path})
        assert response.status_code == 200
        response = signed_in.post("/akun/konfirmasi/", {"password": PASSWORD, "next": path})
        assert response["Location"] == path
        assert signed_in.get(path).status_code == 200


def test_changing_the_contact_confirms_the_new_one_and_tells_the_old(signed_in, siti):
    signed_in.post("/akun/kontak/", {"email": "baru@example.org"})
    signed_in.post("/akun/kontak/kode/", {"code": last_code("baru@example.org")})
    siti.refresh_from_db()
    assert siti.confirmed_email == "baru@example.org"
    assert any(m.to == ["siti@example.org"] for m in mail.outbox[1:])
    assert SecurityEvent.objects.filter(kind="contact_changed").exists()


def test_turning_on_the_authenticator_app(signed_in, siti):
    page = signed_in.get("/akun/dua-langkah/aplikasi/")
    assert page.status_code == 200 and "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=siti.user)
    assert not device.confirmed
    code = f"{totp(device.bin_key):06d}"
    signed_in.post("/akun/dua-langkah/aplikasi/", {"code": code})
    siti.refresh_from_db()
    device.refresh_from_db()
    assert siti.two_step == Citizen.TwoStep.TOTP and device.confirmed
    signed_in.post("/akun/dua-langkah/matikan/")
    siti.refresh_from_db()
    assert siti.two_step == "" and not TOTPDevice.objects.exists()


def test_turning_on_email_codes(signed_in, siti):
    signed_in.get("/akun/dua-langkah/surel/")
    signed_in.post("/akun/dua-langkah/surel/", {"code": last_code("siti@example.org")})
    siti.refresh_from_db()
    assert siti.two_step == Citizen.TwoStep.EMAIL


def test_change_password_needs_the_old_one(signed_in, siti):
    new = "kalimat sandi yang baru"
    response = signed_in.post(
        "/akun/kata-sandi/",
        {"old-password": "salah sekali", "password1": new, "password2": new},
    )
    assert response.status_code == 200
    signed_in.post(
        "/akun/kata-sandi/", {"old-password": PASSWORD, "password1": new, "password2": new}
    )
    siti.user.refresh_from_db()
    assert siti.user.check_password(new)
    assert signed_in.get("/akun/").status_code == 200  # still signed in here


def test_download_my_data(signed_in, siti):
    response = signed_in.get("/akun/unduh/")
    assert response["Content-Disposition"].startswith("attachment")
    data = json.loads(response.content)
    assert data["akun"]["nik"] == SITI.nik  # the citizen's own data, to the citizen only
    assert data["sesi"] and data["peristiwa_keamanan"]
    assert SecurityEvent.objects.filter(kind="data_downloaded", user=siti.user).exists()


def test_delete_my_account(signed_in, siti):
    user_id = siti.user.pk
    response = signed_in.post("/akun/hapus/", {"confirm": "salah"})
    assert response.status_code == 200
    response = signed_in.post("/akun/hapus/", {"confirm": "HAPUS"})
    assert response["Location"].endswith("/akun/terhapus/")
    assert signed_in.get(response["Location"]).status_code == 200
    assert not Citizen.objects.exists()
    from django.contrib.auth import get_user_model

    assert not get_user_model().objects.filter(pk=user_id).exists()
    event = SecurityEvent.objects.get(kind="account_deleted")
    assert event.user is None and event.subject_hash  # the evidence stays, the identity goes
    assert sign_in(signed_in, SITI.nik).status_code == 200  # no account any more
