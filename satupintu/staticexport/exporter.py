"""Render the public site in-process and write it as files any web server can serve.

Why in-process: the copy is made while the main system may already be struggling, and from
the government network the server does not call itself over HTTP. Each page goes through
the whole Django stack (Django's test Client, addressed to the site's real host), so what
is written is exactly what an anonymous visitor would get, with the absolute URLs (canonical,
sitemap, feeds) of the real domain.

What may be copied is decided before anything is fetched, by URL name: Wagtail pages that are
live and under no view restriction, the catalog's public views (they read only the
published layer), the app catalogue, documents outside restricted collections (the project
also refuses documents no live page uses), feeds, sitemap.xml, robots.txt, and the static
files and images the copied pages reference. Everything else (sign-in, accounts, search,
admin, APIs) is "online only": links to it lead to one notice page.

A run writes into a new release directory next to the target, hard-linking the files the
previous release already had unchanged, and then swaps the target symlink to it: a run that
fails halfway leaves the served copy as it was.
"""

import fcntl
import hashlib
import json
import logging
import os
import re
import shutil
import tempfile
import time
from collections import deque
from contextlib import ExitStack
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from urllib.parse import quote, unquote, urljoin, urlsplit

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.staticfiles import finders
from django.core.files.storage import default_storage
from django.shortcuts import render
from django.test import Client, RequestFactory
from django.test.utils import override_settings
from django.urls import Resolver404, resolve
from django.utils import formats, timezone, translation

from . import links
from .context_processors import EXPORTING

PROCESSOR = "satupintu.staticexport.context_processors.static_copy"
# The banner's time, replaced when a file is written: a page whose content did not change
# keeps its file (and the time it was copied), so an unchanged site writes nothing.
TIME_MARK = "SATUPINTUSALINANWAKTU"
# Media prefixes the public pages reference (Wagtail images and renditions). Documents are
# served by a view that checks them; their files under MEDIA_ROOT are never copied directly.
MEDIA_PREFIXES = ("images/", "original_images/")
ALLOWED_VIEWS = {
    "datacatalog:index",
    "datacatalog:dataset",
    "datacatalog:resource",
    "datacatalog:download",
    "datacatalog:version_download",
    "appcatalog:catalogue",
    "appcatalog:detail",
    "sitemap",
    "robots_txt",
    "feed_rss",
    "feed_atom",
    "opd_feed_rss",
    "opd_feed_atom",
    "wagtaildocs_serve",
    "wagtail_serve",
}
HTML_TYPES = ("text/html", "application/xhtml+xml")
NOT_FOUND_PROBE = "/_salinan-statis-halaman-yang-tidak-ada/"
_FILENAME = re.compile(r"""filename\*?=(?:UTF-8'')?"?([^";]+)"?""", re.I)
KEEP_RELEASES = 2


class ExportError(Exception):
    pass


@dataclass
class Exported:
    href: str  # the link the copy uses (path, maybe with a file name added)
    relpath: str  # file inside the site's directory
    content: bytes | None = None
    source: Path | None = None  # a static or media file copied as it is
    html: bool = False
    base: str = "/"  # the URL it was fetched at: relative links are relative to it
    spooled: bool = False  # `source` is a download saved during this run: moved, not copied


@dataclass
class Redirect:
    location: str


@dataclass
class Unavailable:
    pass


@dataclass
class Missing:
    status: int


@dataclass
class Result:
    pages: int = 0
    files: int = 0
    written: int = 0
    unchanged: int = 0
    removed: int = 0
    bytes: int = 0
    seconds: float = 0.0
    missing: list = field(default_factory=list)
    release: Path | None = None


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


# A feed without items says it was updated "now": not a change of the feed.
_FEED_TIME = re.compile(rb"<(updated|lastBuildDate)>[^<]*</\1>")


def comparable(relpath: str, content: bytes) -> bytes:
    """The bytes whose hash tells whether a file changed."""
    if relpath.endswith((".rss", ".atom")):
        return _FEED_TIME.sub(b"", content, count=1)
    return content


