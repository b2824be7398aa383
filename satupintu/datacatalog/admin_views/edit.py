"""Preparing a dataset: create, edit its metadata, delete a draft that was never published.
Saving goes through workflow.create / workflow.save, which check the role again inside the
transaction (the view's checks only decide what to show)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from wagtail.admin import messages

from .. import workflow
from ..forms import DatasetForm
from .common import dataset_for, producer_opds, refuse, run_step


def create(request):
    opds = producer_opds(request.user)
    if not opds:
        raise Http404  # Kominfo verifies; it does not write an OPD's data
    form = DatasetForm(request.POST or None, opds=opds)
    if request.method == "POST" and form.is_valid():
        try:
            dataset = workflow.create(request.user, form.opd, form)
        except PermissionDenied:
            refuse(request)
        else:
            messages.success(
                request,
                _("Dataset “%(title)s” disimpan sebagai draf.") % {"title": dataset.title},
            )
            return redirect("datacatalog_admin_dataset", dataset.pk)
    return render(
        request, "datacatalog/admin/edit.html", {"form": form, "dataset": None, "opds": opds}
    )


def edit(request, dataset_id):
    dataset = dataset_for(request.user, dataset_id)
    if not workflow.is_producer(request.user, dataset.opd):
        messages.error(
            request,
            _("Metadata disusun OPD produsennya; Walidata memberi catatan saat verifikasi."),
        )
        return redirect("datacatalog_admin_dataset", dataset.pk)
    if not workflow.can_edit(request.user, dataset):
        messages.error(
            request, _("Dataset sedang diperiksa Walidata dan tidak dapat diubah sampai selesai.")
        )
        return redirect("datacatalog_admin_dataset", dataset.pk)
    form = DatasetForm(request.POST or None, instance=dataset)
    if request.method == "POST" and form.is_valid():
        try:
            workflow.save(request.user, dataset, form)
        except PermissionDenied:
            refuse(request)
            return redirect("datacatalog_admin_dataset", dataset.pk)
        messages.success(request, _("Perubahan disimpan."))
        return redirect("datacatalog_admin_dataset", dataset.pk)
    return render(request, "datacatalog/admin/edit.html", {"form": form, "dataset": dataset})


def delete(request, dataset_id):
    dataset = dataset_for(request.user, dataset_id)
    allowed = (
        workflow.is_producer(request.user, dataset.opd)
        and dataset.published_at is None
        and dataset.editable
    )
    if not allowed:
        if request.method == "POST":
            refuse(request)
        else:
            messages.error(
                request,
                _("Hanya draf yang belum pernah terbit dan tidak sedang diperiksa dapat dihapus."),
            )
        return redirect("datacatalog_admin_dataset", dataset.pk)
    if request.method == "POST":
        title = dataset.title
        if run_step(request, lambda: workflow.delete_draft(request.user, dataset)):
            messages.success(request, _("Dataset “%(title)s” dihapus.") % {"title": title})
            return redirect("datacatalog_admin_index")
        return redirect("datacatalog_admin_dataset", dataset.pk)
    return render(request, "datacatalog/admin/delete.html", {"dataset": dataset})
