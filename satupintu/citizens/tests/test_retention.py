"""Identity records go away when their retention period ends, and not before."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from satupintu.citizens.management.commands.prune_identity_records import RETENTION, prune
from satupintu.citizens.models import AccountSession, KnownDevice, OneTimeCode, SecurityEvent
from satupintu.registry.models import RegistryCheck

from .conftest import PEOPLE, make_citizen

pytestmark = pytest.mark.django_db


def _ago(days):
    return timezone.now() - datetime.timedelta(days=days)


def test_prune_keeps_what_is_young_and_drops_what_is_old(registry):
    user = make_citizen(PEOPLE["siti"]).user
    for age in (1, RETENTION["unclaimed_checks"].days + 1):
        RegistryCheck.objects.create(
            transaction_id=f"t{age}", backend="local", checked_at=_ago(age), matched=False
        )
    RegistryCheck.objects.create(
        transaction_id="mine", backend="local", checked_at=_ago(400), matched=True, user=user
    )
    OneTimeCode.objects.create(
        purpose="signup", channel="email", target_hash="x", code_hash="y", expires_at=_ago(2)
    )
    AccountSession.objects.create(user=user, ended_at=_ago(100), end_reason="signout")
    AccountSession.objects.create(user=user)
    KnownDevice.objects.create(user=user, token_hash="old", last_used_at=_ago(400))
    SecurityEvent.objects.create(kind="signin_failed", at=_ago(400))
    SecurityEvent.objects.create(kind="signin", user=user, at=_ago(400))
    SecurityEvent.objects.create(kind="signin", user=user, at=_ago(800))

    counts = prune()

    assert counts == {"verdicts": 1, "codes": 1, "sessions": 1, "devices": 1, "events": 2}
    assert set(RegistryCheck.objects.values_list("transaction_id", flat=True)) == {"t1", "mine"}
    assert AccountSession.objects.filter(ended_at__isnull=True).count() == 1
    assert SecurityEvent.objects.filter(user=user).count() == 1


def test_the_command_reports(capsys, db):
    call_command("prune_identity_records")
    assert "verdicts: 0" in capsys.readouterr().out
