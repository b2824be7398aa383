from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from satupintu.regency.loading import BpsImportError, import_bps_codes


class Command(BaseCommand):
    help = "Attach BPS codes to regions from a CSV: kode_kemendagri,kode_bps[,sumber]."

    def add_arguments(self, parser):
        parser.add_argument("csv_file", type=Path)
        parser.add_argument(
            "--source", default="",
            help="Where the table comes from, with its date (else the CSV's sumber column).",
        )

    def handle(self, csv_file, source, **options):
        if not csv_file.is_file():
            raise CommandError(_("Berkas %(path)s tidak ditemukan.") % {"path": csv_file})
        try:
            count = import_bps_codes(csv_file, source)
        except BpsImportError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(_("%(count)d kode BPS dimuat.") % {"count": count})
