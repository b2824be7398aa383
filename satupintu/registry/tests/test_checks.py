"""Stored verdicts: booleans only, and a registry that repeats a transaction id breaks nothing."""

import pytest
from django.utils import timezone

from satupintu.registry.base import Verdict
from satupintu.registry.models import RegistryCheck

pytestmark = pytest.mark.django_db


def test_a_repeated_transaction_id_is_recorded_twice():
    verdict = Verdict(
        backend="dukcapil",
        transaction_id="TRX-1",
        checked_at=timezone.now(),
        fields={"nik": True, "full_name": False, "birth_date": True},
        resident=None,
    )
    RegistryCheck.record(verdict)
    RegistryCheck.record(verdict)
    rows = RegistryCheck.objects.filter(transaction_id="TRX-1")
    assert rows.count() == 2
    assert all(not row.matched and row.fields["full_name"] is False for row in rows)
