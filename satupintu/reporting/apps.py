from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "satupintu.reporting"
    label = "reporting"
    verbose_name = _("Pelaporan OPD")

    def ready(self):
        from django.db.models.signals import post_migrate, post_save

        from satupintu.opd.models import OPD

        from . import permissions

        post_migrate.connect(permissions.grant_kominfo, dispatch_uid="reporting-grant")
        post_save.connect(permissions.on_opd_saved, sender=OPD, dispatch_uid="reporting-grant-opd")
