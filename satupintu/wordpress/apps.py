"""Bringing an OPD's old WordPress site into its Satu Pintu section."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WordpressConfig(AppConfig):
    name = "satupintu.wordpress"
    label = "wordpress"
    verbose_name = _("Impor WordPress")
