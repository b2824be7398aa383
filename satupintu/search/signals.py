"""Keeping the index in step with what is public, inside the same transaction.

Every way a thing becomes public or stops being so ends here: publishing and unpublishing
(including scheduled expiry, which unpublishes), deleting, moving (URLs change below the
page), privacy restrictions added or removed on a page or an ancestor, an OPD renamed, a
dataset verified or withdrawn, an app edited.
"""

from django.db.models.signals import post_delete, post_save
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from . import index
from .sources import apps, datasets, pages


def sync_page(page) -> None:
    found = pages.doc(page)
    if found:
        index.put(found)
    else:
        index.remove([pages.key(page.pk)])


def sync_subtree(page) -> None:
    """The page and everything below it: their URL, privacy or OPD may all have changed."""
    subtree = Page.objects.descendant_of(page, inclusive=True).type(*pages.indexed_models())
    docs, gone = [], []
    for descendant in subtree.specific().iterator(chunk_size=200):
        found = pages.doc(descendant)
        if found:
            docs.append(found)
        else:
            gone.append(pages.key(descendant.pk))
    index.put_many(docs)
    index.remove(gone)


def _published(sender, instance, **kwargs):
    sync_page(instance)


def _unpublished(sender, instance, **kwargs):
    index.remove([pages.key(instance.pk)])


def _page_deleted(sender, instance, **kwargs):
    index.remove([pages.key(instance.pk)])


def _moved(sender, instance, url_path_before=None, url_path_after=None, **kwargs):
    sync_subtree(instance)


def _restriction_changed(sender, instance, **kwargs):
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is not None:
        sync_subtree(page)


def _opd_saved(sender, instance, created, **kwargs):
    if created:
        return
    from satupintu.appcatalog.models import App
    from satupintu.datacatalog.models import PublishedDataset

    home = instance.home_page
    if home is not None:
        sync_subtree(home)
    index.put_many(apps.doc(app) for app in App.objects.filter(owner=instance))
    for published in PublishedDataset.objects.filter(opd=instance):
        _dataset_saved(PublishedDataset, published)


def _dataset_saved(sender, instance, **kwargs):
    found = datasets.doc(instance)
    if found:
        index.put(found)
    else:
        index.remove([datasets.key(instance.dataset_id)])


def _dataset_deleted(sender, instance, **kwargs):
    index.remove([datasets.key(instance.dataset_id)])


def _app_saved(sender, instance, **kwargs):
    index.put(apps.doc(instance))


def _app_deleted(sender, instance, **kwargs):
    index.remove([f"{apps.PREFIX}{instance.pk}"])


def connect():
    from satupintu.appcatalog.models import App
    from satupintu.datacatalog.models import PublishedDataset
    from satupintu.opd.models import OPD

    uid = "satupintu-search-"
    page_published.connect(_published, dispatch_uid=uid + "published")
    page_unpublished.connect(_unpublished, dispatch_uid=uid + "unpublished")
    post_page_move.connect(_moved, dispatch_uid=uid + "moved")
    for model in pages.indexed_models():
        post_delete.connect(_page_deleted, sender=model, dispatch_uid=uid + f"del-{model.__name__}")
    post_save.connect(_restriction_changed, sender=PageViewRestriction, dispatch_uid=uid + "vr")
    post_delete.connect(_restriction_changed, sender=PageViewRestriction, dispatch_uid=uid + "vrd")
    post_save.connect(_opd_saved, sender=OPD, dispatch_uid=uid + "opd")
    post_save.connect(_dataset_saved, sender=PublishedDataset, dispatch_uid=uid + "dataset")
    post_delete.connect(_dataset_deleted, sender=PublishedDataset, dispatch_uid=uid + "dataset-del")
    post_save.connect(_app_saved, sender=App, dispatch_uid=uid + "app")
    post_delete.connect(_app_deleted, sender=App, dispatch_uid=uid + "app-del")
