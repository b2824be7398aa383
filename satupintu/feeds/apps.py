"""RSS/Atom feeds, sitemap.xml and robots.txt."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedsConfig(AppConfig):
    name = "satupintu.feeds"
    label = "feeds"
    verbose_name = _("Umpan dan peta situs")
