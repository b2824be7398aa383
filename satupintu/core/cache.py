"""Purge the public page cache whenever what a visitor sees may have changed.

The regency home aggregates every OPD, so almost any publication changes it; clearing the
whole page cache on each publish is therefore both simplest and correct, and publishes are
rare next to reads (a few hundred a day against a city's page views).
"""

from django.core.cache import caches
from django.db.models.signals import post_delete, post_save
from wagtail.signals import page_published, page_unpublished, post_page_move

PAGE_CACHE = "pages"


def _purge(**kwargs):
    # The alias holds whole pages (wagtail-cache), the home lists fragment and the URL maps
    # of the templates; it lives in a Redis database of its own, so clearing it is cheap
    # and touches nothing else.
    caches[PAGE_CACHE].clear()


def connect():
    from wagtail.models import Page

    from satupintu.datacatalog.models import PublishedDataset
    from satupintu.opd.models import OPD
    from satupintu.regency.models import RegencySettings

    page_published.connect(_purge, dispatch_uid="satupintu-purge-published")
    page_unpublished.connect(_purge, dispatch_uid="satupintu-purge-unpublished")
    post_page_move.connect(_purge, dispatch_uid="satupintu-purge-moved")
    post_delete.connect(_purge, sender=Page, dispatch_uid="satupintu-purge-deleted")
    # A dataset verified, re-verified or withdrawn changes the catalog pages and the machine
    # endpoints (CKAN API, DCAT, data.json), which the page cache also holds.
    for model in (OPD, RegencySettings, PublishedDataset):
        post_save.connect(_purge, sender=model, dispatch_uid=f"satupintu-purge-{model.__name__}")
        post_delete.connect(
            _purge, sender=model, dispatch_uid=f"satupintu-purge-del-{model.__name__}"
        )
