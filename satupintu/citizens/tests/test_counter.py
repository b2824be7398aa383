"""Counter confirmation by a Disdukcapil/MPP officer, in the admin."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.test import Client

from satupintu.citizens.models import Citizen, SecurityEvent

from .conftest import PEOPLE, STRANGER_NIK, last_code, sign_in

pytestmark = pytest.mark.django_db
URL = "/admin/identitas-warga/"


@pytest.fixture
def officer(db):
    group, _ = Group.objects.get_or_create(name="Petugas loket uji")
    group.permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="confirm_identity"),
    )
    user = get_user_model().objects.create(username="petugas", is_staff=False)
    user.groups.add(group)
    return user


def test_only_officers_reach_the_counter(client, portal, siti):
    for user in (portal.operator_a, portal.verifier_b):
        client.force_login(user)
        # Wagtail's admin answers a refused page with a redirect to the dashboard.
        assert client.get(URL).status_code in (302, 403)
        response = client.post(URL, {"nik": PEOPLE["siti"].nik, "lookup": "1"})
        assert response.status_code in (302, 403)
        assert "Siti" not in response.content.decode()
    assert not SecurityEvent.objects.filter(kind="staff_viewed").exists()


def counter_code_on_the_citizens_phone(citizen):
    phone = Client()
    assert sign_in(phone, PEOPLE["siti"].nik).status_code == 302
    page = phone.post("/akun/loket/").content.decode()
    return re.search(r"(\d{3}) (\d{3})", page).group(0).replace(" ", "")


def test_an_officer_confirms_in_person(client, officer, siti):
    code = counter_code_on_the_citizens_phone(siti)
    client.force_login(officer)
    assert client.get(URL).status_code == 200
    page = client.post(URL, {"nik": PEOPLE["siti"].nik, "lookup": "1"}).content.decode()
    assert "3524********0003" in page and "Siti Aminah" in page
    assert PEOPLE["siti"].nik not in page
    viewed = SecurityEvent.objects.get(kind="staff_viewed")
    assert viewed.actor == officer and viewed.user == siti.user
    response = client.post(
        URL, {"code": code, "checked": "on", "document": "ktp-el", "confirm": "1"}
    )
    assert response.status_code == 302
    siti.refresh_from_db()
    assert siti.identity_level == Citizen.IdentityLevel.IN_PERSON
    assert siti.identity_source == "counter:ktp-el"
    assert SecurityEvent.objects.get(kind="identity_confirmed").actor == officer


def test_unknown_nik_at_the_counter(client, officer, siti):
    client.force_login(officer)
    page = client.post(URL, {"nik": STRANGER_NIK, "lookup": "1"}).content.decode()
    assert "Tidak ada akun" in page
    event = SecurityEvent.objects.get(kind="staff_viewed")  # every lookup is logged
    assert event.actor == officer and event.user is None and event.subject_hash


def test_confirming_needs_the_check(client, officer, siti):
    code = counter_code_on_the_citizens_phone(siti)
    client.force_login(officer)
    client.post(URL, {"nik": PEOPLE["siti"].nik, "lookup": "1"})
    client.post(URL, {"code": code, "document": "ktp-el", "confirm": "1"})
    siti.refresh_from_db()
    assert siti.identity_level == Citizen.IdentityLevel.REGISTRY


def test_the_owner_at_the_counter_cannot_raise_somebody_elses_account(client, officer, siti):
    """The card proves the person; only the code from the account's own screen proves the
    account is theirs. Without it, nothing is raised."""
    client.force_login(officer)
    client.post(URL, {"nik": PEOPLE["siti"].nik, "lookup": "1"})
    page = client.post(
        URL, {"code": "123456", "checked": "on", "document": "ktp-el", "confirm": "1"}
    ).content.decode()
    assert "Kode loket salah" in page
    siti.refresh_from_db()
    assert siti.identity_level == Citizen.IdentityLevel.REGISTRY
    assert not SecurityEvent.objects.filter(kind="identity_confirmed").exists()


def test_the_officer_reclaims_an_account_for_the_nik_owner(client, officer, siti):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    squatter = Client()
    sign_in(squatter, PEOPLE["siti"].nik)  # whoever opened the account with leaked data
    TOTPDevice.objects.create(user=siti.user, name="app", confirmed=True)
    client.force_login(officer)
    client.post(URL, {"nik": PEOPLE["siti"].nik, "lookup": "1"})
    response = client.post(
        URL,
        {
            "email": "pemilik.asli@example.org",
            "phone": "",
            "checked": "on",
            "document": "ikd",
            "reclaim": "1",
        },
    )
    assert response.status_code == 200
    code = last_code("pemilik.asli@example.org")
    response = client.post(URL, {"r-code": code, "reclaim_code": "1"})
    assert response.status_code == 302
    siti.refresh_from_db()
    siti.user.refresh_from_db()
    assert siti.identity_level == Citizen.IdentityLevel.IN_PERSON
    assert siti.confirmed_email == "pemilik.asli@example.org" and siti.two_step == ""
    assert not siti.user.has_usable_password() and not TOTPDevice.objects.exists()
    assert squatter.get("/akun/").status_code == 302  # signed out
    assert any(m.to == ["siti@example.org"] for m in mail.outbox)  # the old contact is told
    event = SecurityEvent.objects.get(kind="reclaimed")
    assert event.actor == officer and event.user == siti.user
    # The owner now sets a password through the reset, on the contact proven at the counter.
    owner = Client()
    owner.post("/akun/lupa-sandi/", {"nik": PEOPLE["siti"].nik})
    new = "sawah milik pemilik asli"
    owner.post(
        "/akun/lupa-sandi/kode/",
        {"code": last_code("pemilik.asli@example.org"), "password1": new, "password2": new},
    )
    assert sign_in(owner, PEOPLE["siti"].nik, new).status_code == 302
