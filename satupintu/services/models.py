"""Public services (layanan), described with the components of the standar pelayanan.

The components follow PermenPANRB 15/2014 on service standards as published to citizens:
requirements, procedure, time, cost, product, legal basis and complaint channel.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.search import index

from satupintu.opd.models import OPDIndexPage, OPDOwnedPage

LIST_FEATURES = ["bold", "italic", "ol", "ul", "link", "document-link"]


class ServicePage(OPDOwnedPage):
    summary = models.TextField(_("ringkasan"), max_length=300)
    requirements = RichTextField(_("persyaratan"), features=LIST_FEATURES)
    procedure = RichTextField(_("prosedur"), features=LIST_FEATURES)
    duration = models.CharField(
        _("jangka waktu"), max_length=200, help_text=_("Misalnya: 3 hari kerja.")
    )
    fee = models.CharField(
        _("biaya/tarif"), max_length=200, help_text=_('Tulis "Gratis" bila tanpa biaya.')
    )
    product = models.CharField(_("produk layanan"), max_length=255)
    legal_basis = RichTextField(_("dasar hukum"), blank=True, features=LIST_FEATURES)
    complaints = RichTextField(_("pengaduan"), features=LIST_FEATURES)
    online_url = models.URLField(
        _("alamat layanan daring"),
        blank=True,
        help_text=_("Bila layanan dapat diajukan secara daring, alamat aplikasinya."),
    )
    featured = models.BooleanField(_("tampilkan di beranda"), default=False)

    content_panels = OPDOwnedPage.content_panels + [
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldPanel("requirements"),
                FieldPanel("procedure"),
                FieldPanel("duration"),
                FieldPanel("fee"),
                FieldPanel("product"),
                FieldPanel("legal_basis"),
                FieldPanel("complaints"),
            ],
            heading=_("Standar pelayanan"),
        ),
        FieldPanel("online_url"),
        FieldPanel("featured"),
    ]
    search_fields = OPDOwnedPage.search_fields + [
        index.SearchField("summary"),
        index.SearchField("requirements"),
        index.SearchField("procedure"),
        index.SearchField("product"),
        index.FilterField("featured"),
    ]
    parent_page_types = ["services.ServiceIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("layanan")
        verbose_name_plural = _("layanan")


class ServiceIndexPage(OPDIndexPage):
    subpage_types = ["services.ServicePage"]
    listing = "services"
    paginate_by = 30

    class Meta:
        verbose_name = _("daftar layanan")
        verbose_name_plural = _("daftar layanan")
