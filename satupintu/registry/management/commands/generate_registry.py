"""`satupintu generate-registry OUT.csv --rows N [--seed S] [--regency 35.24]`.

A made-up SIAK extract for demos and benchmarks (see satupintu.registry.synthetic): nobody in
it exists. The demo people are listed so a demo can sign up as one of them.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError
from django.utils.translation import gettext as _

from satupintu.registry import synthetic


class Command(BaseCommand):
    help = "Write a synthetic SIAK extract (CSV) of a made-up population."

    def add_arguments(self, parser):
        parser.add_argument("out", type=Path)
        parser.add_argument("--rows", type=int, required=True)
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument(
            "--regency",
            default="",
            help="Kemendagri regency/city code (default: this portal's regency, else 35.24).",
        )

    def handle(self, out, rows, seed, regency, **options):
        if rows < 1:
            raise CommandError(_("--rows harus paling sedikit 1."))
        regency = regency or _configured_regency() or "35.24"
        try:
            written = synthetic.write_csv(out, regency, rows, seed)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            _("%(rows)d baris sintetis (wilayah %(regency)s) ditulis ke %(path)s.")
            % {"rows": written, "regency": regency, "path": out}
        )
        self.stdout.write(_("Penduduk demo (data rekaan):"))
        for person in synthetic.demo_people(regency)[:written]:
            self.stdout.write(
                f"  {person['NIK']}  {person['NAMA_LGKP']:<20} {person['TGL_LHR']}  "
                f"{person['TMPT_LHR']:<10} {_('ibu')}: {person['NAMA_LGKP_IBU']}"
            )


def _configured_regency() -> str:
    from satupintu.regency.models import RegencySettings

    try:  # read only: RegencySettings.load() would create an empty settings row
        return (
            RegencySettings.objects.values_list("kemendagri_code", flat=True).first() or ""
        )
    except DatabaseError:  # no database yet: the caller falls back to the default
        return ""
