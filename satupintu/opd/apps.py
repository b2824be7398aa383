"""The registry of OPD and their provisioning: section, collection, groups, workflow."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpdConfig(AppConfig):
    name = "satupintu.opd"
    label = "opd"
    verbose_name = _("Perangkat daerah")

    def ready(self):
        from . import signals

        signals.connect()
