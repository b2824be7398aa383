"""Images and documents, checked before they are stored."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MediaConfig(AppConfig):
    name = "satupintu.media"
    label = "media"
    verbose_name = _("Gambar dan dokumen")
