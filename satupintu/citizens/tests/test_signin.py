"""Sign-in: NIK + password, two-step verification, throttling, sessions."""

import datetime

import pytest
import time_machine
from django.conf import settings
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from satupintu.citizens import throttle
from satupintu.citizens.models import AccountSession, Citizen, SecurityEvent

from .conftest import PEOPLE, STRANGER_NIK, last_code, make_citizen, sign_in

pytestmark = pytest.mark.django_db
SITI = PEOPLE["siti"]


def _signed_in(client):
    return client.get("/akun/").status_code == 200


def test_sign_in_with_nik_and_password(client, siti):
    client.get("/akun/masuk/")
    before = client.cookies.get(settings.SESSION_COOKIE_NAME)
    response = sign_in(client, "3524 0150 0890 0003")  # spaces as typed from the card
    assert response.status_code == 302 and response["Location"].endswith("/akun/")
    assert _signed_in(client)
    session = AccountSession.objects.get(user=siti.user)
    assert session.amr == ["pwd"] and session.ended_at is None
    after = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert before is None or before.value != after  # a new session on sign-in
    assert SecurityEvent.objects.filter(kind="signin", user=siti.user).exists()


def test_staff_cannot_sign_in_as_citizens_and_citizens_not_in_admin(client, siti, portal):
    assert sign_in(client, SITI.nik).status_code == 302
    assert client.get("/admin/").status_code == 302  # a citizen has no admin access


@pytest.mark.parametrize("nik", [SITI.nik, STRANGER_NIK, "12345"])
def test_failures_look_alike(client, siti, nik, hashing_work):
    encodes = hashing_work
    response = sign_in(client, nik, "kata sandi yang salah")
    assert response.status_code == 200
    assert "NIK atau kata sandi salah." in response.content.decode()
    assert len(encodes) == 1  # the same hashing work with or without an account


def test_an_attacker_is_slowed_but_the_owner_is_not_locked_out(client, siti):
    from django.test import Client

    owner = Client()
    assert sign_in(owner, SITI.nik).status_code == 302  # the owner's phone, known device
    owner.post("/akun/keluar/")
    for _ in range(throttle.ACCOUNT_FREE_TRIES):
        assert sign_in(client, SITI.nik, "tebakan").status_code == 200
    response = sign_in(client, SITI.nik)  # even the right password must wait now
    assert response.status_code == 429
    assert "Terlalu banyak percobaan" in response.content.decode()
    assert not _signed_in(client)
    # The owner's own browser is not throttled.
    assert sign_in(owner, SITI.nik).status_code == 302
    assert SecurityEvent.objects.filter(kind="signin_throttled").exists()


def test_the_wait_ends(client, siti):
    for _ in range(throttle.ACCOUNT_FREE_TRIES):
        sign_in(client, SITI.nik, "tebakan")
    assert sign_in(client, SITI.nik).status_code == 429
    later = datetime.datetime.now(datetime.UTC) + datetime.timedelta(
        seconds=throttle.ACCOUNT_BASE_DELAY + 1
    )
    with time_machine.travel(later):
        assert sign_in(client, SITI.nik).status_code == 302


def test_unknown_niks_are_throttled_the_same_way(client, siti):
    for _ in range(throttle.ACCOUNT_FREE_TRIES):
        sign_in(client, STRANGER_NIK, "tebakan")
    assert sign_in(client, STRANGER_NIK, "tebakan").status_code == 429


def test_one_address_trying_many_niks_is_stopped(client, siti):
    for i in range(throttle.IP_BUDGET):
        sign_in(client, f"35240112037700{i:02d}"[:16], "tebakan")
    assert sign_in(client, SITI.nik).status_code == 429


