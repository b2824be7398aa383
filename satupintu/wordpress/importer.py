"""Import a WordPress export into one OPD's section, all or nothing, safe to run again.

Two streaming passes over the file: attachments first (so posts can point at their images
whatever order the export has), then posts and pages. Everything happens in one transaction;
a failure anywhere (a broken item late in a 500 MB file included) leaves the database as it
was and removes the files already written. Because items are keyed by WordPress id, running
the import again after a failure, or after the old site changed, continues where it stands:
unchanged items are skipped, changed ones update their page.

Files come only from a local copy of the old site's wp-content/uploads folder: the server
does not fetch URLs named in an uploaded file.
"""

import hashlib
import html
import io
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.text import Truncator, slugify
from django.utils.translation import gettext as _
from PIL import Image as PILImage
from wagtail.documents.models import Document

from satupintu.home.models import InfoPage
from satupintu.media.checks import check_document, check_size
from satupintu.media.models import PortalImage
from satupintu.news.models import NewsIndexPage, NewsPage

from . import content, wxr
from .models import ImportedItem

_TAGS = re.compile(r"<[^>]+>")


@dataclass
class ImportReport:
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    unchanged: int = 0
    skipped: list = field(default_factory=list)  # (what, why)
    unknown_shortcodes: Counter = field(default_factory=Counter)
    missing_images: list = field(default_factory=list)

    def skip(self, item, why):
        label = item.title or item.attachment_url or f"#{item.post_id}"
        self.skipped.append((f"{item.post_type} {item.post_id}: {label}", why))


def _plain(text: str) -> str:
    return " ".join(html.unescape(_TAGS.sub(" ", text or "")).split())


def old_address(url: str) -> dict:
    """Host and normalised path of an old URL, as the redirect middleware looks them up."""
    parts = urlsplit(url or "")
    return {"old_host": (parts.hostname or "").lower(), "old_path": normalise_path(parts.path)}


def normalise_path(path: str) -> str:
    path = unquote(path or "/")
    return path if path.endswith("/") or "." in path.rsplit("/", 1)[-1] else path + "/"


def _checksum(*parts) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(repr(part).encode())
    return digest.hexdigest()


