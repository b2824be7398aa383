"""Counter confirmation by a Disdukcapil/MPP officer, in the admin."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission

from satupintu.citizens.models import Citizen, SecurityEvent

from .conftest import PEOPLE, STRANGER_NIK

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


def test_an_officer_confirms_in_person(client, officer, siti):
    client.force_login(officer)
    assert client.get(URL).status_code == 200
    page = client.post(URL, {"nik": PEOPLE["siti"].nik, "lookup": "1"}).content.decode()
    assert "3524********0003" in page and "Siti Aminah" in page
    assert PEOPLE["siti"].nik not in page
    viewed = SecurityEvent.objects.get(kind="staff_viewed")
    assert viewed.actor == officer and viewed.user == siti.user
    response = client.post(URL, {"checked": "on", "document": "ktp-el", "confirm": "1"})
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
    client.force_login(officer)
    client.post(URL, {"nik": PEOPLE["siti"].nik, "lookup": "1"})
    client.post(URL, {"document": "ktp-el", "confirm": "1"})
    siti.refresh_from_db()
    assert siti.identity_level == Citizen.IdentityLevel.REGISTRY
