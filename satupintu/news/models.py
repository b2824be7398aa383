"""News (berita) written by an OPD."""

import datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.search import index

from satupintu.core.validators import reject_markup
from satupintu.opd.models import OPDIndexPage, OPDOwnedPage

BODY_FEATURES = [
    "h2",
    "h3",
    "bold",
    "italic",
    "ol",
    "ul",
    "link",
    "document-link",
    "image",
    "blockquote",
]


def today():
    return timezone.localdate()


class NewsPageTag(TaggedItemBase):
    content_object = ParentalKey(
        "news.NewsPage", related_name="tagged_items", on_delete=models.CASCADE
    )


class NewsPage(OPDOwnedPage):
    date = models.DateField(_("tanggal berita"), default=today)
    intro = models.TextField(
        _("ringkasan"), max_length=300, help_text=_("Satu atau dua kalimat untuk daftar berita.")
    )
    body = RichTextField(_("isi berita"), features=BODY_FEATURES)
    image = models.ForeignKey(
        "media.PortalImage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("gambar utama"),
    )
    author_name = models.CharField(
        _("penulis"), max_length=120, blank=True, validators=[reject_markup]
    )
    tags = ClusterTaggableManager(through=NewsPageTag, blank=True, verbose_name=_("label"))

    content_panels = OPDOwnedPage.content_panels + [
        MultiFieldPanel(
            [FieldPanel("date"), FieldPanel("author_name"), FieldPanel("tags")],
            heading=_("Keterangan"),
        ),
        FieldPanel("intro"),
        FieldPanel("image"),
        FieldPanel("body"),
    ]
    search_fields = OPDOwnedPage.search_fields + [
        index.SearchField("intro"),
        index.SearchField("body"),
        index.FilterField("date"),
    ]
    parent_page_types = ["news.NewsIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("berita")
        verbose_name_plural = _("berita")
        # "Latest news" sorts by date on every list; without it PostgreSQL sorts every row.
        indexes = [models.Index(fields=["-date", "page_ptr"], name="news_newspage_date_idx")]

    def clean(self):
        super().clean()
        if self.date and self.date > today() + datetime.timedelta(days=1):
            from django.core.exceptions import ValidationError

            raise ValidationError({"date": _("Tanggal berita tidak boleh di masa depan.")})


class NewsIndexPage(OPDIndexPage):
    subpage_types = ["news.NewsPage"]
    listing = "news"

    class Meta:
        verbose_name = _("daftar berita")
        verbose_name_plural = _("daftar berita")