class Importer:
    def __init__(self, opd, path, *, uploads_dir=None, publish=False, user=None):
        self.opd = opd
        self.path = Path(path)
        self.uploads_dir = Path(uploads_dir).resolve() if uploads_dir else None
        self.publish = publish
        self.user = user
        self.report = ImportReport()
        self.written_files = []
        self.images_by_url = {}
        self.images_by_wp_id = {}

    # --- entry point ---------------------------------------------------------------------

    def run(self) -> ImportReport:
        site, items = wxr.read(self.path)  # size and format are checked before anything else
        try:
            with transaction.atomic():
                first = next(items, None)
                self.source = site.base_site_url or site.link or str(self.path.name)
                self.news_index = NewsIndexPage.objects.child_of(self.opd.home_page).get()
                self._known = {
                    item.wp_id: item
                    for item in ImportedItem.objects.filter(opd=self.opd, source=self.source)
                }
                for item in self._chain(first, items):
                    if item.post_type == "attachment":
                        self._attachment(item)
                _site, again = wxr.read(self.path)
                for item in again:
                    if item.post_type == "post":
                        self._page(item, NewsPage, self.news_index)
                    elif item.post_type == "page":
                        self._page(item, InfoPage, self.opd.home_page)
                    elif item.post_type != "attachment":
                        self.report.skip(
                            item,
                            _('jenis konten "%(type)s" tidak diimpor') % {"type": item.post_type},
                        )
        except BaseException:
            for storage, name in self.written_files:
                storage.delete(name)
            raise
        return self.report

    @staticmethod
    def _chain(first, rest):
        if first is not None:
            yield first
        yield from rest

    # --- attachments -----------------------------------------------------------------------

    def _local_file(self, url):
        """The uploaded file for an attachment URL, only from inside the uploads folder."""
        if self.uploads_dir is None:
            return None
        path = unquote(urlsplit(url).path)
        marker = "/wp-content/uploads/"
        if marker not in path:
            return None
        candidate = (self.uploads_dir / path.split(marker, 1)[1]).resolve()
        if not candidate.is_relative_to(self.uploads_dir) or not candidate.is_file():
            return None
        return candidate

    def _attachment(self, item):
        url = item.attachment_url
        extension = url.rsplit(".", 1)[-1].lower() if "." in url else ""
        known = self._known.get(item.post_id)
        if known and (known.image_id or known.document_id):
            self._remember(item, known.image or known.document)
            self.report.unchanged += 1
            return
        # The same extensions the admin accepts for uploads (settings), nothing wider.
        image_extensions = set(settings.WAGTAILIMAGES_EXTENSIONS)
        if extension not in image_extensions | set(settings.WAGTAILDOCS_EXTENSIONS):
            self.report.skip(
                item, _("jenis berkas .%(ext)s tidak diimpor") % {"ext": extension or "?"}
            )
            return
        local = self._local_file(url)
        if local is None:
            self.report.skip(
                item,
                _(
                    "berkas tidak ada di folder unggahan yang diberikan "
                    "(server tidak mengunduh dari internet)"
                ),
            )
            return
        data = local.read_bytes()
        upload = ContentFile(data, name=local.name)
        title = _plain(item.title) or local.stem
        try:
            if extension in image_extensions:
                check_size(upload, settings.SATUPINTU_MAX_IMAGE_BYTES)
                PILImage.open(io.BytesIO(data)).verify()
                stored = PortalImage(
                    title=title[:255],
                    collection=self.opd.collection,
                    description=(_plain(item.excerpt) or title)[:255],
                    file=upload,
                )
            else:
                check_document(upload)
                stored = Document(title=title[:255], collection=self.opd.collection, file=upload)
        except (ValidationError, OSError, SyntaxError) as exc:
            reason = exc.messages[0] if isinstance(exc, ValidationError) else str(exc)
            self.report.skip(item, _("berkas ditolak: %(reason)s") % {"reason": reason})
            return
        stored.save()
        self.written_files.append((stored.file.storage, stored.file.name))
        ImportedItem.objects.update_or_create(
            opd=self.opd,
            source=self.source,
            wp_id=item.post_id,
            defaults={
                **old_address(url),
                "kind": ImportedItem.Kind.ATTACHMENT,
                "old_url": url,
                "checksum": _checksum(data),
                "image": stored if isinstance(stored, PortalImage) else None,
                "document": stored if isinstance(stored, Document) else None,
            },
        )
        self._remember(item, stored)
        self.report.created.append(_("lampiran %(title)s") % {"title": title})

    def _remember(self, item, stored):
        if isinstance(stored, PortalImage):
            self.images_by_url[item.attachment_url] = stored
            self.images_by_wp_id[item.post_id] = stored

    def _image_for_url(self, url):
        # WordPress links resized copies (foto-300x200.jpg); they are the same image.
        return self.images_by_url.get(url) or self.images_by_url.get(
            re.sub(r"-\d+x\d+(\.\w+)$", r"\1", url)
        )

    # --- posts and pages -------------------------------------------------------------------

    def _page(self, item, model, parent):
        if item.status != "publish":
            self.report.skip(
                item, _('status "%(status)s" di WordPress, bukan terbit') % {"status": item.status}
            )
            return
        body, conversion = content.to_rich_text(
            item.content, self._image_for_url, self.images_by_wp_id.get
        )
        self.report.unknown_shortcodes.update(conversion.unknown_shortcodes)
        self.report.missing_images.extend(conversion.missing_images)
        title = Truncator(_plain(item.title) or _("(tanpa judul)")).chars(255)
        fields = {"title": title, "body": body}
        if model is NewsPage:
            intro = _plain(item.excerpt) or _plain(body)
            fields.update(
                intro=Truncator(intro).chars(300) or title,
                author_name=Truncator(_plain(item.creator)).chars(120),
            )
            if item.post_date[:10]:
                fields["date"] = item.post_date[:10]
            thumbnail = item.meta.get("_thumbnail_id", "").strip()
            if thumbnail.isdigit():
                fields["image"] = self.images_by_wp_id.get(int(thumbnail))
        checksum = _checksum(fields, item.categories, item.tags, item.slug)
        known = self._known.get(item.post_id)
        if known and known.page_id and known.checksum == checksum:
            self.report.unchanged += 1
            return
        try:
            # A savepoint per item: one item the portal refuses (a date in the future, say)
            # is skipped with its reason instead of stopping a 10,000-post import.
            with transaction.atomic():
                if known and known.page_id:
                    page = known.page.specific
                    for name, value in fields.items():
                        setattr(page, name, value)
                    self._tag(page, item)
                    self._save(page)
                    done = self.report.updated
                else:
                    page = model(slug=self._free_slug(parent, item, title), live=False, **fields)
                    self._tag(page, item)
                    parent.add_child(instance=page)
                    self._save(page)
                    done = self.report.created
        except ValidationError as exc:
            reasons = "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
            self.report.skip(item, _("ditolak portal: %(reasons)s") % {"reasons": reasons})
            return
        done.append(title)
        ImportedItem.objects.update_or_create(
            opd=self.opd,
            source=self.source,
            wp_id=item.post_id,
            defaults={
                **old_address(item.link),
                "old_slug": slugify(unquote(item.slug))[:200],
                "kind": item.post_type,
                "old_url": item.link,
                "checksum": checksum,
                "page": page,
            },
        )

    def _tag(self, page, item):
        if not isinstance(page, NewsPage):
            return
        names = list(
            dict.fromkeys(name[:100] for _slug, name in item.categories + item.tags if name)
        )
        if names:
            page.tags.set(names, clear=True)
        else:
            page.tags.clear()

    def _free_slug(self, parent, item, title):
        base = slugify(unquote(item.slug)) or slugify(title) or f"wp-{item.post_id}"
        base = base[:70]
        taken = set(
            parent.get_children().filter(slug__startswith=base).values_list("slug", flat=True)
        )
        slug, n = base, 2
        while slug in taken:
            slug, n = f"{base}-{n}", n + 1
        return slug

    def _save(self, page):
        page.full_clean()
        revision = page.save_revision(user=self.user, log_action=True)
        if self.publish:
            revision.publish(user=self.user)
        elif self.opd.workflow and not page.workflow_in_progress:
            self.opd.workflow.start(page, self.user)


def import_wordpress(opd, path, **options) -> ImportReport:
    return Importer(opd, path, **options).run()
