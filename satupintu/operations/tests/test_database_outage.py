"""While the database restarts, visitors get a 503 that says "come back", not a 500."""

from unittest import mock

import pytest
from django.db import OperationalError
from django.test import Client


@pytest.mark.django_db
def test_a_database_outage_is_a_503_with_retry_after(portal):
    client = Client(raise_request_exception=False)
    with mock.patch(
        "satupintu.search.views.run_search",
        side_effect=OperationalError("the database system is shutting down"),
    ):
        response = client.get("/cari/", {"q": "ktp"})
    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    assert "coba lagi" in response.content.decode()


@pytest.mark.django_db
def test_any_other_crash_stays_a_500(portal):
    client = Client(raise_request_exception=False)
    with mock.patch("satupintu.search.views.run_search", side_effect=ValueError("bug")):
        response = client.get("/cari/", {"q": "ktp"})
    assert response.status_code == 500
    assert "Retry-After" not in response