class SiteCrawl:
    """Everything exportable of one Wagtail site, found by following links from its pages."""

    def __init__(self, site, *, english: bool, prefix: str, spool: Path):
        self.spool = spool  # downloads go to files here, not into memory (up to 200 MB each)
        self.site = site
        self.english = english
        self.prefix = prefix  # the site's directory inside the copy ("" for the default site)
        port = site.port or 80
        self.host = site.hostname if port in (80, 443) else f"{site.hostname}:{port}"
        self.secure = port == 443 or settings.SECURE_SSL_REDIRECT
        self.client = Client(raise_request_exception=False, HTTP_HOST=self.host)
        self.outcomes: dict[tuple[str, str], object] = {}
        self.queue: deque[tuple[str, str]] = deque()
        self.catalog_index = {"": "/data/"}  # the catalog list, per language prefix
        self.restricted: list[str] = []
        self.not_live: set[str] = set()

    # --- What to fetch -------------------------------------------------------------------

    def languages(self):
        return [("id", "")] + ([("en", "/en")] if self.english else [])

    def prepare(self):
        from wagtail.models import Page

        from satupintu.opd.models import OPD

        root = self.site.root_page
        tree = Page.objects.descendant_of(root, inclusive=True)
        pages = list(tree.live().public().specific(defer=True))
        # Restrictions apply to a page's subtree: every restricted page's URL is a prefix.
        hidden = list(tree.not_public())
        not_live = list(tree.not_live())
        for lang, lang_prefix in self.languages():
            with translation.override(lang):
                self.catalog_index[lang_prefix] = lang_prefix + "/data/"
                for page in hidden:
                    url = page.relative_url(self.site)
                    if url:
                        self.restricted.append(url)
                for page in not_live:
                    url = page.relative_url(self.site)
                    if url:
                        self.not_live.add(url)
                for page in pages:
                    url = page.relative_url(self.site)
                    if url:
                        self.enqueue(url)
                for path in ("/data/", "/aplikasi/"):
                    self.enqueue(lang_prefix + path)
        from satupintu.appcatalog.models import App
        from satupintu.datacatalog.models import PublishedDataset

        for name in PublishedDataset.objects.public().values_list("name", flat=True):
            for _lang, lang_prefix in self.languages():
                self.enqueue(f"{lang_prefix}/data/{name}/")
        for slug in App.objects.values_list("slug", flat=True):
            self.enqueue(f"/aplikasi/{slug}/")
        for path in ("/sitemap.xml", "/robots.txt", "/feeds/berita.rss", "/feeds/berita.atom"):
            self.enqueue(path)
        for slug in OPD.objects.filter(home_page__live=True).values_list("slug", flat=True):
            self.enqueue(f"/feeds/{slug}/berita.rss")
            self.enqueue(f"/feeds/{slug}/berita.atom")

    def enqueue(self, url: str, query: str = ""):
        key = (url, query)
        if key not in self.outcomes:
            self.outcomes[key] = None
            self.queue.append(key)

    def key_of(self, url: str, base: str = "/") -> tuple[str, str] | None:
        """The (path, query) a link of the copy stands for, or None if it is not ours."""
        if url.startswith("#") or not url:
            return None
        parts = urlsplit(urljoin(base, url))
        if parts.scheme and parts.scheme not in ("http", "https"):
            return None
        if parts.netloc and parts.netloc.lower() != self.host.lower():
            return None
        if not parts.path.startswith("/") or parts.path.startswith("//"):
            return None
        query = ""
        if parts.query:
            lang_prefix = "/en" if parts.path.startswith("/en/") else ""
            mapped = links.static_query(
                parts.path, parts.query, self.catalog_index.get(lang_prefix, "")
            )
            query = mapped[1] if mapped else ""
        return parts.path, query

    def classify(self, path: str):
        """One of "static", "media", "page" (fetch it), or an outcome known without fetching."""
        if path.startswith(settings.STATIC_URL):
            return "static"
        if path.startswith(settings.MEDIA_URL):
            name = unquote(path[len(settings.MEDIA_URL) :])
            return "media" if name.startswith(MEDIA_PREFIXES) else Unavailable()
        lang = "id"
        if path == "/en" or path.startswith("/en/"):
            if not self.english:
                return Unavailable()
            lang = "en"
        if any(path.startswith(p) for p in self.restricted) or path in self.not_live:
            return Unavailable()
        try:
            with translation.override(lang):
                match = resolve(path)
        except Resolver404:
            return Missing(404)
        name = match.view_name
        if name == "appcatalog:launch":
            return self._launch(match.kwargs["slug"])
        if name not in ALLOWED_VIEWS:
            return Unavailable()
        if name == "wagtaildocs_serve" and self._restricted_document(match.args[0]):
            return Unavailable()
        return "page"

    def _launch(self, slug):
        """The launcher counts a use and redirects: the copy links the app directly instead."""
        from satupintu.appcatalog.models import App

        app = App.objects.filter(slug=slug).first()
        if app is None:
            return Missing(404)
        if not app.is_launchable:
            return Redirect(f"/aplikasi/{app.slug}/")
        return Redirect(app.url)

    @staticmethod
    def _restricted_document(document_id) -> bool:
        from wagtail.documents import get_document_model
        from wagtail.models import CollectionViewRestriction

        document = get_document_model().objects.select_related("collection").filter(pk=document_id)
        document = document.first()
        if document is None:
            return True
        return CollectionViewRestriction.objects.filter(
            collection__in=document.collection.get_ancestors(inclusive=True)
        ).exists()

    # --- Fetching ------------------------------------------------------------------------

    def crawl(self):
        while self.queue:
            path, query = self.queue.popleft()
            if self.outcomes.get((path, query)) is None:  # the copy's own pages are set already
                self.outcomes[(path, query)] = self.fetch(path, query)

    def fetch(self, path: str, query: str):
        kind = self.classify(path)
        if kind == "static":
            return self._static(path)
        if kind == "media":
            return self._media(path)
        if kind != "page":
            return kind
        lang = "en" if path == "/en" or path.startswith("/en/") else "id"
        with translation.override(lang):
            response = self.client.get(path + (f"?{query}" if query else ""), secure=self.secure)
        # Read to the end: the test Client then closes the response itself without closing
        # the database connection (a second close() would, through request_finished).
        spooled = None
        if response.streaming:
            spooled = self._spool(response)
            body = b""
        else:
            body = bytes(response.content)
        if response.status_code in (301, 302, 303, 307, 308) and response.get("Location"):
            location = response["Location"]
            key = self.key_of(location, path)
            if key:
                self.enqueue(*key)
            return Redirect(urljoin(path, location))
        if response.status_code != 200:
            if spooled:
                spooled.unlink()
            return Missing(response.status_code)
        content_type = response.get("Content-Type", "").split(";")[0].strip().lower()
        href, relpath = self._place(path, query, content_type, response)
        if spooled:
            return Exported(href, relpath, source=spooled, spooled=True)
        if content_type in HTML_TYPES:
            self.discover(body.decode("utf-8", errors="replace"), path)
            return Exported(href, relpath, content=body, html=True, base=path)
        return Exported(href, relpath, content=body)

    def _spool(self, response) -> Path:
        self.spool.mkdir(exist_ok=True)
        descriptor, name = tempfile.mkstemp(dir=self.spool)
        with os.fdopen(descriptor, "wb") as out:
            for chunk in response.streaming_content:
                out.write(chunk)
        return Path(name)

    def _place(self, path, query, content_type, response):
        """(link, file) of a fetched URL: lists with a query get a path of their own,
        downloads at a path ending in / get their file name (the server then knows the type
        by the extension)."""
        if query:
            mapped = links.static_query(
                path, query, self.catalog_index.get("/en" if path.startswith("/en/") else "", "")
            )
            path = mapped[0]
        if content_type in HTML_TYPES:
            if path.endswith("/"):
                return path, unquote(path).lstrip("/") + "index.html"
            if path.endswith(".html"):
                return path, unquote(path).lstrip("/")
            return path, unquote(path).lstrip("/") + "/index.html"
        if path.endswith("/"):
            name = self._filename(response)
            return path + quote(name), unquote(path).lstrip("/") + name
        return path, unquote(path).lstrip("/")

    @staticmethod
    def _filename(response) -> str:
        match = _FILENAME.search(response.get("Content-Disposition", ""))
        name = unquote(match.group(1)) if match else ""
        name = re.sub(r"[\x00-\x1f/\\]", "", name).strip().lstrip(".")
        return name[:150] or "berkas"

    def discover(self, text: str, base: str):
        for url in links.links_of(text):
            key = self.key_of(url, base)
            if key:
                self.enqueue(*key)

    def _static(self, path):
        name = unquote(path[len(settings.STATIC_URL) :])
        if not name or ".." in name.split("/"):
            return Missing(404)
        found = None
        if settings.STATIC_ROOT and (Path(settings.STATIC_ROOT) / name).is_file():
            found = Path(settings.STATIC_ROOT) / name
        else:
            located = finders.find(name)
            found = Path(located) if located else None
        if found is None:
            return Missing(404)
        if found.suffix == ".css":
            # Fonts and images a stylesheet loads are found only in the stylesheet.
            base = path.rsplit("/", 1)[0] + "/"
            text = found.read_text(encoding="utf-8", errors="replace")
            for ref in links.CSS_URL.findall(text):
                if ref.startswith(("data:", "http:", "https:", "#")):
                    continue
                target = urlsplit(ref if ref.startswith("/") else base + ref).path
                self.enqueue(os.path.normpath(target).replace(os.sep, "/"))
        return Exported(path, unquote(path).lstrip("/"), source=found)

    def _media(self, path):
        name = unquote(path[len(settings.MEDIA_URL) :])
        if ".." in name.split("/") or not default_storage.exists(name):
            return Missing(404)
        return Exported(path, unquote(path).lstrip("/"), source=Path(default_storage.path(name)))

    # --- The pages of the copy itself -----------------------------------------------------

    def extra_pages(self, context):
        """The notice page that online-only links lead to, and the copy's 404 page."""
        factory = RequestFactory(HTTP_HOST=self.host)
        for lang, lang_prefix in self.languages():
            path = lang_prefix + links.UNAVAILABLE_PATH
            with translation.override(lang):
                request = factory.get(path, secure=self.secure)
                request.LANGUAGE_CODE = lang
                request.user = AnonymousUser()
                request.session = {}
                body = render(request, "staticexport/unavailable.html", context).content
            self.outcomes[(path, "")] = Exported(
                path, path.lstrip("/") + "index.html", content=body, html=True, base=path
            )
            self.discover(body.decode(), path)
        request_log = logging.getLogger("django.request")
        level = request_log.level
        request_log.setLevel(logging.ERROR)  # the probe's 404 is expected: not worth a warning
        try:
            response = self.client.get(NOT_FOUND_PROBE, secure=self.secure)
        finally:
            request_log.setLevel(level)
        if response.status_code == 404 and response.get("Content-Type", "").startswith("text/html"):
            self.outcomes[("/404.html", "")] = Exported(
                "/404.html", "404.html", content=bytes(response.content), html=True
            )
            # Its language links name the probed path: in the copy they lead to the page itself.
            for _lang, lang_prefix in self.languages():
                self.outcomes[(lang_prefix + NOT_FOUND_PROBE, "")] = Redirect("/404.html")
            self.discover(response.content.decode("utf-8", errors="replace"), "/")

    # --- Links of the copy ------------------------------------------------------------------

    def href_for(self, url: str, base: str = "/") -> str | None:
        """What a link becomes in the copy (None: leave it as it is)."""
        key = self.key_of(url, base)
        parts = urlsplit(urljoin(base, url))
        if key is None:
            return None
        fragment = f"#{parts.fragment}" if parts.fragment else ""
        outcome = self.outcomes.get(key)
        for _hop in range(6):
            if not isinstance(outcome, Redirect):
                break
            target = outcome.location
            next_key = self.key_of(target)
            if next_key is None:
                return target  # to an external site (an app's address): link it directly
            key, outcome = next_key, self.outcomes.get(next_key)
        if isinstance(outcome, Exported):
            href = outcome.href
        elif isinstance(outcome, Unavailable):
            if parts.netloc:
                return None  # metadata for crawlers (hreflang, canonical): the real address
            english = self.english and (base == "/en" or base.startswith("/en/"))
            href = ("/en" if english else "") + links.UNAVAILABLE_PATH
        else:
            return None  # missing: left as it is, and --check reports it
        if parts.netloc:
            return f"{parts.scheme}://{parts.netloc}{href}{fragment}"
        return href + fragment

    def files(self):
        for outcome in self.outcomes.values():
            if isinstance(outcome, Exported):
                if outcome.html:
                    text = outcome.content.decode("utf-8", errors="replace")
                    outcome.content = links.rewrite(
                        text, partial(self.href_for, base=outcome.base)
                    ).encode()
                yield outcome

    def missing(self):
        return [
            (path + (f"?{query}" if query else ""), outcome.status)
            for (path, query), outcome in self.outcomes.items()
            if isinstance(outcome, Missing) and path != NOT_FOUND_PROBE
        ]


