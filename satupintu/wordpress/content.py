"""Turning a WordPress post body into Wagtail rich text that is safe to publish.

WordPress stores bodies as loosely-formed HTML with line breaks for paragraphs (wpautop) and
shortcodes. The result here is the subset Wagtail's editor understands (paragraphs, h2/h3,
bold/italic, lists, links, blockquote, images as `<embed embedtype="image">`), sanitised by
nh3 with an allow-list; script, style, iframes, event handlers and javascript: links never
survive. Shortcodes we can translate ([caption], [gallery]) become images; any other
shortcode is removed and counted in the report, never shown raw to citizens.
"""

import html
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

import nh3

ALLOWED_TAGS = {"p", "h2", "h3", "b", "i", "ol", "ul", "li", "a", "blockquote", "br", "embed"}
ALLOWED_ATTRIBUTES = {"a": {"href"}, "embed": {"embedtype", "id", "format", "alt"}}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
# Tags whose content goes too (not just the tag).
DROP_WITH_CONTENT = {"script", "style", "iframe", "object", "noscript", "template", "svg", "math"}

_SHORTCODE = re.compile(
    r"\[(?P<name>[a-zA-Z][\w-]*)(?P<attrs>[^\]]*)\](?:(?P<body>.*?)\[/(?P=name)\])?", re.S
)
_ATTR = re.compile(r'(\w+)\s*=\s*"([^"]*)"|(\w+)\s*=\s*\'([^\']*)\'')
_IMG = re.compile(r"<img\b[^>]*>", re.I)
_IMG_ATTR = re.compile(r'(\w+)\s*=\s*"([^"]*)"|(\w+)\s*=\s*\'([^\']*)\'', re.I)

# image_by_url(url) / image_by_attachment_id(wp_id): the imported image, or None if skipped.
ImageLookup = Callable[[str], object | None]


@dataclass
class ConversionReport:
    unknown_shortcodes: Counter = field(default_factory=Counter)
    missing_images: list = field(default_factory=list)


def _attrs(text: str) -> dict:
    found = {}
    for match in _ATTR.finditer(text or ""):
        key = match.group(1) or match.group(3)
        value = match.group(2) if match.group(1) else match.group(4)
        found[key.lower()] = value
    return found


def _embed(image, alt: str, align: str = "") -> str:
    fmt = {"alignleft": "left", "alignright": "right"}.get(align, "fullwidth")
    alt = (alt or getattr(image, "default_alt_text", "") or "").strip()
    return f'<embed embedtype="image" id="{image.pk}" format="{fmt}" alt="{html.escape(alt)}"/>'


def _image_from_img_tag(tag, image_by_url, report, align=""):
    attributes = {}
    for match in _IMG_ATTR.finditer(tag):
        key = (match.group(1) or match.group(3)).lower()
        attributes[key] = match.group(2) if match.group(1) else match.group(4)
    src = attributes.get("src", "")
    image = image_by_url(src) if src else None
    if image is None:
        report.missing_images.append(src)
        return ""
    css = attributes.get("class", "")
    align = align or next((c for c in css.split() if c.startswith("align")), "")
    return _embed(image, attributes.get("alt", ""), align)


def _shortcodes(text, image_by_url, image_by_attachment_id, report) -> str:
    def replace(match):
        name = match.group("name").lower()
        attrs = _attrs(match.group("attrs"))
        body = match.group("body") or ""
        if name in ("caption", "wp_caption"):
            embeds = [
                _image_from_img_tag(tag, image_by_url, report, attrs.get("align", ""))
                for tag in _IMG.findall(body)
            ]
            caption = _IMG.sub("", body).strip()
            caption = re.sub(r"<a\b[^>]*>\s*</a>", "", caption).strip()
            parts = [e for e in embeds if e]
            if caption:
                parts.append(f"<p><i>{caption}</i></p>")
            return "\n\n" + "\n\n".join(parts) + "\n\n"
        if name == "gallery":
            embeds = []
            for wp_id in re.findall(r"\d+", attrs.get("ids", "")):
                image = image_by_attachment_id(int(wp_id))
                if image is None:
                    report.missing_images.append(f"attachment {wp_id}")
                else:
                    embeds.append(_embed(image, ""))
            return "\n\n" + "\n\n".join(embeds) + "\n\n"
        report.unknown_shortcodes[name] += 1
        return ""

    # A shortcode name must follow "[" directly; "[1]" footnotes or "[sic]" in prose are
    # left alone unless they look like a shortcode with attributes or a closing tag.
    return _SHORTCODE.sub(lambda m: replace(m) if _looks_like_shortcode(m) else m.group(0), text)


