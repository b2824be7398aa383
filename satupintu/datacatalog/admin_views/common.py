"""Lookups by URL for every Satu Data admin view, and the one rule they share: a dataset,
resource or version of an OPD the user does not work for answers 404 (never 403, which would
confirm that it exists). Kominfo, the Walidata, reads every OPD's."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from wagtail.admin import messages

from satupintu.opd.access import is_platform_admin, user_opds

from .. import workflow
from ..models import Dataset, Resource, ResourceVersion


def visible_datasets(user):
    datasets = Dataset.objects.select_related("opd")
    if is_platform_admin(user):
        return datasets
    return datasets.filter(opd__in=user_opds(user))


def producer_opds(user):
    """The OPDs the user may create datasets for (operator or verifikator)."""
    return [o for o in user_opds(user).order_by("name") if workflow.is_producer(user, o)]


def dataset_for(user, dataset_id) -> Dataset:
    dataset = get_object_or_404(Dataset.objects.select_related("opd"), pk=dataset_id)
    if not workflow.can_view(user, dataset.opd):
        raise Http404
    return dataset


def resource_for(user, resource_id) -> Resource:
    resource = get_object_or_404(
        Resource.objects.select_related("dataset__opd", "current"), pk=resource_id
    )
    if not workflow.can_view(user, resource.dataset.opd):
        raise Http404
    return resource


def version_for(user, version_id) -> ResourceVersion:
    version = get_object_or_404(
        ResourceVersion.objects.select_related("resource__dataset__opd", "created_by"),
        pk=version_id,
    )
    if not workflow.can_view(user, version.resource.dataset.opd):
        raise Http404
    return version


def refuse(request, error=None):
    """The step is no longer possible (someone else moved the dataset on, or the user lacks
    the role for it): say so, change nothing."""
    if isinstance(error, ValidationError):
        messages.error(request, " ".join(error.messages))
    else:
        messages.error(
            request,
            _(
                "Tindakan ini tidak dapat dilakukan: status dataset sudah berubah atau Anda "
                "tidak berwenang. Halaman ini menunjukkan keadaan terbaru."
            ),
        )


def run_step(request, step) -> bool:
    """Call a workflow step; on refusal show why and answer False (nothing has changed: each
    step is one transaction)."""
    try:
        step()
    except (PermissionDenied, ValidationError) as error:
        refuse(request, error if isinstance(error, ValidationError) else None)
        return False
    return True
