"""`satupintu import-wordpress <opd-slug> <export.xml>`: bring an OPD's old site in."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from satupintu.opd.models import OPD
from satupintu.wordpress.importer import import_wordpress
from satupintu.wordpress.wxr import WxrError


class Command(BaseCommand):
    help = "Import a WordPress export (WXR) into an OPD's section; safe to run again."

    def add_arguments(self, parser):
        parser.add_argument("opd_slug")
        parser.add_argument("export", type=Path)
        parser.add_argument(
            "--uploads",
            type=Path,
            help="Local copy of the old site's wp-content/uploads folder (nothing is downloaded).",
        )
        parser.add_argument(
            "--publish",
            action="store_true",
            help="Publish directly instead of sending each page to the OPD's review workflow.",
        )
        parser.add_argument(
            "--user", help="Account recorded as the importer (e.g. a Kominfo admin)."
        )

    def handle(self, opd_slug, export, uploads, publish, user, **options):
        opd = OPD.objects.filter(slug=opd_slug).select_related("home_page").first()
        if opd is None or not opd.is_provisioned:
            raise CommandError(
                _('OPD "%(slug)s" tidak ada atau belum diprovisikan.') % {"slug": opd_slug}
            )
        if uploads is not None and not uploads.is_dir():
            raise CommandError(_("Folder unggahan %(path)s tidak ditemukan.") % {"path": uploads})
        account = None
        if user:
            account = get_user_model().objects.filter(username=user).first()
            if account is None:
                raise CommandError(_("Akun %(user)s tidak ditemukan.") % {"user": user})
        try:
            report = import_wordpress(
                opd, export, uploads_dir=uploads, publish=publish, user=account
            )
        except WxrError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            _(
                "Dibuat %(created)d, diperbarui %(updated)d, tidak berubah %(unchanged)d, "
                "dilewati %(skipped)d."
            )
            % {
                "created": len(report.created),
                "updated": len(report.updated),
                "unchanged": report.unchanged,
                "skipped": len(report.skipped),
            }
        )
        for what, why in report.skipped:
            self.stdout.write(f"  - {what}: {why}")
        for name, count in report.unknown_shortcodes.most_common():
            self.stdout.write(
                _("  shortcode [%(name)s] dihapus %(count)d kali") % {"name": name, "count": count}
            )
        if report.missing_images:
            self.stdout.write(
                _(
                    "  %(count)d gambar di isi tulisan tidak ditemukan di antara lampiran "
                    "yang diimpor."
                )
                % {"count": len(report.missing_images)}
            )
