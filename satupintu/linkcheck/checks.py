"""Walk every live page's rich text and images and list what points nowhere.

Checked, without any network request:
- links to pages (`linktype="page"`) whose page is gone or unpublished;
- links to documents whose document is gone;
- plain links to this portal's own paths (or to an old site imported into it) that neither
  resolve to a live page nor are answered by a redirect;
- images in rich text or image fields whose image record or file is gone.
External links are not followed: the server does not reach out from the government network.
"""

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from wagtail.documents.models import Document
from wagtail.fields import RichTextField as WagtailRichTextField
from wagtail.models import Page, Site

from satupintu.media.models import PortalImage
from satupintu.opd.models import OPDHomePage

_PAGE_LINK = re.compile(r'<a\b[^>]*linktype="page"[^>]*\bid="(\d+)"', re.I)
_DOC_LINK = re.compile(r'<a\b[^>]*linktype="document"[^>]*\bid="(\d+)"', re.I)
_IMAGE_EMBED = re.compile(r'<embed\b[^>]*embedtype="image"[^>]*\bid="(\d+)"', re.I)
_HREF = re.compile(r'<a\b[^>]*\bhref="([^"]+)"', re.I)


@dataclass(frozen=True)
class Problem:
    opd: str
    page_title: str
    page_url: str
    kind: str
    target: str


def _rich_text_fields(page):
    return [f.name for f in page._meta.get_fields() if isinstance(f, WagtailRichTextField)]


def _image_fields(page):
    return [
        f.name
        for f in page._meta.get_fields()
        if getattr(f, "related_model", None) is PortalImage and f.many_to_one
    ]


def _file_exists(field_file) -> bool:
    try:
        return bool(field_file) and field_file.storage.exists(field_file.name)
    except (OSError, ValueError):
        return False


class LinkChecker:
    def __init__(self, opd=None):
        self.opd = opd
        site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
        self.hosts = {site.hostname.lower()} if site else set()
        self.problems: list[Problem] = []

    def pages(self):
        pages = Page.objects.live().specific()
        if self.opd is not None:
            pages = pages.filter(path__startswith=self.opd.home_page.path)
        return pages

    def run(self) -> list[Problem]:
        self.live_ids = set(Page.objects.live().values_list("pk", flat=True))
        sections = dict(OPDHomePage.objects.values_list("path", "title"))
        for page in self.pages().iterator(chunk_size=200):
            owner = next((t for p, t in sections.items() if page.path.startswith(p)), "")
            for kind, target in self._check(page):
                self.problems.append(Problem(owner, page.title, page.url or "", kind, target))
        return self.problems

    def _check(self, page):
        for name in _rich_text_fields(page):
            text = getattr(page, name) or ""
            for page_id in _PAGE_LINK.findall(text):
                if int(page_id) not in self.live_ids:
                    yield "halaman tujuan tidak ada/tidak terbit", f"page {page_id}"
            for doc_id in _DOC_LINK.findall(text):
                if not Document.objects.filter(pk=doc_id).exists():
                    yield "dokumen tidak ada", f"document {doc_id}"
            for image_id in _IMAGE_EMBED.findall(text):
                image = PortalImage.objects.filter(pk=image_id).first()
                if image is None or not _file_exists(image.file):
                    yield "gambar hilang", f"image {image_id}"
            for href in _HREF.findall(text):
                if self._internal(href) and not self._resolves(href):
                    yield "tautan internal rusak", href
        for name in _image_fields(page):
            image = getattr(page, name)
            if getattr(page, f"{name}_id") and (image is None or not _file_exists(image.file)):
                yield "gambar hilang", name

    def _internal(self, href: str) -> bool:
        parts = urlsplit(href)
        if parts.scheme in ("mailto", "tel"):
            return False
        if parts.netloc:
            return parts.hostname and parts.hostname.lower() in self.hosts
        return href.startswith("/")

    def _resolves(self, href: str) -> bool:
        from django.test import Client

        client = getattr(self, "_client", None)
        if client is None:
            # The request goes through the whole stack (pages, routes, redirects) in-process,
            # addressed to a host this installation accepts; nothing leaves the machine.
            host = next(iter(self.hosts), "") or "localhost"
            if settings.ALLOWED_HOSTS and host not in settings.ALLOWED_HOSTS:
                host = next((h for h in settings.ALLOWED_HOSTS if h != "*"), host).lstrip(".")
            client = self._client = Client(raise_request_exception=False, HTTP_HOST=host)
        path = urlsplit(href)
        target = path.path + (f"?{path.query}" if path.query else "")
        for _hop in range(5):
            response = client.get(target)
            if response.status_code in (301, 302) and response.get("Location"):
                target = urlsplit(response["Location"]).path
                continue
            return response.status_code == 200
        return False
