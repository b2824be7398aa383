"""A dataset's files: add a resource (an upload or a link), upload a new version, confirm the
column types of a CSV/XLSX and load it, and download any version's original file.

Uploads are checked (size, and that the bytes are what the extension says) before anything is
stored; a load that fails keeps the version with its report, so the publisher can change the
types and retry, or upload a corrected file."""

import csv

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.http import FileResponse, Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from wagtail.admin import messages

from .. import datastore, workflow
from ..forms import ColumnTypesForm, ResourceEditForm, ResourceForm, VersionForm
from ..models import Dataset, Resource, ResourceVersion
from .common import dataset_for, refuse, resource_for, version_for

SAMPLE_ROWS = 10
LOADABLE = (ResourceVersion.State.PENDING, ResourceVersion.State.FAILED)


def _not_editable(request, dataset):
    if request.method == "POST":
        refuse(request)
    elif workflow.is_producer(request.user, dataset.opd):
        messages.error(
            request, _("Dataset sedang diperiksa Walidata dan tidak dapat diubah sampai selesai.")
        )
    else:
        messages.error(request, _("Berkas dataset disiapkan oleh OPD produsennya."))
    return redirect("datacatalog_admin_dataset", dataset.pk)


def _after_upload(version):
    if version.state == ResourceVersion.State.PENDING:
        return redirect("datacatalog_admin_columns", version.pk)
    return redirect("datacatalog_admin_dataset", version.resource.dataset_id)


@transaction.atomic
def _create_resource(user, dataset, data):
    """The resource row and its first version (or link) together, or nothing."""
    locked = workflow.locked(dataset)
    if not workflow.can_edit(user, locked):
        raise PermissionDenied
    position = (locked.resources.aggregate(n=Max("position"))["n"] or 0) + 1
    is_link = data["kind"] == Resource.Kind.LINK
    resource = Resource.objects.create(
        dataset=locked,
        name=data["name"],
        description=data["description"],
        kind=data["kind"],
        url=data["url"] if is_link else "",
        format=data["format"] if is_link else "",
        position=position,
    )
    if is_link:
        workflow.touch(locked, user, note=f"{resource.name}: {resource.url}")
        return resource, None
    return resource, workflow.add_version(user, resource, data["file"])


def add_resource(request, dataset_id):
    dataset = dataset_for(request.user, dataset_id)
    if not workflow.can_edit(request.user, dataset):
        return _not_editable(request, dataset)
    form = ResourceForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            resource, version = _create_resource(request.user, dataset, form.cleaned_data)
        except PermissionDenied:
            return _not_editable(request, dataset)
        except ValidationError as error:
            form.add_error("file", error)
        else:
            messages.success(
                request,
                _("Sumber data “%(name)s” ditambahkan.") % {"name": resource.name},
            )
            if version is None:
                return redirect("datacatalog_admin_dataset", dataset.pk)
            return _after_upload(version)
    return render(
        request, "datacatalog/admin/resource_add.html", {"form": form, "dataset": dataset}
    )


def edit_resource(request, resource_id):
    resource = resource_for(request.user, resource_id)
    dataset = resource.dataset
    if not workflow.can_edit(request.user, dataset):
        return _not_editable(request, dataset)
    form = ResourceEditForm(request.POST or None, resource=resource)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            workflow.edit_resource(
                request.user,
                resource,
                name=data["name"],
                description=data["description"],
                url=data.get("url", ""),
                fmt=data.get("format", ""),
            )
        except PermissionDenied:
            return _not_editable(request, dataset)
        messages.success(request, _("Sumber data “%(name)s” disimpan.") % {"name": data["name"]})
        return redirect("datacatalog_admin_dataset", dataset.pk)
    return render(
        request,
        "datacatalog/admin/resource_edit.html",
        {
            "form": form,
            "dataset": dataset,
            "resource": resource,
            "removable": not (
                dataset.status == Dataset.Status.PUBLISHED and workflow.is_public(resource)
            ),
        },
    )


def delete_resource(request, resource_id):
    resource = resource_for(request.user, resource_id)  # another OPD's: 404 before anything
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    dataset = resource.dataset
    if not workflow.can_edit(request.user, dataset):
        return _not_editable(request, dataset)
    try:
        workflow.remove_resource(request.user, resource)
    except PermissionDenied:
        return _not_editable(request, dataset)
    except ValidationError as error:
        refuse(request, error)
    else:
        messages.success(request, _("Sumber data “%(name)s” dihapus.") % {"name": resource.name})
    return redirect("datacatalog_admin_dataset", dataset.pk)