class TestTwoStep:
    def _totp_citizen(self):
        citizen = make_citizen(SITI, email="siti@example.org", two_step=Citizen.TwoStep.TOTP)
        device = TOTPDevice.objects.create(user=citizen.user, name="app", confirmed=True)
        return citizen, device

    def _code(self, device, offset=0):
        return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=6, drift=offset):06d}"

    def test_totp_is_asked_after_the_password(self, client, registry):
        citizen, device = self._totp_citizen()
        response = sign_in(client, SITI.nik)
        assert response["Location"].endswith("/akun/masuk/kode/")
        assert not _signed_in(client)
        assert client.post("/akun/masuk/kode/", {"code": "000000"}).status_code == 200
        # django-otp makes the next try wait a moment after a wrong code.
        response = client.post("/akun/masuk/kode/", {"code": self._code(device)})
        assert "Tunggu beberapa detik" in response.content.decode()
        device.throttle_reset()
        response = client.post("/akun/masuk/kode/", {"code": self._code(device)})
        assert response.status_code == 302
        session = AccountSession.objects.get(user=citizen.user)
        assert session.amr == ["pwd", "otp", "mfa"]
        assert session.acr.endswith("2fa")

    def test_a_totp_code_cannot_be_replayed(self, client, registry):
        from django.test import Client

        citizen, device = self._totp_citizen()
        sign_in(client, SITI.nik)
        code = self._code(device)
        assert client.post("/akun/masuk/kode/", {"code": code}).status_code == 302
        other = Client()
        sign_in(other, SITI.nik)
        assert other.post("/akun/masuk/kode/", {"code": code}).status_code == 200

    def test_email_code_sign_in(self, client, registry):
        make_citizen(SITI, email="siti@example.org", two_step=Citizen.TwoStep.EMAIL)
        sign_in(client, SITI.nik)
        code = last_code("siti@example.org")
        assert client.post("/akun/masuk/kode/", {"code": code}).status_code == 302
        assert _signed_in(client)

    def test_too_many_wrong_codes_start_over(self, client, registry):
        self._totp_citizen()
        sign_in(client, SITI.nik)
        start = datetime.datetime.now(datetime.UTC)
        for i in range(5):  # spaced out, past django-otp's growing wait between tries
            with time_machine.travel(start + datetime.timedelta(seconds=60 * (i + 1))):
                client.post("/akun/masuk/kode/", {"code": "000000"})
        with time_machine.travel(start + datetime.timedelta(seconds=330)):
            assert client.get("/akun/masuk/kode/")["Location"].endswith("/akun/masuk/")
        assert SecurityEvent.objects.filter(kind="twostep_failed").count() == 5

    def test_the_pending_step_expires(self, client, registry):
        self._totp_citizen()
        sign_in(client, SITI.nik)
        later = datetime.datetime.now(datetime.UTC) + datetime.timedelta(minutes=11)
        with time_machine.travel(later):
            assert client.get("/akun/masuk/kode/")["Location"].endswith("/akun/masuk/")

    def test_the_code_page_cannot_be_reached_without_the_password(self, client, registry):
        self._totp_citizen()
        assert client.get("/akun/masuk/kode/")["Location"].endswith("/akun/masuk/")


class TestSessions:
    def test_sign_out_ends_the_session(self, client, siti):
        sign_in(client, SITI.nik)
        assert client.post("/akun/keluar/").status_code == 302
        assert not _signed_in(client)
        assert AccountSession.objects.get().end_reason == "signout"

    def test_idle_timeout(self, client, siti):
        sign_in(client, SITI.nik)
        later = datetime.datetime.now(datetime.UTC) + datetime.timedelta(
            seconds=settings.SATUPINTU_CITIZEN_IDLE_TIMEOUT + 60
        )
        with time_machine.travel(later):
            assert not _signed_in(client)
        assert AccountSession.objects.get().end_reason == "idle"

    def test_absolute_timeout_even_when_active(self, client, siti):
        sign_in(client, SITI.nik)
        start = datetime.datetime.now(datetime.UTC)
        step = datetime.timedelta(seconds=settings.SATUPINTU_CITIZEN_IDLE_TIMEOUT - 60)
        moment = start
        while moment - start < datetime.timedelta(
            seconds=settings.SATUPINTU_CITIZEN_ABSOLUTE_TIMEOUT
        ):
            moment += step
            with time_machine.travel(moment):
                signed_in = _signed_in(client)
        assert not signed_in
        assert AccountSession.objects.get().end_reason == "expired"

    def test_signing_out_other_devices(self, client, siti):
        from django.test import Client

        phone = Client()
        sign_in(phone, SITI.nik)
        sign_in(client, SITI.nik)
        page = client.get("/akun/").content.decode()
        assert "sesi" in page
        client.post("/akun/sesi/akhiri-lainnya/")
        assert _signed_in(client) and not _signed_in(phone)

    def test_a_staff_session_is_untouched(self, client, portal):
        client.force_login(portal.kominfo)
        assert client.get("/admin/").status_code == 200
