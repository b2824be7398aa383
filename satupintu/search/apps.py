"""One search for everything the regency publishes."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "satupintu.search"
    label = "search"
    verbose_name = _("Pencarian")

    def ready(self):
        from . import signals

        signals.connect()
