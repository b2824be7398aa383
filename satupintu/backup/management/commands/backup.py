"""`satupintu backup --to DIR [--keep N]`: one encrypted archive of the whole installation."""

import os

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from satupintu.backup.archive import create_backup
from satupintu.backup.errors import BackupError


def _size(n: int) -> str:
    for unit in ("B", "KiB", "MiB", "GiB"):
        if n < 1024 or unit == "GiB":
            return f"{n:.1f} {unit}" if unit != "B" else f"{n} B"
        n /= 1024
    return str(n)


class Command(BaseCommand):
    help = (
        "Write one encrypted backup (database, uploads, private files) to DIR and keep the "
        "newest N of this regency."
    )

    def add_arguments(self, parser):
        parser.add_argument("--to", required=True, help="folder for the archives")
        parser.add_argument(
            "--keep",
            type=int,
            default=None,
            help="archives of this regency to keep (default SATUPINTU_BACKUP_KEEP or 14)",
        )

    def handle(self, to, keep, **options):
        if keep is None:
            try:
                keep = int(os.environ.get("SATUPINTU_BACKUP_KEEP", "14"))
            except ValueError:
                raise CommandError(_("SATUPINTU_BACKUP_KEEP harus bilangan bulat.")) from None
        try:
            result = create_backup(to, keep)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            _("Cadangan ditulis: %(path)s (%(size)s, sha256 %(sha)s)")
            % {"path": result.path, "size": _size(result.size), "sha": result.sha256[:16]}
        )
        self.stdout.write(
            _("  basis data %(db)s, %(files)d berkas (%(bytes)s), %(seconds).1f detik")
            % {
                "db": _size(result.database_bytes),
                "files": result.files,
                "bytes": _size(result.file_bytes),
                "seconds": result.seconds,
            }
        )
        for path in result.pruned:
            self.stdout.write(
                _("  dihapus (lebih dari %(keep)d generasi): %(name)s")
                % {"keep": keep, "name": path.name}
            )
