"""Public information documents by UU 14/2008 category."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PpidConfig(AppConfig):
    name = "satupintu.ppid"
    label = "ppid"
    verbose_name = _("Dokumen PPID")