class Exporter:
    def __init__(self, target: Path, *, full=False, english=False):
        self.target = Path(target).absolute()
        self.full = full
        self.english = english
        self.releases = self.target.parent / f".{self.target.name}.rilis"

    def previous_release(self) -> tuple[Path | None, dict]:
        if not self.target.exists() and not self.target.is_symlink():
            return None, {}
        if not self.target.is_symlink():
            raise ExportError(
                f"{self.target} ada dan bukan salinan statis (symlink ke {self.releases}/…)."
            )
        current = self.target.resolve()
        manifest = current / links.MANIFEST_NAME
        if not manifest.is_file():
            return current, {}
        return current, json.loads(manifest.read_text()).get("files", {})

    def run(self) -> Result:
        started = time.monotonic()
        result = Result()
        previous, old = self.previous_release()
        if self.full:
            old = {}
        now = timezone.now()
        stamp = now.strftime("%Y%m%dT%H%M%S%f")
        self.releases.mkdir(parents=True, exist_ok=True)
        with (self.releases / ".kunci").open("w") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError as error:
                raise ExportError(f"Ekspor lain ke {self.target} sedang berjalan.") from error
            staging = self.releases / stamp
            staging.mkdir()
            spool = self.releases / f".unduhan-{stamp}"
            try:
                entries = self.render(now, spool)
                new = self.write(staging, previous, old, entries, now, result)
                self.finish(staging, new, now, result)
            except BaseException:
                shutil.rmtree(staging, ignore_errors=True)
                raise
            finally:
                shutil.rmtree(spool, ignore_errors=True)
        result.seconds = time.monotonic() - started
        return result

    def render(self, now, spool):
        from wagtail.models import Site

        sites = sorted(
            Site.objects.select_related("root_page"), key=lambda s: not s.is_default_site
        )
        if not sites:
            raise ExportError("Tidak ada situs Wagtail.")
        with ExitStack() as stack:
            stack.enter_context(self.rendering_settings(sites))
            stack.enter_context(translation.override(settings.LANGUAGE_CODE))
            entries, missing = [], []
            for site in sites:
                prefix = "" if site is sites[0] else f"{links.SITES_DIR}/{site.hostname}/"
                crawl = SiteCrawl(site, english=self.english, prefix=prefix, spool=spool)
                token = EXPORTING.set({"exported_at": TIME_MARK, "english": self.english})
                try:
                    crawl.prepare()
                    crawl.crawl()
                    crawl.extra_pages({})
                    crawl.crawl()
                finally:
                    EXPORTING.reset(token)
                for item in crawl.files():
                    entries.append((prefix, item))
                missing.extend(crawl.missing())
        self.missing = missing
        return entries

    @staticmethod
    def rendering_settings(sites):
        """The template flag's context processor, no whole-page cache (a cached page has no
        banner, and a page rendered with the banner must never reach the cache), the sites'
        hosts accepted (the copy carries their absolute URLs), and no access-log line per
        rendered page (hundreds per run, every 15 minutes, none of them a visitor's request):
        the Client's middleware is built inside this override, on its first request."""
        templates = [dict(engine) for engine in settings.TEMPLATES]
        for engine in templates:
            options = dict(engine.get("OPTIONS", {}))
            processors = list(options.get("context_processors", []))
            if engine["BACKEND"].endswith("DjangoTemplates") and PROCESSOR not in processors:
                processors.append(PROCESSOR)
            options["context_processors"] = processors
            engine["OPTIONS"] = options
        hosts = list(settings.ALLOWED_HOSTS)
        hosts += [s.hostname for s in sites if s.hostname not in hosts and "*" not in hosts]
        return override_settings(
            TEMPLATES=templates,
            WAGTAIL_CACHE=False,
            ALLOWED_HOSTS=hosts,
            SATUPINTU_ACCESS_LOG=False,
        )

    def write(self, staging, previous, old, entries, now, result):
        local = timezone.localtime(now)
        when = {}
        new = {}
        for prefix, item in entries:
            relpath = prefix + item.relpath
            if relpath in new or relpath == links.MANIFEST_NAME:
                continue
            dest = staging / relpath
            if item.source is not None:
                size = item.source.stat().st_size
                digest = sha256_file(item.source)
                before = old.get(relpath)
                same = before and before["size"] == size and before["sha256"] == digest
            else:
                size = len(item.content)
                digest = hashlib.sha256(comparable(relpath, item.content)).hexdigest()
                before = old.get(relpath)
                same = before and before["sha256"] == digest
            new[relpath] = {"url": item.href, "sha256": digest, "size": size}
            if item.html:
                result.pages += 1
            if same and previous is not None and (previous / relpath).is_file():
                os.makedirs(dest.parent, exist_ok=True)
                os.link(previous / relpath, dest)
                new[relpath]["written"] = before.get("written", "")
                result.unchanged += 1
                result.bytes += (previous / relpath).stat().st_size
                continue
            dest.parent.mkdir(parents=True, exist_ok=True)
            if item.source is not None:
                if item.spooled:
                    os.replace(item.source, dest)
                else:
                    shutil.copyfile(item.source, dest)
            else:
                content = item.content
                if item.html:
                    lang = "en" if item.href.startswith("/en/") else "id"
                    if lang not in when:
                        with translation.override(lang):
                            when[lang] = formats.date_format(local, "j F Y, H:i T")
                    content = content.replace(TIME_MARK.encode(), when[lang].encode())
                dest.write_bytes(content)
            new[relpath]["written"] = now.isoformat()
            result.written += 1
            result.bytes += dest.stat().st_size
        result.removed = len(set(old) - set(new))
        if self.full and previous is not None:
            previous_manifest = previous / links.MANIFEST_NAME
            if previous_manifest.is_file():
                before = json.loads(previous_manifest.read_text()).get("files", {})
                result.removed = len(set(before) - set(new))
        result.files = len(new)
        result.missing = self.missing
        return new

    def finish(self, staging, new, now, result):
        manifest = {
            "version": 1,
            "exported_at": now.isoformat(),
            "english": self.english,
            "files": new,
        }
        (staging / links.MANIFEST_NAME).write_text(json.dumps(manifest, indent=1, sort_keys=True))
        link = self.target.parent / f".{self.target.name}.baru"
        if link.is_symlink() or link.exists():
            link.unlink()
        os.symlink(os.path.relpath(staging, self.target.parent), link)
        os.replace(link, self.target)  # the swap: one rename, atomic on POSIX
        result.release = staging
        releases = sorted(
            p for p in self.releases.iterdir() if p.is_dir() and not p.name.startswith(".")
        )
        for old in releases[:-KEEP_RELEASES]:
            if old != staging:
                shutil.rmtree(old, ignore_errors=True)
