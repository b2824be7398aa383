"""Admin registration of the OPD registry, and the rules that keep OPDs apart in the admin."""

from django.db.models import Q
from wagtail import hooks

from .access import is_platform_admin, own_section_paths
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
    visible = Q(live=True, has_unpublished_changes=False)
    for path in own_section_paths(user):
        visible |= Q(path__startswith=path)
    return pages.filter(visible)
