"""The portal's image model.

A custom model from the first migration, because Wagtail cannot swap the image model later:
the description doubles as the alt text, and the public templates never render an image
without one.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.images.models import AbstractImage, AbstractRendition, Image


class PortalImage(AbstractImage):
    description = models.CharField(
        _("teks alternatif"),
        max_length=255,
        blank=True,
        default="",
        help_text=_(
            'Jelaskan isi gambar untuk pembaca layar, misalnya "Bupati meresmikan jembatan '
            'Babat". Wajib diisi.'
        ),
    )

    admin_form_fields = Image.admin_form_fields

    class Meta(AbstractImage.Meta):
        verbose_name = _("gambar")
        verbose_name_plural = _("gambar")


class PortalRendition(AbstractRendition):
    image = models.ForeignKey(PortalImage, on_delete=models.CASCADE, related_name="renditions")

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)
