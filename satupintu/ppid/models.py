"""Public-information documents of an OPD's PPID, by the categories of UU 14/2008.

Exempt information (dikecualikan) is listed so citizens know it exists and why it is
withheld, but it never carries a file: a document attached to a public page is downloadable.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.search import index

from satupintu.opd.models import OPDIndexPage, OPDOwnedPage


class PPIDDocumentPage(OPDOwnedPage):
    class Category(models.TextChoices):
        BERKALA = "berkala", _("Informasi berkala")
        SERTA_MERTA = "serta_merta", _("Informasi serta-merta")
        SETIAP_SAAT = "setiap_saat", _("Informasi tersedia setiap saat")
        DIKECUALIKAN = "dikecualikan", _("Informasi dikecualikan")

    category = models.CharField(_("kategori"), max_length=20, choices=Category.choices)
    year = models.PositiveIntegerField(
        _("tahun"), validators=[MinValueValidator(1945), MaxValueValidator(2100)]
    )
    summary = models.TextField(_("ringkasan"), max_length=600, blank=True)
    document = models.ForeignKey(
        "wagtaildocs.Document",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("berkas"),
    )
    exemption_reason = models.TextField(
        _("alasan pengecualian"),
        blank=True,
        help_text=_("Untuk informasi dikecualikan: ringkasan uji konsekuensi dan dasar hukumnya."),
    )

    content_panels = OPDOwnedPage.content_panels + [
        FieldPanel("category"),
        FieldPanel("year"),
        FieldPanel("summary"),
        FieldPanel("document"),
        FieldPanel("exemption_reason"),
    ]
    search_fields = OPDOwnedPage.search_fields + [
        index.SearchField("summary"),
        index.FilterField("category"),
        index.FilterField("year"),
    ]
    parent_page_types = ["ppid.PPIDIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("dokumen PPID")
        verbose_name_plural = _("dokumen PPID")

    def clean(self):
        super().clean()
        if self.category == self.Category.DIKECUALIKAN:
            errors = {}
            if self.document_id:
                errors["document"] = _(
                    "Informasi dikecualikan tidak boleh dilampiri berkas: berkas pada halaman "
                    "publik dapat diunduh siapa saja."
                )
            if not self.exemption_reason.strip():
                errors["exemption_reason"] = _("Tuliskan alasan pengecualian (uji konsekuensi).")
            if errors:
                raise ValidationError(errors)
        elif not self.document_id:
            raise ValidationError({"document": _("Lampirkan berkas dokumennya.")})


class PPIDIndexPage(OPDIndexPage):
    subpage_types = ["ppid.PPIDDocumentPage"]
    listing = "ppid_documents"
    paginate_by = 30

    class Meta:
        verbose_name = _("daftar informasi publik")
        verbose_name_plural = _("daftar informasi publik")
