"""Announcements (pengumuman): valid between two dates, then they leave the home page."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.fields import RichTextField
from wagtail.search import index

from satupintu.news.models import BODY_FEATURES, today
from satupintu.opd.models import OPDIndexPage, OPDOwnedPage


class AnnouncementPage(OPDOwnedPage):
    valid_from = models.DateField(_("berlaku mulai"), default=today)
    valid_until = models.DateField(
        _("berlaku sampai"),
        null=True,
        blank=True,
        help_text=_("Setelah tanggal ini pengumuman hilang dari beranda (tetap ada di arsip)."),
    )
    body = RichTextField(_("isi pengumuman"), features=BODY_FEATURES)
    attachment = models.ForeignKey(
        "wagtaildocs.Document",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("lampiran"),
    )

    content_panels = OPDOwnedPage.content_panels + [
        FieldRowPanel(
            [FieldPanel("valid_from"), FieldPanel("valid_until")], heading=_("Masa berlaku")
        ),
        FieldPanel("body"),
        FieldPanel("attachment"),
    ]
    search_fields = OPDOwnedPage.search_fields + [
        index.SearchField("body"),
        index.FilterField("valid_from"),
        index.FilterField("valid_until"),
    ]
    parent_page_types = ["announcements.AnnouncementIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("pengumuman")
        verbose_name_plural = _("pengumuman")

    def clean(self):
        super().clean()
        if self.valid_until and self.valid_from and self.valid_until < self.valid_from:
            raise ValidationError(
                {"valid_until": _("Tanggal akhir tidak boleh sebelum tanggal mulai.")}
            )

    @property
    def is_current(self) -> bool:
        now = timezone.localdate()
        return self.valid_from <= now and (self.valid_until is None or self.valid_until >= now)

    @classmethod
    def current_filter(cls) -> Q:
        now = timezone.localdate()
        return Q(valid_from__lte=now) & (Q(valid_until__isnull=True) | Q(valid_until__gte=now))


class AnnouncementIndexPage(OPDIndexPage):
    subpage_types = ["announcements.AnnouncementPage"]
    listing = "announcements"

    class Meta:
        verbose_name = _("daftar pengumuman")
        verbose_name_plural = _("daftar pengumuman")
