"""The regency this installation serves, and the regions inside it.

Nothing about a particular regency is written in code: `satupintu init-regency CODE` fills
these rows from a maintained region dataset, and Kominfo edits the rest in the admin.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

from satupintu.core.validators import reject_markup, validate_colour_on_white_text


class Region(models.Model):
    """A kecamatan, desa or kelurahan (or the regency itself), with both code systems.

    Kemendagri codes identify regions in administration and in the NIK; BPS codes in
    statistics. Satu Data needs both, so both are kept, with the dataset each came from.
    """

    class Level(models.TextChoices):
        REGENCY = "regency", _("Kabupaten/Kota")
        DISTRICT = "district", _("Kecamatan")
        VILLAGE = "village", _("Desa/Kelurahan")

    class Kind(models.TextChoices):
        KABUPATEN = "kabupaten", _("Kabupaten")
        KOTA = "kota", _("Kota")
        KECAMATAN = "kecamatan", _("Kecamatan")
        DESA = "desa", _("Desa")
        KELURAHAN = "kelurahan", _("Kelurahan")

    kemendagri_code = models.CharField(_("kode Kemendagri"), max_length=13, unique=True)
    bps_code = models.CharField(_("kode BPS"), max_length=10, blank=True)
    name = models.CharField(_("nama"), max_length=100)
    level = models.CharField(_("tingkat"), max_length=10, choices=Level.choices)
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    source = models.CharField(_("sumber data"), max_length=255)
    source_date = models.DateField(_("tanggal sumber data"))
    # A simplified GeoJSON Polygon/MultiPolygon (lon, lat; 4 decimals), loaded with
    # `satupintu load-region-boundaries`, for maps drawn on the server; none until loaded.
    boundary = models.JSONField(_("batas wilayah"), null=True, blank=True, editable=False)
    boundary_source = models.CharField(
        _("sumber batas wilayah"), max_length=255, blank=True, editable=False
    )

    class Meta:
        ordering = ["kemendagri_code"]
        verbose_name = _("wilayah")
        verbose_name_plural = _("wilayah")

    def __str__(self):
        return f"{self.get_kind_display()} {self.name} ({self.kemendagri_code})"


@register_setting(icon="site")
class RegencySettings(BaseGenericSetting):
    """Identity of the regency shown on every page; one row per installation."""

    name = models.CharField(
        _("nama daerah"), max_length=100, validators=[reject_markup],
        help_text=_("Misalnya: Kabupaten Lamongan."),
    )
    kemendagri_code = models.CharField(_("kode Kemendagri"), max_length=5, blank=True)
    bps_code = models.CharField(_("kode BPS"), max_length=4, blank=True)
    province_name = models.CharField(_("provinsi"), max_length=100, blank=True)
    portal_title = models.CharField(
        _("judul portal"), max_length=150, blank=True, validators=[reject_markup],
        help_text=_("Kosongkan untuk memakai \"Portal Resmi\" + nama daerah."),
    )
    logo = models.ForeignKey(
        "media.PortalImage", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("logo"),
    )
    primary_colour = models.CharField(
        _("warna utama"), max_length=7, default="#0b4f8a",
        validators=[validate_colour_on_white_text],
    )
    accent_colour = models.CharField(
        _("warna aksen"), max_length=7, default="#7a4b00",
        validators=[validate_colour_on_white_text],
    )
    address = models.TextField(_("alamat kantor"), blank=True)
    phone = models.CharField(_("telepon"), max_length=50, blank=True)
    email = models.EmailField(_("surel"), blank=True)
    domain = models.CharField(
        _("domain resmi"), max_length=253, blank=True, help_text=_("Misalnya: lamongankab.go.id")
    )
    region_source = models.CharField(_("sumber data wilayah"), max_length=255, blank=True)
    region_loaded_at = models.DateTimeField(_("data wilayah dimuat"), null=True, blank=True)

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("name"),
                FieldPanel("portal_title"),
                FieldPanel("kemendagri_code", read_only=True),
                FieldPanel("bps_code"),
                FieldPanel("province_name", read_only=True),
                FieldPanel("domain"),
            ],
            heading=_("Identitas"),
        ),
        MultiFieldPanel(
            [FieldPanel("logo"), FieldPanel("primary_colour"), FieldPanel("accent_colour")],
            heading=_("Tampilan"),
        ),
        MultiFieldPanel(
            [FieldPanel("address"), FieldPanel("phone"), FieldPanel("email")],
            heading=_("Kontak"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("region_source", read_only=True),
                FieldPanel("region_loaded_at", read_only=True),
            ],
            heading=_("Data wilayah"),
        ),
    ]

    class Meta:
        verbose_name = _("konfigurasi daerah")

    def __str__(self):
        return self.name or str(_("Daerah belum dikonfigurasi"))

    @property
    def display_title(self) -> str:
        return self.portal_title or _("Portal Resmi %(name)s") % {"name": self.name}
