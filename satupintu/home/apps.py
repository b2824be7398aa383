"""The regency home page, the OPD-independent pages and the public page chrome."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    name = "satupintu.home"
    label = "home"
    verbose_name = _("Beranda")
