"""Purging nginx's micro-cache when something is published.

nginx keeps anonymous pages for a few seconds (deploy/nginx/). A publish, unpublish, move or
delete purges the page itself in both interface languages, its ancestors (the OPD's home and
index pages list it) and the regency home, so the author and the public see the change at
once; other pages that list it (search results, feeds) are at most the micro-cache's lifetime
old. A verified or withdrawn dataset purges its catalog pages the same way.

Purges run after the transaction commits (before it, a visitor could put the old page back
into the cache) through Wagtail's front-end cache with `NginxPurgeBackend`, which is Wagtail's
HTTP backend with a timeout (a hung nginx must not hang a publish) and which takes nginx's
"404: that page was not cached" as success rather than an error.
"""

import logging
from urllib.error import HTTPError, URLError
from urllib.parse import urlsplit, urlunsplit
from urllib.request import urlopen

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.urls import reverse
from django.utils import translation
from wagtail.contrib.frontend_cache.backends.http import HTTPBackend, PurgeRequest
from wagtail.contrib.frontend_cache.utils import purge_urls_from_cache
from wagtail.signals import page_published, page_unpublished, post_page_move

logger = logging.getLogger(__name__)

TIMEOUT = 2


class NginxPurgeBackend(HTTPBackend):
    def purge(self, url):
        parts = urlsplit(url)
        host = parts.hostname + (f":{parts.port}" if parts.port else "")
        request = PurgeRequest(
            url=urlunsplit([self.cache_scheme, self.cache_netloc, parts.path, parts.query, ""]),
            headers={"Host": host, "User-Agent": "satupintu-purge"},
        )
        try:
            urlopen(request, timeout=TIMEOUT)  # noqa: S310 (our own nginx, from settings)
        except HTTPError as error:
            if error.code != 404:  # 404: nothing was cached under that key
                logger.warning("Purge of %s failed: HTTP %s", parts.path, error.code)
        except (URLError, OSError) as error:
            logger.warning("Purge of %s failed: %s", parts.path, type(error).__name__)


def _variants(root_url: str, path: str) -> list[str]:
    """The Indonesian URL and its English twin (/en/...), as i18n_patterns serves both."""
    urls = [root_url + path]
    for code, _name in settings.LANGUAGES:
        if code != settings.LANGUAGE_CODE:
            urls.append(f"{root_url}/{code}{path}")
    return urls


def page_urls(page) -> list[str]:
    urls = []
    for each in [*page.get_ancestors().filter(depth__gt=1), page]:
        parts = each.get_url_parts()
        if parts is None:
            continue
        _site_id, root_url, path = parts
        urls.extend(_variants(root_url, path))
    return list(dict.fromkeys(urls))


def _site_root_url() -> str:
    from wagtail.models import Site

    site = Site.objects.filter(is_default_site=True).first()
    return site.root_url if site else ""


def dataset_urls(name: str) -> list[str]:
    root = _site_root_url()
    with translation.override(settings.LANGUAGE_CODE):
        paths = [reverse("datacatalog:index"), reverse("datacatalog:dataset", args=[name]), "/"]
    return [url for path in paths for url in _variants(root, path)]


def purge(urls):
    if not urls or not getattr(settings, "WAGTAILFRONTENDCACHE", None):
        return
    transaction.on_commit(lambda: purge_urls_from_cache(urls))


def _page_changed(sender, instance, **kwargs):
    purge(page_urls(instance))


def _page_moved(sender, instance, url_path_before=None, **kwargs):
    purge(page_urls(instance))


def _dataset_changed(sender, instance, **kwargs):
    purge(dataset_urls(instance.name))


def connect():
    from wagtail.models import Page

    from satupintu.datacatalog.models import PublishedDataset

    page_published.connect(_page_changed, dispatch_uid="satupintu-frontend-published")
    page_unpublished.connect(_page_changed, dispatch_uid="satupintu-frontend-unpublished")
    post_page_move.connect(_page_moved, dispatch_uid="satupintu-frontend-moved")
    post_delete.connect(_page_changed, sender=Page, dispatch_uid="satupintu-frontend-deleted")
    post_save.connect(_dataset_changed, sender=PublishedDataset, dispatch_uid="satupintu-fe-ds")
    post_delete.connect(
        _dataset_changed, sender=PublishedDataset, dispatch_uid="satupintu-fe-ds-del"
    )
