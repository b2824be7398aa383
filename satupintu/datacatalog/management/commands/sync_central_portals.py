"""`satupintu sync-central-portals`: push published datasets to the central CKAN portals
(see satupintu/datacatalog/sync.py).

Run it every few minutes from cron or a systemd timer. A run with nothing owed makes no
call. Runs may overlap: a portal another run is working on is skipped. Failures are
retried with backoff by later runs, so the command exits 0 and says what happened;
Kominfo reads the details in the admin's sync log.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from satupintu.datacatalog import sync
from satupintu.datacatalog.models import CentralPortal


class Command(BaseCommand):
    help = "Kirim dataset yang terbit ke portal CKAN pusat (Satu Data Indonesia, provinsi)."

    def add_arguments(self, parser):
        parser.add_argument("--portal", help="Hanya portal dengan nama ini.")
        parser.add_argument("--dataset", help="Hanya dataset dengan nama singkat ini.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Tampilkan yang akan dikirim atau dihapus tanpa menghubungi portal.",
        )
        parser.add_argument(
            "--max-seconds",
            type=int,
            default=240,
            help="Jangan memulai dataset baru setelah sekian detik (bawaan 240).",
        )

    def handle(self, portal, dataset, dry_run, max_seconds, **options):
        if portal and not CentralPortal.objects.filter(name=portal).exists():
            raise CommandError(_("Tidak ada portal pusat bernama %(name)s.") % {"name": portal})
        results = sync.sync_all(
            portal_name=portal,
            dataset_name=dataset,
            dry_run=dry_run,
            time_budget=max_seconds if max_seconds > 0 else None,
        )
        if not results:
            self.stdout.write(_("Tidak ada portal pusat yang aktif."))
            return
        for result in results:
            name = result.portal.name
            if dry_run:
                self.stdout.write(
                    _("%(portal)s: %(n)s dataset akan diproses (uji coba, tidak ada yang dikirim).")
                    % {"portal": name, "n": len(result.planned)}
                )
                for action, dataset_name in result.planned:
                    self.stdout.write(f"  - {action}: {dataset_name}")
                continue
            self.stdout.write(
                _(
                    "%(portal)s: %(created)s dibuat, %(updated)s diperbarui, "
                    "%(deleted)s dihapus, %(failed)s gagal, %(left)s ditunda."
                )
                % {
                    "portal": name,
                    "created": result.created,
                    "updated": result.updated,
                    "deleted": result.deleted,
                    "failed": result.failed,
                    "left": result.left,
                }
            )
            if result.stopped:
                self.stdout.write("  " + result.stopped)
