"""Closing the doors Wagtail leaves open between OPDs in its admin.

Wagtail scopes page editing by the tree, but some views fetch any object by id or list the
whole site (reference/wagtail.md; found by tests/test_isolation.py, which walks every admin
URL as another OPD's user). These wrappers take the same URLs, ahead of Wagtail's own, and
answer 404 when the object belongs to an OPD the user does not work for. Kominfo (superusers
and the Kominfo group) passes through unchanged.
"""

from functools import wraps

from django.http import Http404
from django.urls import URLPattern, URLResolver, path
from wagtail.admin.auth import require_admin_access
from wagtail.admin.views.reports.page_types_usage import PageTypesUsageReportView
from wagtail.admin.views.reports.workflows import WorkflowTasksView, WorkflowView
from wagtail.documents.api.admin.views import DocumentsAdminAPIViewSet
from wagtail.documents.permissions import permission_policy as document_policy
from wagtail.images.api.admin.views import ImagesAdminAPIViewSet
from wagtail.images.permissions import permission_policy as image_policy
from wagtail.models import Page
from wagtail.utils.urlpatterns import decorate_urlpatterns

from .access import is_platform_admin, own_section_paths


def _in_own_sections(user, page) -> bool:
    return any(page.path.startswith(p) for p in own_section_paths(user))


def _publicly_visible(page) -> bool:
    return page.live and not page.has_unpublished_changes


def guard_pages(view, *page_kwargs, allow_published=False):
    """404 unless every page named in the URL is in the user's sections (or, for read-only
    views such as the chooser, published without pending changes)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and not is_platform_admin(user):
            for name in page_kwargs:
                page = Page.objects.filter(pk=kwargs[name]).first()
                if page is None:
                    raise Http404
                if not (
                    _in_own_sections(user, page) or (allow_published and _publicly_visible(page))
                ):
                    raise Http404
        return view(request, *args, **kwargs)

    return wrapped


# URL arguments that name a page, and the chooser views that may browse published sections.
PAGE_KWARGS = ("page_id", "parent_page_id", "page_to_move_id", "destination_id", "page_pk")
BROWSE_ONLY = {"wagtailadmin_choose_page_child"}
# Media named by id must sit in a collection the user has some right on.
MEDIA_KWARGS = {"image_id": "image", "document_id": "document", "doc_id": "document"}
# Whole admin areas only Kominfo uses.
KOMINFO_NAMESPACES = {"wagtailadmin_workflows"}


def guard_media(view, kwarg, kind):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and not is_platform_admin(user):
            policy = image_policy if kind == "image" else document_policy
            allowed = policy.instances_user_has_any_permission_for(
                user, ["add", "change", "choose", "delete"]
            )
            if not allowed.filter(pk=kwargs[kwarg]).exists():
                raise Http404
        return view(request, *args, **kwargs)

    return wrapped


def guard_admin_urls(patterns, namespace=""):
    """Wrap, in place, every admin URL that names a page or a medium, and Kominfo's areas.

    Done on the URL patterns rather than view by view: Wagtail's page views each check
    permissions, but several tell the title of the page in a message before refusing (the
    workflow action views do), some chooser views do not check at all, and new views arrive
    with each release.
    """
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            guard_admin_urls(pattern.url_patterns, pattern.namespace or namespace)
            continue
        if not isinstance(pattern, URLPattern) or getattr(pattern.callback, "_opd_guarded", False):
            continue
        callback = pattern.callback
        args = list(pattern.pattern.regex.groupindex)
        pages = [k for k in args if k in PAGE_KWARGS]
        if pages:
            callback = guard_pages(callback, *pages, allow_published=pattern.name in BROWSE_ONLY)
        for kwarg in args:
            if kwarg in MEDIA_KWARGS:
                callback = guard_media(callback, kwarg, MEDIA_KWARGS[kwarg])
        if namespace in KOMINFO_NAMESPACES:
            callback = kominfo_only(callback)
        callback._opd_guarded = True
        pattern.callback = callback
    return patterns


def kominfo_only(view):
    """Reports over the whole site are for Kominfo; each OPD has its pages' own history."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.user.is_authenticated and not is_platform_admin(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


class KominfoOnlyViewSetMixin:
    """For a ModelViewSet that only Kominfo manages (categories, client policies, report
    types): every URL it registers, including any a later Wagtail release adds, answers 404
    to everyone else. Model permissions alone would not hide the URLs."""

    def get_urlpatterns(self):
        patterns = super().get_urlpatterns()
        for pattern in patterns:
            pattern.callback = kominfo_only(pattern.callback)
        return patterns


class CollectionScopedMixin:
    """The admin API answers only for images/documents in collections the user may choose."""

    policy = None

    def get_queryset(self):
        queryset = super().get_queryset()
        user = self.request.user
        if is_platform_admin(user):
            return queryset
        allowed = self.policy.collections_user_has_any_permission_for(user, ["choose", "change"])
        return queryset.filter(collection__in=allowed)


class ScopedImagesAPIViewSet(CollectionScopedMixin, ImagesAdminAPIViewSet):
    policy = image_policy


class ScopedDocumentsAPIViewSet(CollectionScopedMixin, DocumentsAdminAPIViewSet):
    policy = document_policy


_patterns = [
    path("reports/workflow/", kominfo_only(WorkflowView.as_view())),
    path("reports/workflow/results/", kominfo_only(WorkflowView.as_view(results_only=True))),
    path("reports/workflow_tasks/", kominfo_only(WorkflowTasksView.as_view())),
    path(
        "reports/workflow_tasks/results/",
        kominfo_only(WorkflowTasksView.as_view(results_only=True)),
    ),
    path("reports/page-types-usage/", kominfo_only(PageTypesUsageReportView.as_view())),
    path(
        "reports/page-types-usage/results/",
        kominfo_only(PageTypesUsageReportView.as_view(results_only=True)),
    ),
]

urlpatterns = decorate_urlpatterns(_patterns, require_admin_access)
