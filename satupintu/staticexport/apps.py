"""A static, read-only copy of the public site for when the main system is down
(`satupintu export-static`)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StaticExportConfig(AppConfig):
    name = "satupintu.staticexport"
    label = "staticexport"
    verbose_name = _("Salinan statis")
