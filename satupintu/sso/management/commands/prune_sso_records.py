"""`satupintu prune-sso-records`: drop what single sign-on no longer needs (run daily).

* expired access, refresh and ID tokens and grants (django-oauth-toolkit's `clear_expired`);
* the record of each issued code, one day after its token family's absolute lifetime ended
  (it is kept that long to revoke a family on code replay and to address back-channel logout);
* back-channel logout deliveries a month after they were delivered or given up;
* the release log (which claims went to which app, when) after two years, the same period as
  the security log. The consent ledger itself stays while the account exists: it is the
  citizen's record of what they allowed.
"""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db.models import Q
from django.utils import timezone
from oauth2_provider.models import clear_expired

from satupintu.sso.models import IssuedCode, LogoutDelivery, Release

RELEASE_RETENTION = datetime.timedelta(days=730)
DELIVERY_RETENTION = datetime.timedelta(days=30)


def prune(now=None) -> dict[str, int]:
    now = now or timezone.now()
    clear_expired()
    family_end = datetime.timedelta(seconds=settings.SATUPINTU_OIDC_REFRESH_ABSOLUTE_SECONDS)
    return {
        "codes": IssuedCode.objects.filter(
            created_at__lt=now - family_end - datetime.timedelta(days=1)
        ).delete()[0],
        "logout_deliveries": LogoutDelivery.objects.filter(
            Q(delivered_at__lt=now - DELIVERY_RETENTION)
            | Q(gave_up_at__lt=now - DELIVERY_RETENTION)
        ).delete()[0],
        "releases": Release.objects.filter(at__lt=now - RELEASE_RETENTION).delete()[0],
    }


class Command(BaseCommand):
    help = "Delete expired tokens, old issued-code records and old release-log entries."

    def handle(self, **options):
        counts = prune()
        self.stdout.write(", ".join(f"{name}: {n}" for name, n in counts.items()))
