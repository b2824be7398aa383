"""What each import brought in, so a second run updates instead of duplicating."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportedItem(models.Model):
    """One WordPress item (post, page or attachment) and what it became in the OPD's section.

    Keyed by the OPD, the old site's address and WordPress's own id: running the same export
    again finds its pages; a changed item (different checksum) updates its page.
    """

    class Kind(models.TextChoices):
        POST = "post", _("berita")
        PAGE = "page", _("halaman")
        ATTACHMENT = "attachment", _("lampiran")

    opd = models.ForeignKey("opd.OPD", on_delete=models.CASCADE, related_name="+")
    source = models.CharField(_("situs lama"), max_length=255)
    wp_id = models.PositiveBigIntegerField(_("ID WordPress"))
    kind = models.CharField(_("jenis"), max_length=12, choices=Kind.choices)
    old_url = models.CharField(_("alamat lama"), max_length=1000, blank=True)
    # For redirects: the old site's host, the old path (normalised, no query) and slug.
    old_host = models.CharField(max_length=253, blank=True, db_index=True)
    old_path = models.CharField(max_length=1000, blank=True, db_index=True)
    old_slug = models.CharField(max_length=200, blank=True, db_index=True)
    checksum = models.CharField(max_length=64)
    page = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    image = models.ForeignKey(
        "media.PortalImage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    document = models.ForeignKey(
        "wagtaildocs.Document", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["opd", "source", "wp_id"], name="wordpress_item_once")
        ]
        verbose_name = _("butir impor WordPress")
        verbose_name_plural = _("butir impor WordPress")

    def __str__(self):
        return f"{self.source} #{self.wp_id} ({self.kind})"
