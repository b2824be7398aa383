"""Finding broken internal links and missing images after a migration."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LinkcheckConfig(AppConfig):
    name = "satupintu.linkcheck"
    label = "linkcheck"
    verbose_name = _("Pemeriksaan tautan")
