from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from satupintu.home.setup import ensure_site
from satupintu.regency.loading import RegencyCodeError, init_regency


class Command(BaseCommand):
    help = (
        "Configure the kabupaten/kota this installation serves (e.g. 35.24) and load its regions."
    )

    def add_arguments(self, parser):
        parser.add_argument("code", help="Kemendagri code of the kabupaten/kota, e.g. 35.24")

    def handle(self, code, **options):
        try:
            report = init_regency(code)
        except RegencyCodeError as exc:
            raise CommandError(str(exc)) from exc
        ensure_site()
        self.stdout.write(
            _("%(name)s: %(districts)d kecamatan, %(villages)d desa/kelurahan "
              "(%(created)d baru, %(updated)d diperbarui, %(removed)d dihapus).")
            % report.__dict__
        )
