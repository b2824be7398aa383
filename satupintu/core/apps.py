"""Shared building blocks of the portal: base page class, validators, language handling."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "satupintu.core"
    label = "core"
    verbose_name = _("Inti portal")

    def ready(self):
        from . import cache

        cache.connect()
