"""`satupintu check-deploy`: every unsafe setting of this installation, with what to do."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from satupintu.operations import deploy_checks

MARKS = {deploy_checks.ERROR: "GAGAL", deploy_checks.WARNING: "AWAS ", deploy_checks.OK: "OK   "}


class Command(BaseCommand):
    help = "Report every unsafe or missing production setting (exit status 1 on any error)."
    requires_system_checks = []  # we run them ourselves, deployment checks included

    def add_arguments(self, parser):
        parser.add_argument("--quiet", action="store_true", help="Print only problems.")

    def handle(self, quiet, **options):
        findings = deploy_checks.run()
        for finding in findings:
            if quiet and finding.level == deploy_checks.OK:
                continue
            style = {
                deploy_checks.ERROR: self.style.ERROR,
                deploy_checks.WARNING: self.style.WARNING,
            }.get(finding.level, self.style.SUCCESS)
            self.stdout.write(style(f"[{MARKS[finding.level]}] {finding.topic}: {finding.message}"))
        errors = sum(f.level == deploy_checks.ERROR for f in findings)
        warnings = sum(f.level == deploy_checks.WARNING for f in findings)
        summary = _("%(errors)d masalah, %(warnings)d peringatan.") % {
            "errors": errors,
            "warnings": warnings,
        }
        if errors:
            raise CommandError(summary)
        self.stdout.write(summary)
