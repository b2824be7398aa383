"""Reading a WordPress export (WXR) as a stream, refusing hostile XML.

A WXR file is RSS with WordPress namespaces. Exports of old OPD sites run to hundreds of
megabytes, and an uploaded file is hostile until checked, so the reader:
- refuses files above a size limit before parsing anything;
- parses with defusedxml, which refuses DTDs (and so entity-expansion bombs and external
  entities) instead of expanding them;
- yields one item at a time and frees each element after use, so memory stays flat however
  long the file is.
"""

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, iterparse
from django.conf import settings
from django.utils.translation import gettext as _

CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
DC_NS = "http://purl.org/dc/elements/1.1/"
WP_NS_PREFIX = "http://wordpress.org/export/"

DEFAULT_MAX_BYTES = 1024 * 1024 * 1024  # 1 GiB


class WxrError(ValueError):
    """The file cannot be imported; the message is for the person who uploaded it."""


@dataclass
class WxrSite:
    title: str = ""
    link: str = ""
    base_site_url: str = ""
    base_blog_url: str = ""
    wxr_version: str = ""


@dataclass
class WxrItem:
    post_id: int
    post_type: str
    status: str
    title: str = ""
    link: str = ""
    slug: str = ""
    creator: str = ""
    content: str = ""
    excerpt: str = ""
    post_date: str = ""
    pub_date: object = None
    parent_id: int = 0
    attachment_url: str = ""
    categories: list = field(default_factory=list)
    tags: list = field(default_factory=list)
    meta: dict = field(default_factory=dict)


def max_bytes() -> int:
    return int(getattr(settings, "SATUPINTU_WXR_MAX_BYTES", DEFAULT_MAX_BYTES))


def _local(tag: str) -> tuple[str, str]:
    if tag.startswith("{"):
        namespace, _sep, name = tag[1:].partition("}")
        return namespace, name
    return "", tag


def _is_wp(namespace: str) -> bool:
    return namespace.startswith(WP_NS_PREFIX) and not namespace.endswith("/excerpt/")


def _int(text) -> int:
    try:
        return int((text or "").strip())
    except ValueError:
        return 0


def _item_from(element) -> WxrItem:
    values: dict = {}
    categories, tags, meta = [], [], {}
    for child in element:
        namespace, name = _local(child.tag)
        text = child.text or ""
        if namespace == "" and name == "category":
            domain = child.get("domain", "")
            pair = (child.get("nicename", ""), text.strip())
            if domain == "category":
                categories.append(pair)
            elif domain == "post_tag":
                tags.append(pair)
        elif namespace == "":
            values[name] = text
        elif namespace == CONTENT_NS and name == "encoded":
            values["content"] = text
        elif namespace.endswith("/excerpt/") and name == "encoded":
            values["excerpt"] = text
        elif namespace == DC_NS and name == "creator":
            values["creator"] = text
        elif _is_wp(namespace):
            if name == "postmeta":
                key = value = ""
                for sub in child:
                    sub_name = _local(sub.tag)[1]
                    if sub_name == "meta_key":
                        key = sub.text or ""
                    elif sub_name == "meta_value":
                        value = sub.text or ""
                if key:
                    meta[key] = value
            else:
                values[f"wp:{name}"] = text
    pub_date = None
    if values.get("pubDate"):
        try:
            pub_date = parsedate_to_datetime(values["pubDate"])
        except (TypeError, ValueError):
            pub_date = None
    return WxrItem(
        post_id=_int(values.get("wp:post_id")),
        post_type=values.get("wp:post_type", "").strip(),
        status=values.get("wp:status", "").strip(),
        title=values.get("title", "").strip(),
        link=values.get("link", "").strip(),
        slug=values.get("wp:post_name", "").strip(),
        creator=values.get("creator", "").strip(),
        content=values.get("content", ""),
        excerpt=values.get("excerpt", ""),
        post_date=values.get("wp:post_date", "").strip(),
        pub_date=pub_date,
        parent_id=_int(values.get("wp:post_parent")),
        attachment_url=values.get("wp:attachment_url", "").strip(),
        categories=categories,
        tags=tags,
        meta=meta,
    )


def read(path) -> tuple[WxrSite, Iterator[WxrItem]]:
    """Check the file, then return the site header and an iterator over its items.

    The site header fields that come after the first item are filled in as the iterator runs;
    everything an importer needs (base URLs) precedes the items in real exports.
    """
    try:
        size = os.path.getsize(path)
    except OSError as exc:
        raise WxrError(_("Berkas ekspor tidak dapat dibaca: %(error)s") % {"error": exc}) from exc
    limit = max_bytes()
    if size > limit:
        raise WxrError(
            _(
                "Berkas ekspor terlalu besar (%(size)d MB; batas %(limit)d MB). Ekspor ulang "
                "per tahun atau per jenis konten dari WordPress (Alat → Ekspor)."
            )
            % {"size": size // (1024 * 1024), "limit": limit // (1024 * 1024)}
        )
    with open(path, "rb") as handle:
        head = handle.read(4096).lstrip()
    if not head.startswith((b"<?xml", b"<rss", b"\xef\xbb\xbf")):
        raise WxrError(_("Berkas ini bukan ekspor WordPress (WXR): tidak diawali XML."))
    site = WxrSite()
    return site, _items(path, site)


def _items(path, site: WxrSite) -> Iterator[WxrItem]:
    depth = 0
    channel = None
    seen_rss = False
    try:
        for event, element in iterparse(
            path,
            events=("start", "end"),
            forbid_dtd=True,
            forbid_entities=True,
            forbid_external=True,
        ):
            namespace, name = _local(element.tag)
            if event == "start":
                depth += 1
                if depth == 1:
                    seen_rss = name == "rss"
                    if not seen_rss:
                        raise WxrError(
                            _("Berkas ini bukan ekspor WordPress (WXR): akar bukan <rss>.")
                        )
                elif depth == 2 and name == "channel":
                    channel = element
                continue
            depth -= 1
            if name == "item" and namespace == "" and depth == 2:
                yield _item_from(element)
                # Drop the finished item from the tree, so memory stays flat. It is the
                # channel's last child at this point, so the removal is cheap.
                element.clear()
                if channel is not None:
                    channel.remove(element)
            elif depth == 2 and namespace == "":
                if name == "title" and not site.title:
                    site.title = (element.text or "").strip()
                elif name == "link" and not site.link:
                    site.link = (element.text or "").strip()
            elif depth == 2 and _is_wp(namespace):
                if name == "base_site_url":
                    site.base_site_url = (element.text or "").strip()
                elif name == "base_blog_url":
                    site.base_blog_url = (element.text or "").strip()
                elif name == "wxr_version":
                    site.wxr_version = (element.text or "").strip()
    except DefusedXmlException as exc:
        raise WxrError(
            _(
                "Berkas ditolak: berisi deklarasi DTD/entitas XML yang tidak pernah ada pada "
                "ekspor WordPress asli dan dapat dipakai untuk menyerang server (%(kind)s)."
            )
            % {"kind": type(exc).__name__}
        ) from exc
    except ParseError as exc:
        line = getattr(exc, "position", (0, 0))[0]
        raise WxrError(
            _("Berkas XML rusak di baris %(line)d: %(error)s") % {"line": line, "error": exc}
        ) from exc
    if not seen_rss:
        raise WxrError(_("Berkas ini bukan ekspor WordPress (WXR)."))
