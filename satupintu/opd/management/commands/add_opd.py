"""`satupintu add-opd`: register an OPD and provision it; run again to repair or update it."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from satupintu.opd.models import OPD
from satupintu.opd.provisioning import provision_opd

FIELDS = [
    "name",
    "acronym",
    "type",
    "head_name",
    "head_title",
    "address",
    "phone",
    "email",
    "opening_hours",
]


class Command(BaseCommand):
    help = "Register (or update) an OPD and create its section, collection, groups and workflow."

    def add_arguments(self, parser):
        parser.add_argument("--slug", required=True, help="Section address: /<slug>/")
        parser.add_argument("--name", help='Official name, e.g. "Dinas Kesehatan"')
        parser.add_argument("--acronym", help="e.g. Dinkes")
        parser.add_argument("--type", choices=OPD.Type.values)
        parser.add_argument("--head-name", dest="head_name")
        parser.add_argument("--head-title", dest="head_title")
        parser.add_argument("--address")
        parser.add_argument("--phone")
        parser.add_argument("--email")
        parser.add_argument("--opening-hours", dest="opening_hours")
        parser.add_argument("--needs-verification", action="store_true", dest="needs_verification")

    def handle(self, slug, **options):
        opd = OPD.objects.filter(slug=slug).first()
        new = opd is None
        if new:
            missing = [f"--{f}" for f in ("name", "acronym", "type") if not options.get(f)]
            if missing:
                raise CommandError(
                    _("OPD baru memerlukan %(args)s.") % {"args": ", ".join(missing)}
                )
            opd = OPD(slug=slug)
        for field in FIELDS:
            if options.get(field) is not None:
                setattr(opd, field, options[field])
        if options["needs_verification"]:
            opd.needs_verification = True
        try:
            with transaction.atomic():
                opd.full_clean()
                opd.save()
                report = provision_opd(opd)
        except ValidationError as exc:
            lines = [f"{field}: {' '.join(msgs)}" for field, msgs in exc.message_dict.items()]
            raise CommandError(_("Data OPD tidak sah:\n") + "\n".join(lines)) from exc
        if new:
            self.stdout.write(_("OPD %(name)s dibuat.") % {"name": opd.name})
        else:
            self.stdout.write(_("OPD %(name)s diperiksa ulang.") % {"name": opd.name})
        if report.created:
            self.stdout.write(
                _("Disiapkan: %(items)s.") % {"items": ", ".join(map(str, report.created))}
            )
        else:
            self.stdout.write(_("Semua sudah lengkap; tidak ada yang diubah."))
        self.stdout.write(
            _("Bagian publik: /%(slug)s/  Grup: %(op)s, %(ver)s")
            % {
                "slug": opd.slug,
                "op": opd.operator_group.name,
                "ver": opd.verifier_group.name,
            }
        )
