"""Sign-up: contact first, then identity checked against the registry, outcome by message.

The outcome must not be readable from the web response (issue: enumeration), so several tests
compare the pages of different outcomes and the hashing work done for each.
"""

import datetime
import re

import pytest
import time_machine
from django.core import mail

from satupintu.citizens.models import Citizen, OneTimeCode, SecurityEvent
from satupintu.registry.models import RegistryCheck

from .conftest import PASSWORD, PEOPLE, STRANGER_NIK, last_code, make_citizen, sign_up

pytestmark = pytest.mark.django_db


def _done_page(client, response):
    assert response.status_code == 302 and response["Location"].endswith("/akun/daftar/selesai/")
    page = client.get(response["Location"])
    assert page.status_code == 200
    # The CSRF token differs per request; nothing else may.
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page.content.decode())


def test_sign_up_creates_a_verified_account(client, registry):
    siti = PEOPLE["siti"]
    response = sign_up(client, siti, "siti@example.org")
    _done_page(client, response)
    citizen = Citizen.objects.by_nik(siti.nik).get()
    assert citizen.identity_level == Citizen.IdentityLevel.REGISTRY
    assert citizen.resident is True and citizen.domicile_code.startswith("35.24.01")
    assert citizen.sex == "P" and citizen.birth_date == siti.birth
    assert citizen.confirmed_email == "siti@example.org"
    assert citizen.nik == siti.nik and siti.nik not in citizen.nik_encrypted
    assert citizen.user.check_password(PASSWORD)
    assert siti.nik not in citizen.user.username
    check = RegistryCheck.objects.get(user=citizen.user)
    assert check.matched and check.fields == {"nik": True, "full_name": True, "birth_date": True}
    assert SecurityEvent.objects.filter(kind="signup", user=citizen.user).exists()
    assert "aktif" in mail.outbox[-1].body


def test_a_resident_with_a_surabaya_nik_signs_up(client, registry):
    budi = PEOPLE["budi"]
    _done_page(client, sign_up(client, budi, "budi@example.org"))
    citizen = Citizen.objects.by_nik(budi.nik).get()
    # Residency comes from the registry's domicile, never from the NIK's prefix.
    assert citizen.resident is True and citizen.domicile_code.startswith("35.24.02")


def test_the_three_outcomes_look_the_same(client, registry, hashing_work):
    """Created / no match / NIK already has an account: same page, status and hashing work."""
    encodes = hashing_work
    pages, work = [], []
    siti, budi = PEOPLE["siti"], PEOPLE["budi"]
    wrong_name = type(budi)(**{**vars(budi), "name": "Bukan Budi"})
    for person in (siti, wrong_name, siti):  # created, no match, already registered
        client.cookies.clear()
        encodes.clear()
        response = sign_up(client, person, "orang@example.org")
        work.append(len(encodes))
        pages.append(_done_page(client, response))
    assert pages[0] == pages[1] == pages[2]
    assert work[0] == work[1] == work[2] == 1
    assert Citizen.objects.count() == 1
    # The outcome travels only to the contact just confirmed (code, outcome; code, outcome; …).
    subjects = [m.subject for m in mail.outbox if m.to == ["orang@example.org"]]
    assert len(set(subjects[1::2])) >= 3  # three different outcome messages


def test_the_owner_hears_of_an_attempt_on_their_nik(client, registry):
    make_citizen(PEOPLE["siti"], email="pemilik@example.org")
    sign_up(client, PEOPLE["siti"], "penyerang@example.org")
    assert any(m.to == ["pemilik@example.org"] for m in mail.outbox)
    assert Citizen.objects.count() == 1
    owner_mail = next(m for m in mail.outbox if m.to == ["pemilik@example.org"])
    assert PEOPLE["siti"].nik not in owner_mail.body


def test_a_nik_missing_from_the_registry_creates_nothing(client, registry):
    stranger = type(PEOPLE["siti"])(**{**vars(PEOPLE["siti"]), "nik": STRANGER_NIK})
    stranger.birth = datetime.date(1977, 3, 12)
    sign_up(client, stranger, "x@example.org")
    assert not Citizen.objects.exists()
    check = RegistryCheck.objects.get()
    assert not check.matched and check.user is None


def test_registry_down_keeps_the_form_and_stores_nothing(client, db):
    # No extract imported: the local registry cannot answer.
    response = sign_up(client, PEOPLE["siti"], "siti@example.org")
    assert response.status_code == 200
    assert "sedang tidak tersedia" in response.content.decode()
    assert not Citizen.objects.exists() and not RegistryCheck.objects.exists()
    assert PASSWORD not in response.content.decode()  # the password is not echoed back


def test_under_seventeen_is_not_offered_an_account(client, registry):
    response = sign_up(client, PEOPLE["dewi"], "dewi@example.org")
    assert response.status_code == 200
    assert "17 tahun" in response.content.decode()
    assert not Citizen.objects.exists() and not RegistryCheck.objects.exists()


def test_a_birth_date_unlike_the_nik_is_a_soft_warning(client, registry):
    siti = PEOPLE["siti"]
    corrected = type(siti)(**{**vars(siti), "birth": datetime.date(1990, 8, 11)})
    response = sign_up(client, corrected, "siti@example.org")
    assert response.status_code == 200
    assert "berbeda dengan angka tanggal lahir di NIK" in response.content.decode()
    # Confirming goes on to the registry, which (here) holds the 10th, so no account.
    data = {
        "nik": siti.nik,
        "full_name": siti.name,
        "birth_date": "1990-08-11",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "consent": "on",
        "confirm_birth_date": "on",
    }
    response = client.post("/akun/daftar/identitas/", data)
    assert response.status_code == 302
    assert RegistryCheck.objects.count() == 1 and not Citizen.objects.exists()


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("pendek", "terlalu pendek"),
        ("password123", "terlalu umum"),
        ("3524015008900003x", "NIK"),
        ("lamongan2024", "mudah ditebak"),
        ("x" * 300, "terlalu panjang"),
    ],
)
def test_weak_passwords_are_refused(client, registry, password, reason):
    response = sign_up(client, PEOPLE["siti"], "siti@example.org", password=password)
    assert response.status_code == 200
    assert reason in response.content.decode()
    assert not Citizen.objects.exists()


