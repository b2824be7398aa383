"""Events (agenda) of an OPD."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.fields import RichTextField
from wagtail.search import index

from satupintu.core.validators import reject_markup
from satupintu.news.models import BODY_FEATURES
from satupintu.opd.models import OPDIndexPage, OPDOwnedPage


class EventPage(OPDOwnedPage):
    start = models.DateTimeField(_("mulai"))
    end = models.DateTimeField(_("selesai"), null=True, blank=True)
    location = models.CharField(_("tempat"), max_length=255, validators=[reject_markup])
    summary = models.TextField(_("ringkasan"), max_length=300, blank=True)
    body = RichTextField(_("keterangan"), blank=True, features=BODY_FEATURES)

    content_panels = OPDOwnedPage.content_panels + [
        FieldRowPanel([FieldPanel("start"), FieldPanel("end")], heading=_("Waktu")),
        FieldPanel("location"),
        FieldPanel("summary"),
        FieldPanel("body"),
    ]
    search_fields = OPDOwnedPage.search_fields + [
        index.SearchField("location"),
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("start"),
    ]
    parent_page_types = ["events.EventIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("agenda")
        verbose_name_plural = _("agenda")

    def clean(self):
        super().clean()
        if self.end and self.start and self.end < self.start:
            raise ValidationError({"end": _("Waktu selesai tidak boleh sebelum waktu mulai.")})

    @property
    def is_upcoming(self) -> bool:
        return (self.end or self.start) >= timezone.now()


class EventIndexPage(OPDIndexPage):
    subpage_types = ["events.EventPage"]
    listing = "events"

    class Meta:
        verbose_name = _("daftar agenda")
        verbose_name_plural = _("daftar agenda")
