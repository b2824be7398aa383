"""Reading and rewriting the links of exported HTML, and checking a finished copy.

A static server answers a path and nothing else: it ignores query strings and runs no code.
So every link the copy keeps must name a file in it. The list pages that exist only with a
query string (`?halaman=2`, a catalog filter) get a path of their own (`halaman/2/`,
`topik/kesehatan/`); anything that needs the live system is pointed at one notice page.
"""

import html
import re
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlencode, urljoin, urlsplit

# href/src/poster of any element, and srcset lists (image renditions).
LINK_ATTR = re.compile(r'(\s(?:href|src|poster)\s*=\s*)"([^"]*)"', re.I)
SRCSET_ATTR = re.compile(r'(\ssrcset\s*=\s*)"([^"]*)"', re.I)
FORM_TAG = re.compile(r"<form\b", re.I)
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)""", re.I)

PAGE_PARAM = "halaman"
# Filters of the data catalog's list that get a static path (GET name -> path segment).
CATALOG_FACETS = ("organisasi", "topik", "tag", "format")
UNAVAILABLE_PATH = "/_salinan/tidak-tersedia/"
MANIFEST_NAME = ".salinan-manifest.json"
# Sites other than the default one are copied to SITES_DIR/<hostname>/ (their server's root).
SITES_DIR = "_situs"
_SAFE_SEGMENT = re.compile(r"[A-Za-z0-9_.-]")


def segment(value: str) -> str:
    """A query value as one path segment nginx (or any server) maps to the same file name:
    no percent escapes (servers decode them), no slash, reversible enough to stay unique."""
    out = []
    for char in value:
        if _SAFE_SEGMENT.fullmatch(char):
            out.append(char)
        else:
            out.extend(f"~{byte:02X}" for byte in char.encode())
    text = "".join(out)
    return text if text not in ("", ".", "..") else "~" + text


def static_query(path: str, query: str, catalog_index: str) -> tuple[str, str] | None:
    """(static path, query to fetch it with) for a link with a query string, or None when the
    query only changes the view of a page (sorting, a table preview's paging): the link then
    goes to the page itself."""
    params = [(k, v) for k, v in parse_qsl(query) if v]
    number = next((v for k, v in params if k == PAGE_PARAM), "")
    facets = [(k, v) for k, v in params if k in CATALOG_FACETS] if path == catalog_index else []
    fetch = []
    static = path
    if facets:
        # A facet link on a filtered list adds one more facet; the copy keeps the one added
        # (the last): each facet value gets one static list instead of every combination.
        name, value = facets[-1]
        static += f"{name}/{segment(value)}/"
        fetch.append((name, value))
    if number.isdigit() and int(number) > 1:
        static += f"{PAGE_PARAM}/{int(number)}/"
        fetch.append((PAGE_PARAM, number))
    if not fetch:
        return None
    return static, urlencode(fetch)


def links_of(text: str) -> list[str]:
    """Every URL in href/src/poster/srcset attributes, entity-decoded."""
    found = [html.unescape(m.group(2)) for m in LINK_ATTR.finditer(text)]
    for match in SRCSET_ATTR.finditer(text):
        for candidate in html.unescape(match.group(2)).split(","):
            parts = candidate.split()
            if parts:
                found.append(parts[0])
    return found


def rewrite(text: str, mapper) -> str:
    """Replace each link by mapper(url) (None keeps it) and disarm forms: a form posts to a
    system that is down, so it is hidden (the base template hides its own; this covers the
    filter and search forms of the other templates)."""

    def one(url: str) -> str:
        new = mapper(url)
        return url if new is None else new

    def attr(match):
        url = html.unescape(match.group(2))
        return f'{match.group(1)}"{html.escape(one(url), quote=True)}"'

    def srcset(match):
        items = []
        for candidate in html.unescape(match.group(2)).split(","):
            parts = candidate.split()
            if parts:
                items.append(" ".join([one(parts[0]), *parts[1:]]))
        return f'{match.group(1)}"{html.escape(", ".join(items), quote=True)}"'

    text = LINK_ATTR.sub(attr, text)
    text = SRCSET_ATTR.sub(srcset, text)
    return FORM_TAG.sub("<form hidden", text)


def local_file(root: Path, path: str) -> Path | None:
    """The file a static server answers for `path` (try_files $uri $uri/index.html), or None
    when the path could leave the root."""
    decoded = unquote(path)
    parts = [p for p in decoded.split("/") if p]
    if any(p in (".", "..") or "\x00" in p or "\\" in p for p in parts):
        return None
    target = root.joinpath(*parts)
    if decoded.endswith("/") or not parts:
        return target / "index.html"
    return target


def check(root: Path) -> list[tuple[str, str]]:
    """(page, link) of every internal link in the copy's HTML that no file answers. A link
    with a query string is broken too: a static server ignores the query and would answer
    some other page."""
    broken = []
    for page in sorted(root.rglob("*.html")):
        text = page.read_text(encoding="utf-8", errors="replace")
        site_root = root
        parts = page.relative_to(root).parts
        if parts[0] == SITES_DIR and len(parts) > 2:
            site_root = root / SITES_DIR / parts[1]  # another Wagtail site: its own root
        relpath = page.relative_to(site_root).as_posix()
        base = "/" + (relpath[: -len("index.html")] if relpath.endswith("index.html") else relpath)
        for url in links_of(text):
            if not url or url.startswith("#"):
                continue
            parts = urlsplit(urljoin(base, url))
            if parts.scheme not in ("", "http", "https") or parts.netloc:
                continue
            target = local_file(site_root, parts.path)
            if (
                parts.query
                or target is None
                or not (target.is_file() or (target.parent / target.name / "index.html").is_file())
            ):
                broken.append((page.relative_to(root).as_posix(), url))
    return broken
