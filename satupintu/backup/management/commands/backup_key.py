"""`satupintu backup-key [--out FILE]`: a new age key pair for the backups.

Run it on an administrator's machine, not on the server: the server needs only the public key
(SATUPINTU_BACKUP_RECIPIENTS); the private key opens every backup and belongs off the server.
"""

import os
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from pyrage import x25519

from satupintu.backup.keys import identity_file_text


class Command(BaseCommand):
    help = "Generate an age key pair for backups: print the public key, keep the private one safe."

    def add_arguments(self, parser):
        parser.add_argument(
            "--out", help="write the private key to this new file (mode 0600) instead of printing"
        )

    def handle(self, out, **options):
        identity = x25519.Identity.generate()
        text = identity_file_text(identity)
        if out:
            path = Path(out).expanduser().resolve()
            for forbidden in (Path(settings.DATA_DIR).resolve(), Path(settings.BASE_DIR).resolve()):
                if path == forbidden or forbidden in path.parents:
                    raise CommandError(
                        _(
                            "Kunci privat tidak boleh disimpan di %(place)s: siapa pun yang "
                            "mencuri server akan bisa membaca semua cadangan."
                        )
                        % {"place": forbidden}
                    )
            try:
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:
                raise CommandError(_("Berkas %(path)s sudah ada.") % {"path": path}) from None
            with os.fdopen(fd, "w") as handle:
                handle.write(text)
            self.stdout.write(_("Kunci privat ditulis ke %(path)s (mode 0600).") % {"path": path})
        else:
            self.stdout.write(text, ending="")
        self.stdout.write(
            _(
                "\nKunci publik (untuk SATUPINTU_BACKUP_RECIPIENTS di server):\n  %(key)s\n\n"
                "Simpan kunci privat (baris AGE-SECRET-KEY-...) JAUH dari server: cetak dan segel, "
                "atau simpan di pengelola kata sandi, dipegang dua orang. Tanpa kunci itu cadangan "
                "tidak bisa dibuka; dengan kunci itu siapa pun bisa membukanya."
            )
            % {"key": identity.to_public()}
        )
