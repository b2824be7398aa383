"""Wagtail's Users admin is for staff: citizens are not listed, searched, opened, edited,
deleted or bulk-changed there, even by Kominfo's user administrators."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from satupintu.citizens.testing import PEOPLE, make_citizen

pytestmark = pytest.mark.django_db


@pytest.fixture
def siti(portal):
    return make_citizen(PEOPLE["siti"], email="siti.rahasia@example.org")


def test_users_listing_and_search_leave_citizens_out(portal, siti, client_for):
    client = client_for(portal.kominfo)
    listing = client.get(reverse("wagtailusers_users:index")).content.decode()
    assert "operator_a" in listing
    assert siti.user.username not in listing and "siti.rahasia" not in listing
    edit = reverse("wagtailusers_users:edit", args=[siti.user.pk])
    assert edit not in listing
    for query in (siti.user.username, "siti.rahasia", siti.full_name.split()[0]):
        found = client.get(reverse("wagtailusers_users:index"), {"q": query}).content.decode()
        assert edit not in found  # (the query itself is echoed in the search box)


def test_a_citizen_cannot_be_opened_or_changed_by_url(portal, siti, client_for):
    client = client_for(portal.kominfo)
    pk = siti.user.pk
    for name in ("edit", "delete", "history"):
        url = reverse(f"wagtailusers_users:{name}", args=[pk])
        assert client.get(url).status_code == 404, name
        assert client.post(url, {"is_superuser": "on", "username": "x"}).status_code == 404
    siti.user.refresh_from_db()
    assert not siti.user.is_superuser and siti.user.is_active
    # Staff users still open as before.
    edit = reverse("wagtailusers_users:edit", args=[portal.operator_a.pk])
    assert client.get(edit).status_code == 200


@pytest.mark.parametrize(
    "action,data",
    [
        ("delete", {}),
        ("set_active_state", {"mark_as_active": ""}),
        ("assign_role", {"role": "add", "group": None}),
    ],
)
def test_bulk_actions_never_reach_citizens(portal, siti, client_for, action, data):
    client = client_for(portal.kominfo)
    if action == "assign_role":
        data["group"] = Group.objects.get(name__endswith="· Operator", name__contains="dinkes").pk
    url = reverse("wagtail_bulk_action", args=["auth", "user", action])
    # Selecting the citizen alone: nothing to act on.
    assert client.get(url, {"id": siti.user.pk}).status_code == 404
    assert client.post(f"{url}?id={siti.user.pk}", data).status_code == 404
    # "Select all": staff only, the citizen untouched.
    page = client.get(url, {"id": "all"}).content.decode()
    assert siti.user.username not in page
    client.post(f"{url}?id=all", data)
    siti.user.refresh_from_db()
    assert siti.user.is_active
    assert not siti.user.groups.exists()