def _looks_like_shortcode(match) -> bool:
    return bool(
        match.group("attrs").strip()
        or match.group("body") is not None
        or "-" in match.group("name")
        or "_" in match.group("name")
        or match.group("name").lower()
        in ("caption", "gallery", "embed", "audio", "video", "playlist")
    )


_BLOCK_TAG = r"(?:p|h[1-6]|ul|ol|blockquote|pre|table|embed)"
_BOUNDARY = re.compile(rf"(</?{_BLOCK_TAG}\b[^>]*>)", re.I)
_WRAPPERS = re.compile(r"</?(?:div|section|article|figure|figcaption|center)\b[^>]*>", re.I)


def _autop(text: str) -> str:
    """WordPress's wpautop, in short: blank lines separate paragraphs, single newlines break,
    and block elements stand on their own (text between them becomes a paragraph)."""
    text = _WRAPPERS.sub("\n\n", text.replace("\r\n", "\n"))
    text = _BOUNDARY.sub(r"\n\n\1\n\n", text)
    out = []
    depth = 0  # inside a list, a quote or a table, text is the element's own
    for block in re.split(r"\n\s*\n", text.strip()):
        block = block.strip()
        if not block:
            continue
        tag = re.match(rf"<(/?)({_BLOCK_TAG})\b", block, re.I)
        if tag:
            name = tag.group(2).lower()
            if name in ("ul", "ol", "blockquote", "table", "pre", "p") or name.startswith("h"):
                depth += -1 if tag.group(1) else 1
            out.append(block)
        elif depth > 0 or block.lower().startswith("<li"):
            out.append(block)
        else:
            out.append("<p>" + block.replace("\n", "<br/>") + "</p>")
    return "\n".join(out)


def _normalise_headings(text: str) -> str:
    text = re.sub(r"<(/?)h1\b", r"<\1h2", text, flags=re.I)
    return re.sub(r"<(/?)h[4-6]\b", r"<\1h3", text, flags=re.I)


def _normalise_emphasis(text: str) -> str:
    text = re.sub(r"<(/?)strong\b", r"<\1b", text, flags=re.I)
    return re.sub(r"<(/?)em\b", r"<\1i", text, flags=re.I)


def to_rich_text(
    body: str,
    image_by_url: ImageLookup = lambda url: None,
    image_by_attachment_id: ImageLookup = lambda wp_id: None,
) -> tuple[str, ConversionReport]:
    """Rich text for Wagtail, and what could not be carried over."""
    report = ConversionReport()
    text = _shortcodes(body or "", image_by_url, image_by_attachment_id, report)
    text = _IMG.sub(
        lambda m: "\n\n" + _image_from_img_tag(m.group(0), image_by_url, report) + "\n\n", text
    )
    text = _autop(text)
    text = _normalise_emphasis(_normalise_headings(text))
    cleaned = nh3.clean(
        text,
        tags=ALLOWED_TAGS,
        clean_content_tags=DROP_WITH_CONTENT,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=None,
        strip_comments=True,
    )
    # Wagtail's stored format writes embeds self-closed, and only expands them so.
    cleaned = re.sub(r"<embed([^>]*?)\s*/?>", r"<embed\1/>", cleaned)
    # An embed inside a paragraph is not valid rich text; lift it out.
    cleaned = re.sub(r"<p>\s*(<embed[^>]*>)\s*</p>", r"\1", cleaned)
    cleaned = re.sub(r"<a>(.*?)</a>", r"\1", cleaned, flags=re.S)  # links whose URL was unsafe
    cleaned = re.sub(r"(<(?:p|h2|h3|li|blockquote)>)\s+", r"\1", cleaned)
    cleaned = re.sub(r"\s+(</(?:p|h2|h3|li|blockquote)>)", r"\1", cleaned)
    cleaned = re.sub(r"(?:<br>\s*)+</p>", "</p>", cleaned)
    cleaned = re.sub(r"<p>\s*(?:<br>\s*)*</p>", "", cleaned)
    return cleaned.strip(), report
