"""One dataset as its OPD and the Walidata see it: metadata, what is still missing before it
can be submitted, resources with every version, the Walidata's notes, the history, and the
steps this user may take now (the workflow's own rules decide which)."""

from django.shortcuts import render
from django.utils.translation import gettext as _

from satupintu.opd.access import is_platform_admin

from .. import workflow
from ..models import Dataset, ResourceVersion
from .common import dataset_for


def _metadata(dataset):
    """(label, value) pairs in the order of the Satu Data metadata standard."""
    period = ""
    if dataset.temporal_start:
        period = dataset.temporal_start.strftime("%d-%m-%Y")
        if dataset.temporal_end:
            period += " – " + dataset.temporal_end.strftime("%d-%m-%Y")
    fields = [
        "name",
        "notes",
        "concept",
        "definition",
        "classification",
        "measure",
        "unit",
    ]
    rows = [(Dataset._meta.get_field(f).verbose_name, getattr(dataset, f)) for f in fields]
    rows += [
        (Dataset._meta.get_field("frequency").verbose_name, dataset.get_frequency_display()),
        (_("cakupan waktu"), period),
        (
            Dataset._meta.get_field("regions").verbose_name,
            ", ".join(r.name for r in dataset.regions.all()),
        ),
        (Dataset._meta.get_field("source").verbose_name, dataset.source),
        (Dataset._meta.get_field("source_url").verbose_name, dataset.source_url),
        (Dataset._meta.get_field("contact_name").verbose_name, dataset.contact_name),
        (Dataset._meta.get_field("contact_email").verbose_name, dataset.contact_email),
        (Dataset._meta.get_field("license_id").verbose_name, dataset.get_license_id_display()),
        (Dataset._meta.get_field("tags").verbose_name, ", ".join(dataset.tags or [])),
        (
            Dataset._meta.get_field("topics").verbose_name,
            ", ".join(t.title for t in dataset.topics.all()),
        ),
        (
            Dataset._meta.get_field("priority").verbose_name,
            _("ya") if dataset.priority else _("tidak"),
        ),
        (
            Dataset._meta.get_field("private").verbose_name,
            _("ya") if dataset.private else _("tidak"),
        ),
    ]
    return rows


def detail(request, dataset_id):
    user = request.user
    dataset = dataset_for(user, dataset_id)
    producer = workflow.is_producer(user, dataset.opd)
    kominfo = is_platform_admin(user)
    resources = list(dataset.resources.select_related("current", "public_version"))
    versions = {}
    for version in ResourceVersion.objects.filter(resource__dataset=dataset).select_related(
        "created_by"
    ):
        versions.setdefault(version.resource_id, []).append(version)
    for resource in resources:
        resource.all_versions = versions.get(resource.id, [])
    may_edit = workflow.can_edit(user, dataset)
    context = {
        "dataset": dataset,
        "metadata": _metadata(dataset),
        "problems": workflow.problems(dataset),
        "resources": resources,
        "events": dataset.events.select_related("user"),
        "pending_changes": workflow.has_unpublished_changes(dataset),
        "may_edit": may_edit,
        "may_submit": workflow.can_submit(user, dataset),
        "may_verify": workflow.can_verify(user, dataset),
        "may_withdraw": kominfo and dataset.status == Dataset.Status.PUBLISHED,
        "may_delete": producer and dataset.published_at is None and dataset.editable,
        "may_download": producer or kominfo,
        "is_producer": producer,
        "pending_state": ResourceVersion.State.PENDING,
        "failed_state": ResourceVersion.State.FAILED,
    }
    return render(request, "datacatalog/admin/detail.html", context)
