"""A document becomes public with the first published page that uses it, not on upload.

Wagtail serves any document to anyone who has its URL. Here an uploaded file stays with the
people of the collection it is in (and Kominfo) until a live, public page links or attaches
it, so nothing reaches citizens without passing the OPD's review.
"""

from django.contrib.contenttypes.models import ContentType
from django.http import Http404
from wagtail import hooks
from wagtail.documents.permissions import permission_policy
from wagtail.models import Page, ReferenceIndex

from satupintu.opd.access import is_platform_admin


def is_published(document) -> bool:
    page_type = ContentType.objects.get_for_model(Page)
    page_ids = (
        ReferenceIndex.get_references_to(document)
        .filter(base_content_type=page_type)
        .values_list("object_id", flat=True)
    )
    return Page.objects.live().public().filter(pk__in=[int(i) for i in page_ids]).exists()


def may_see_unpublished(user, document) -> bool:
    if not user.is_authenticated:
        return False
    if is_platform_admin(user):
        return True
    return permission_policy.user_has_any_permission_for_instance(
        user, ["add", "change", "choose"], document
    )


@hooks.register("before_serve_document")
def serve_only_published_documents(document, request):
    if not (is_published(document) or may_see_unpublished(request.user, document)):
        raise Http404
