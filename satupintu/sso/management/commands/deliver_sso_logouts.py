"""`satupintu deliver-sso-logouts`: retry the back-channel logouts apps did not accept when the
citizen signed out (run every minute). Each due delivery is tried once per run."""

from django.core.management.base import BaseCommand

from satupintu.sso import logout


class Command(BaseCommand):
    help = "Retry back-channel logout deliveries that are due."

    def add_arguments(self, parser):
        parser.add_argument(
            "--limit", type=int, default=500, help="at most this many deliveries per run"
        )

    def handle(self, **options):
        counts = logout.deliver(logout.due()[: options["limit"]])
        self.stdout.write(", ".join(f"{name}: {n}" for name, n in counts.items()))
