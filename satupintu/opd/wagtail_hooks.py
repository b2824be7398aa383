"""Admin registration of the OPD registry, and the rules that keep OPDs apart in the admin."""

from django.db.models import Q
from wagtail import hooks
from wagtail.models import Page

from .access import is_platform_admin, own_section_paths
from .admin_guards import ScopedDocumentsAPIViewSet, ScopedImagesAPIViewSet
from .views import OPDViewSet


@hooks.register("register_admin_viewset")
def register_opd_viewset():
    return OPDViewSet("opd")


@hooks.register("construct_page_chooser_queryset")
def only_published_pages_of_other_opds(pages, request):
    """Linking to another OPD's published page is fine; seeing its drafts is not.

    Wagtail's page chooser lists the whole tree by design (reference/wagtail.md).
    """
    user = request.user
    if is_platform_admin(user):
        return pages
    own = Q()
    for path in own_section_paths(user):
        own |= Q(path__startswith=path)
    # Expressed on `id`, which the search index can filter on, so the chooser's search works.
    hidden = Page.objects.filter(Q(live=False) | Q(has_unpublished_changes=True))
    if own:
        hidden = hidden.exclude(own)
    return pages.exclude(id__in=list(hidden.values_list("id", flat=True)))


@hooks.register("construct_admin_api", order=100)
def scope_media_api_to_own_collections(router):
    """Replace Wagtail's image/document admin API endpoints (registered with default order)."""
    router.register_endpoint("images", ScopedImagesAPIViewSet)
    router.register_endpoint("documents", ScopedDocumentsAPIViewSet)


KOMINFO_REPORTS = {"workflows", "workflow-tasks", "page-types-usage"}


@hooks.register("construct_reports_menu")
def hide_site_wide_reports(request, menu_items):
    if not is_platform_admin(request.user):
        menu_items[:] = [item for item in menu_items if item.name not in KOMINFO_REPORTS]
