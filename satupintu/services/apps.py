"""Public services described by the components of the standar pelayanan."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServicesConfig(AppConfig):
    name = "satupintu.services"
    label = "services"
    verbose_name = _("Layanan publik")
