"""Keep each page's `opd` right when Kominfo moves pages between OPD sections."""

from django.apps import apps
from wagtail.signals import post_page_move


def _owned_page_models():
    from .models import OPDOwnedPage

    return [
        model
        for model in apps.get_models()
        if issubclass(model, OPDOwnedPage) and not model._meta.abstract
    ]


def reassign_moved_subtree(sender, instance, url_path_before, url_path_after, **kwargs):
    if url_path_before == url_path_after:
        return
    from .models import OPDHomePage

    page = instance.specific
    home = OPDHomePage.objects.ancestor_of(page, inclusive=True).first()
    opd_id = home.opd_id if home else None
    for model in _owned_page_models():
        model.objects.filter(path__startswith=page.path).exclude(opd_id=opd_id).update(
            opd_id=opd_id
        )


def connect():
    post_page_move.connect(reassign_moved_subtree, dispatch_uid="satupintu-opd-moved")
