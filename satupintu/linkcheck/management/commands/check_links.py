"""`satupintu check-links [--opd slug]`: broken internal links and missing images."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from satupintu.linkcheck.checks import LinkChecker
from satupintu.opd.models import OPD


class Command(BaseCommand):
    help = "List broken internal links and missing images across sections (or one OPD)."

    def add_arguments(self, parser):
        parser.add_argument("--opd", help="Only this OPD's section (slug).")

    def handle(self, opd=None, **options):
        scope = None
        if opd:
            scope = OPD.objects.filter(slug=opd, home_page__isnull=False).first()
            if scope is None:
                raise CommandError(_('OPD "%(slug)s" tidak ditemukan.') % {"slug": opd})
        problems = LinkChecker(scope).run()
        for problem in problems:
            self.stdout.write(
                f"{problem.opd or '-'}\t{problem.page_url}\t{problem.kind}\t{problem.target}"
            )
        self.stdout.write(_("%(count)d masalah ditemukan.") % {"count": len(problems)})
