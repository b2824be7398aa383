"""`satupintu import-registry FILE.csv [--report report.txt]`: load a SIAK extract.

The console output and the report carry line numbers and reasons only, never a NIK or a name:
both end up in terminals, tickets and e-mails.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from satupintu.registry.importer import RegistryFileError, import_registry

SHOWN_ERRORS = 50


class Command(BaseCommand):
    help = (
        "Import a SIAK extract (CSV) into the local verification table. All or nothing: one "
        "bad row and the active extract stays as it is."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--report", type=Path, help="Write every error (line, column, reason) to this file."
        )
        parser.add_argument("--user", default="", help="Name recorded as the importer.")

    def handle(self, file, report, user, **options):
        if not file.is_file():
            raise CommandError(_("Berkas %(path)s tidak ditemukan.") % {"path": file})
        report_file = open(report, "w", encoding="utf-8") if report else None  # noqa: SIM115
        try:
            result = import_registry(file, imported_by=user, report=report_file)
        except RegistryFileError as exc:
            raise CommandError(exc.message) from exc
        finally:
            if report_file is not None:
                report_file.close()
        self.stdout.write(
            _(
                "%(rows)d baris data dibaca, %(errors)d kesalahan, %(seconds).1f detik "
                "(%(rate)d baris/detik)."
            )
            % {
                "rows": result.rows,
                "errors": result.error_count,
                "seconds": result.seconds,
                "rate": result.rows_per_second,
            }
        )
        if result.missing_optional:
            self.stdout.write(
                _(
                    "Kolom tidak ada (kolom itu tidak dapat diverifikasi): %(columns)s"
                )
                % {"columns": ", ".join(result.missing_optional)}
            )
        for error in result.errors[:SHOWN_ERRORS]:
            self.stdout.write(f"  {error}")
        if result.error_count > SHOWN_ERRORS:
            self.stdout.write(
                _("  ... dan %(count)d kesalahan lain.")
                % {"count": result.error_count - SHOWN_ERRORS}
            )
        if report:
            self.stdout.write(
                _("Daftar lengkap kesalahan: %(path)s") % {"path": report}
            )
        if not result.ok:
            raise CommandError(
                _(
                    "Impor gagal: tidak ada yang diaktifkan; ekstrak yang aktif tetap dipakai. "
                    "Perbaiki baris di atas lalu impor lagi."
                )
            )
        self.stdout.write(
            self.style.SUCCESS(
                _("Ekstrak #%(id)d aktif: %(rows)d penduduk.")
                % {"id": result.extract.pk, "rows": result.rows}
            )
        )
