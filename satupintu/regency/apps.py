"""The regency (or city) this installation serves, and its region reference data."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegencyConfig(AppConfig):
    name = "satupintu.regency"
    label = "regency"
    verbose_name = _("Konfigurasi daerah")
