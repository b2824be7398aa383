"""`satupintu fold-app-usage`: move the cached launch/sign-in counters into AppUsageDay.

Run it every few minutes (cron or a systemd timer); see satupintu/appcatalog/usage.py.
"""

from django.core.management.base import BaseCommand

from satupintu.appcatalog.usage import fold


class Command(BaseCommand):
    help = "Pindahkan hitungan pemakaian aplikasi dari cache ke basis data."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days", type=int, default=2, help="Berapa hari ke belakang diperiksa (bawaan 2)."
        )

    def handle(self, days, **options):
        rows = fold(days)
        if options["verbosity"] > 1:
            self.stdout.write(f"{rows} baris pemakaian diperbarui.")