def test_a_long_passphrase_is_welcome(client, registry):
    sign_up(client, PEOPLE["siti"], "siti@example.org", password="saya suka " * 10)
    assert Citizen.objects.exists()


def test_consent_is_required(client, registry):
    siti = PEOPLE["siti"]
    sign_up(client, siti, "siti@example.org")  # creates; reuse a fresh client for the check
    client.cookies.clear()
    client.post("/akun/daftar/", {"email": "lain@example.org"})
    client.post("/akun/daftar/kode/", {"code": last_code("lain@example.org")})
    response = client.post(
        "/akun/daftar/identitas/",
        {
            "nik": siti.nik,
            "full_name": siti.name,
            "birth_date": siti.birth.isoformat(),
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 200 and "Persetujuan diperlukan" in response.content.decode()


def test_identity_step_needs_a_confirmed_contact(client, registry):
    response = client.get("/akun/daftar/identitas/")
    assert response.status_code == 302 and response["Location"].endswith("/akun/daftar/")
    client.post("/akun/daftar/", {"email": "a@example.org"})
    response = client.get("/akun/daftar/identitas/")  # code not yet entered
    assert response.status_code == 302


def test_malformed_nik_is_explained(client, registry):
    client.post("/akun/daftar/", {"email": "a@example.org"})
    client.post("/akun/daftar/kode/", {"code": last_code()})
    response = client.post(
        "/akun/daftar/identitas/",
        {
            "nik": "3524 0150 0890 000",
            "full_name": "A",
            "birth_date": "1990-08-10",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "consent": "on",
        },
    )
    assert "16 angka" in response.content.decode()


class TestCodes:
    def test_a_code_works_once(self, client, registry):
        client.post("/akun/daftar/", {"email": "a@example.org"})
        code = last_code()
        assert client.post("/akun/daftar/kode/", {"code": code}).status_code == 302
        other = client.__class__()
        other.post("/akun/daftar/", {"email": "a@example.org"})  # new code replaces the old
        assert other.post("/akun/daftar/kode/", {"code": code}).status_code == 200

    def test_five_wrong_tries_kill_the_code(self, client, registry):
        client.post("/akun/daftar/", {"email": "a@example.org"})
        code = last_code()
        wrong = f"{(int(code) + 1) % 1_000_000:06d}"
        for _ in range(5):
            assert client.post("/akun/daftar/kode/", {"code": wrong}).status_code == 200
        assert client.post("/akun/daftar/kode/", {"code": code}).status_code == 200

    def test_a_code_expires_after_ten_minutes(self, client, registry):
        client.post("/akun/daftar/", {"email": "a@example.org"})
        code = last_code()
        later = datetime.datetime.now(datetime.UTC) + datetime.timedelta(minutes=11)
        with time_machine.travel(later):
            assert client.post("/akun/daftar/kode/", {"code": code}).status_code == 200

    def test_a_code_is_bound_to_its_purpose(self, client, siti):
        from satupintu.citizens import codes

        client.post("/akun/daftar/", {"email": "siti@example.org"})
        code = last_code()
        assert not codes.check(OneTimeCode.Purpose.RESET, "siti@example.org", code)
        assert codes.check(OneTimeCode.Purpose.SIGNUP, "siti@example.org", code)

    def test_codes_to_one_address_are_limited(self, client, registry):
        for _ in range(3):
            assert client.post("/akun/daftar/", {"email": "a@example.org"}).status_code == 302
        response = client.post("/akun/daftar/", {"email": "a@example.org"})
        assert response.status_code == 200 and "Terlalu banyak" in response.content.decode()
        assert len(mail.outbox) == 3

    def test_codes_are_stored_only_as_hashes(self, client, registry):
        client.post("/akun/daftar/", {"email": "a@example.org"})
        code = last_code()
        row = OneTimeCode.objects.get()
        assert code not in row.code_hash and "a@example.org" not in row.target_hash

    def test_phone_codes_go_by_sms(self, client, registry):
        from satupintu.citizens import codes

        response = client.post("/akun/daftar/", {"email": "", "phone": "0812-3456-7890"})
        assert response.status_code == 302
        assert codes.sms_outbox[-1]["to"] == "+6281234567890"


def test_one_nik_cannot_be_probed_name_after_name(client, registry):
    from satupintu.citizens.views.signup import CHECKS_PER_NIK

    siti = PEOPLE["siti"]
    for attempt in range(CHECKS_PER_NIK + 1):
        guess = type(siti)(**{**vars(siti), "name": f"Tebakan {attempt}"})
        client.cookies.clear()
        _done_page(client, sign_up(client, guess, f"penebak{attempt}@example.org"))
    assert RegistryCheck.objects.count() == CHECKS_PER_NIK  # the last try never reached it
    assert "terlalu banyak percobaan" in mail.outbox[-1].body
    # The right data is refused too until the hour is over: the page still looks the same.
    client.cookies.clear()
    _done_page(client, sign_up(client, siti, "siti@example.org"))
    assert not Citizen.objects.exists()