def add_version(request, resource_id):
    resource = resource_for(request.user, resource_id)
    dataset = resource.dataset
    if not workflow.can_edit(request.user, dataset):
        return _not_editable(request, dataset)
    if resource.kind != Resource.Kind.UPLOAD:
        raise Http404
    form = VersionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            version = workflow.add_version(request.user, resource, form.cleaned_data["file"])
        except PermissionDenied:
            return _not_editable(request, dataset)
        except ValidationError as error:
            form.add_error("file", error)
        else:
            messages.success(
                request,
                _("Versi %(n)s dari “%(name)s” diunggah.")
                % {"n": version.number, "name": resource.name},
            )
            return _after_upload(version)
    return render(
        request,
        "datacatalog/admin/version_add.html",
        {"form": form, "dataset": dataset, "resource": resource},
    )


def sample_rows(version, limit=SAMPLE_ROWS) -> list[list[str]]:
    """The first rows of the file as the loader will read them."""
    header = version.dialect.get("header") or []
    if not header:
        return []
    dialect = workflow.csv_dialect(version)
    rows = []
    try:
        binary = workflow.csv_file(version)
    except (OSError, datastore.LoadError):
        return []
    stream = datastore.text_stream(binary, dialect)
    try:
        reader = csv.reader(stream, delimiter=dialect.delimiter)
        next(reader, None)
        for row in reader:
            if len(rows) >= limit:
                break
            cells = [cell[:200] for cell in row[: len(header)]]
            rows.append(cells + [""] * (len(header) - len(cells)))
    except (UnicodeDecodeError, csv.Error):
        pass  # the load reports it by line; the sample just stops here
    finally:
        stream.detach()
        binary.close()
    return rows


def columns(request, version_id):
    version = version_for(request.user, version_id)
    resource = version.resource
    dataset = resource.dataset
    may_load = workflow.can_edit(request.user, dataset) and version.state in LOADABLE
    if request.method == "POST" and not may_load:
        refuse(request)
        return redirect("datacatalog_admin_dataset", dataset.pk)
    if version.state not in LOADABLE:
        messages.info(request, _("Versi ini sudah dimuat atau bukan tabel."))
        return redirect("datacatalog_admin_dataset", dataset.pk)
    form = ColumnTypesForm(request.POST or None, columns=version.columns)
    report = None
    if request.method == "POST" and form.is_valid():
        try:
            result = workflow.load(request.user, version, form.types())
        except (PermissionDenied, ValidationError) as error:
            refuse(request, error if isinstance(error, ValidationError) else None)
            return redirect("datacatalog_admin_dataset", dataset.pk)
        if result.ok:
            messages.success(
                request,
                _("%(rows)s baris dimuat ke datastore dari “%(name)s” v%(n)s.")
                % {"rows": result.rows, "name": resource.name, "n": version.number},
            )
            return redirect("datacatalog_admin_dataset", dataset.pk)
        messages.error(request, _("Data belum dimuat: ada nilai yang tidak sesuai tipe kolomnya."))
        version.refresh_from_db()
        form = ColumnTypesForm(request.POST, columns=version.columns)
        form.is_valid()
    if version.state == ResourceVersion.State.FAILED:
        report = dict(version.report)
        errors = report.get("errors") or []
        # error_count counts bad values; the rows are known when every error is listed.
        report["complete"] = report.get("error_count", 0) <= len(errors)
        report["bad_lines"] = len({e[0] for e in errors if e[0]})
    return render(
        request,
        "datacatalog/admin/columns.html",
        {
            "dataset": dataset,
            "resource": resource,
            "version": version,
            "form": form,
            "may_load": may_load,
            "header": version.dialect.get("header") or [],
            "sample": sample_rows(version),
            "report": report,
        },
    )


def download(request, version_id):
    """The original bytes of one version, from the private storage (never a public URL)."""
    version = version_for(request.user, version_id)
    if not version.file:
        raise Http404
    try:
        handle = version.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=version.original_name or f"{version.resource.name}-v{version.number}",
        content_type=version.media_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
