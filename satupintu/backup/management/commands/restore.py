"""`satupintu restore ARCHIVE --identity FILE [--yes]`: put a backup back, all or nothing.

`--identity -` reads the identity from standard input, so a key kept root-only can serve a
restore that runs as the site's user:
    sudo -E -u satupintu .venv/bin/satupintu restore ARCHIVE --identity - < /root/identity.txt
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from satupintu.backup.archive import restore_backup
from satupintu.backup.errors import BackupError
from satupintu.backup.keys import read_identities


class Command(BaseCommand):
    stealth_options = ("stdin",)  # call_command(..., stdin=stream) in tests
    help = (
        "Restore an archive of `satupintu backup` (database, uploads, private files); every "
        "check passes before anything is replaced."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument(
            "--identity",
            required=True,
            help="age identity file (private key); - reads it from standard input",
        )
        parser.add_argument(
            "--yes", action="store_true", help="overwrite an installation that is not empty"
        )

    def handle(self, archive, identity, yes, **options):
        try:
            identities = read_identities(identity, stdin=options.get("stdin"))
            result = restore_backup(archive, identities, assume_yes=yes, progress=self.stdout.write)
        except BackupError as error:
            raise CommandError(str(error)) from None
        manifest = result.manifest
        self.stdout.write(
            _(
                "Dipulihkan: cadangan %(created)s (Satu Pintu %(version)s, %(vendor)s %(server)s, "
                "kode wilayah %(code)s)."
            )
            % {
                "created": manifest["created_at"],
                "version": manifest["satupintu_version"],
                "vendor": manifest["database"]["vendor"],
                "server": manifest["database"]["server_version"],
                "code": manifest["regency_code"],
            }
        )
        for name, count in result.files.items():
            self.stdout.write(
                _("  %(storage)s: %(count)d berkas") % {"storage": name, "count": count}
            )
        if result.secrets:
            self.stdout.write(
                _("  kunci mode tertanam: %(names)s (mulai ulang situs agar terbaca)")
                % {"names": ", ".join(result.secrets)}
            )
        if result.migrated:
            self.stdout.write(_("  migrate dijalankan (arsip dari versi lebih lama)"))
        self.stdout.write(_("Selesai dalam %(seconds).1f detik.") % {"seconds": result.seconds})
