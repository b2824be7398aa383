"""Sign-up end to end with the Disdukcapil web-service adapter, against its local fake."""

import datetime
from types import SimpleNamespace

import pytest
from django.core import mail

from satupintu.citizens.models import Citizen
from satupintu.registry.models import RegistryCheck
from satupintu.registry.testing import FakeDukcapil, fake_dukcapil

from .conftest import sign_up

pytestmark = pytest.mark.django_db

# In the fake's population: a resident, and one whose Lamongan NIK moved to Surabaya.
SITI = SimpleNamespace(nik="3524015708900001", name="Siti Aminah", birth=datetime.date(1990, 8, 17))
AHMAD = SimpleNamespace(nik="3524100101800003", name="Ahmad Fauzi", birth=datetime.date(1980, 1, 1))


@pytest.fixture
def dukcapil(settings, portal):
    with fake_dukcapil(settings, config={"RETRIES": 0, "TOTAL_TIMEOUT": 3}) as fake:
        yield fake


def test_a_match_creates_a_resident_account(client, dukcapil):
    response = sign_up(client, SITI, "siti@example.org")
    assert response.status_code == 302
    citizen = Citizen.objects.by_nik(SITI.nik).get()
    assert citizen.resident is True and citizen.identity_source == "registry:dukcapil"
    sent = dukcapil.last_request.payload
    assert sent["NIK"] == SITI.nik and sent["TGL_LHR"] == "17-08-1990"
    assert sent["KAB_NAME"] == "LAMONGAN"  # this regency, so the verdict tells domicile


def test_a_lamongan_nik_living_elsewhere_is_no_resident(client, dukcapil):
    sign_up(client, AHMAD, "ahmad@example.org")
    citizen = Citizen.objects.by_nik(AHMAD.nik).get()
    assert citizen.resident is False  # from the registry's answer, not from "3524"


def test_an_outage_is_never_a_match(client, dukcapil):
    dukcapil.set_mode(FakeDukcapil.ERROR, status=503)
    response = sign_up(client, SITI, "siti@example.org")
    assert response.status_code == 200
    assert "sedang tidak tersedia" in response.content.decode()
    assert not Citizen.objects.exists() and not RegistryCheck.objects.exists()
    # The form is kept: once the service is back, the same page goes through.
    dukcapil.set_mode(FakeDukcapil.NORMAL)
    from satupintu.registry.dukcapil import reset_breaker

    reset_breaker()
    data = {
        "nik": SITI.nik,
        "full_name": SITI.name,
        "birth_date": SITI.birth.isoformat(),
        "password1": "tiga kata acak sekali",
        "password2": "tiga kata acak sekali",
        "consent": "on",
    }
    assert client.post("/akun/daftar/identitas/", data).status_code == 302
    assert Citizen.objects.filter(resident=True).count() == 1


def test_a_malformed_answer_is_never_a_match(client, dukcapil):
    dukcapil.set_mode(FakeDukcapil.WRONG_SHAPE)
    assert "sedang tidak tersedia" in sign_up(client, SITI, "s@example.org").content.decode()
    assert not Citizen.objects.exists()


def test_a_wrong_name_is_a_plain_no_match(client, dukcapil):
    wrong = SimpleNamespace(nik=SITI.nik, name="Siti Rahayu", birth=SITI.birth)
    sign_up(client, wrong, "siti@example.org")
    assert not Citizen.objects.exists()
    check = RegistryCheck.objects.get()
    assert check.fields["nik"] is True and check.fields["full_name"] is False
    wrong_name_message = mail.outbox[-1].body
    # Which field failed is never said: an unknown NIK gets the very same message.
    stranger = SimpleNamespace(nik="3524011203770009", name="Siti Aminah", birth=SITI.birth)
    client.cookies.clear()
    sign_up(client, stranger, "siti@example.org", confirm_birth_date="on")
    assert mail.outbox[-1].body == wrong_name_message
