"""The Lamongan demo: `satupintu demo`."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    name = "satupintu.demo"
    label = "demo"
    verbose_name = _("Demo")
