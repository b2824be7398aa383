"""`satupintu prune-identity-records`: delete identity records past their retention period.

Run daily (cron or a systemd timer). The periods are the ones the privacy notice states:

* verification verdicts that created no account: 30 days (kept that long to answer a citizen
  who asks why sign-up failed, and to spot abuse);
* one-time codes: 1 day after they expired or were used;
* ended sessions: 90 days (the citizen's "where you signed in" history);
* remembered devices unused for a year;
* the security log: 1 year for events of deleted accounts or without an account, 2 years
  otherwise (UU 27/2022 asks for proportionate retention; a year covers the breach-notification
  and audit questions that arrive late).
"""

import datetime

from django.core.management.base import BaseCommand
from django.db.models import Q
from django.utils import timezone

from satupintu.citizens.models import AccountSession, KnownDevice, OneTimeCode, SecurityEvent
from satupintu.registry.models import RegistryCheck

RETENTION = {
    "unclaimed_checks": datetime.timedelta(days=30),
    "codes": datetime.timedelta(days=1),
    "sessions": datetime.timedelta(days=90),
    "devices": datetime.timedelta(days=365),
    "anonymous_events": datetime.timedelta(days=365),
    "events": datetime.timedelta(days=730),
}


def prune(now=None) -> dict[str, int]:
    now = now or timezone.now()
    counts = {}
    counts["verdicts"] = RegistryCheck.objects.filter(
        user__isnull=True, checked_at__lt=now - RETENTION["unclaimed_checks"]
    ).delete()[0]
    counts["codes"] = OneTimeCode.objects.filter(
        Q(expires_at__lt=now - RETENTION["codes"]) | Q(used_at__lt=now - RETENTION["codes"])
    ).delete()[0]
    counts["sessions"] = AccountSession.objects.filter(
        ended_at__lt=now - RETENTION["sessions"]
    ).delete()[0]
    counts["devices"] = KnownDevice.objects.filter(
        last_used_at__lt=now - RETENTION["devices"]
    ).delete()[0]
    counts["events"] = SecurityEvent.objects.filter(
        Q(user__isnull=True, at__lt=now - RETENTION["anonymous_events"])
        | Q(at__lt=now - RETENTION["events"])
    ).delete()[0]
    return counts


class Command(BaseCommand):
    help = "Delete verdicts, codes, sessions, devices and security events past retention."

    def handle(self, **options):
        counts = prune()
        self.stdout.write(", ".join(f"{name}: {n}" for name, n in counts.items()))
