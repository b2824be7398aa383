"""Who may do what to a dataset, and each step as one transaction with its history entry.

Satu Data roles (Perpres 39/2019): the OPD is the Produsen Data. Its operators prepare
datasets and upload files; its verifikators may also prepare and are the ones who submit to
the Walidata. Kominfo is the Walidata: it verifies and publishes, returns with notes, or
withdraws; it does not write an OPD's data. Every function checks the role against the
dataset's own OPD: views are never trusted to have done it.
"""

import hashlib

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from satupintu.opd.access import is_operator, is_platform_admin, is_verifier

from . import datastore, publishing
from .models import Dataset, DatasetEvent, PublishedDataset, Resource, ResourceVersion

Status = Dataset.Status
Action = DatasetEvent.Action
TABULAR = {"CSV", "XLSX"}


def is_producer(user, opd) -> bool:
    return is_operator(user, opd) or is_verifier(user, opd)


def can_view(user, opd) -> bool:
    return is_platform_admin(user) or is_producer(user, opd)


def can_edit(user, dataset: Dataset) -> bool:
    return is_producer(user, dataset.opd) and dataset.editable


def can_submit(user, dataset: Dataset) -> bool:
    if not is_verifier(user, dataset.opd):
        return False
    if dataset.status == Status.PUBLISHED:
        return has_unpublished_changes(dataset)
    return dataset.status in (Status.DRAFT, Status.RETURNED, Status.WITHDRAWN)


def can_verify(user, dataset: Dataset) -> bool:
    return is_platform_admin(user) and dataset.status == Status.SUBMITTED


def has_unpublished_changes(dataset: Dataset) -> bool:
    """The OPD changed a published dataset; the public still sees the verified state."""
    if dataset.status != Status.PUBLISHED:
        return False
    published = (
        PublishedDataset.objects.filter(dataset=dataset)
        .values_list("metadata_modified", flat=True)
        .first()
    )
    return published is None or dataset.updated_at > published


def _require(allowed: bool):
    if not allowed:
        raise PermissionDenied


def record(dataset, user, action, note=""):
    """The history entry of a step (also for steps the Walidata takes on an OPD's behalf)."""
    DatasetEvent.objects.create(
        dataset=dataset,
        user=user,
        user_name=user.get_username() if user else "",
        action=action,
        note=note,
    )


def locked(dataset) -> Dataset:
    """The dataset row locked for this transaction, so that two steps never interleave."""
    return Dataset.objects.select_for_update().select_related("opd").get(pk=dataset.pk)


def touch(dataset, user, action=Action.SAVED, note=""):
    """Record a change made by the OPD (metadata or files)."""
    from django.db.models import F

    dataset.updated_at = timezone.now()
    Dataset.objects.filter(pk=dataset.pk).update(
        revision=F("revision") + 1, updated_at=dataset.updated_at
    )
    dataset.revision = Dataset.objects.values_list("revision", flat=True).get(pk=dataset.pk)
    record(dataset, user, action, note)


@transaction.atomic
def create(user, opd, form) -> Dataset:
    """`form` is a bound, valid dataset ModelForm (its many-to-many fields included)."""
    _require(is_producer(user, opd))
    dataset = form.save(commit=False)
    dataset.opd = opd
    dataset.created_by = user
    dataset.save()
    form.save_m2m()
    record(dataset, user, Action.CREATED)
    return dataset


@transaction.atomic
def save(user, dataset, form) -> Dataset:
    current = locked(dataset)
    _require(can_edit(user, current))
    dataset = form.save()
    touch(dataset, user)
    return dataset


# --- Files --------------------------------------------------------------------------------------


def file_format(name: str) -> str:
    return name.rsplit(".", 1)[-1].upper() if "." in name else ""


def check_upload(uploaded) -> None:
    """Size and that the bytes are what the extension says (CSV is text, XLSX a workbook,
    PDF a PDF...); anything else is refused before it is stored."""
    from satupintu.media.checks import check_document, check_size

    check_size(uploaded, settings.SATUPINTU_MAX_DATASET_FILE_BYTES)
    ext = file_format(uploaded.name).lower()
    if ext == "json":
        head = uploaded.read(1024).lstrip()
        uploaded.seek(0)
        if head[:1] not in (b"{", b"["):
            raise ValidationError(_("Berkas .json ini bukan JSON."), code="type_mismatch")
        return
    check_document(uploaded, limit=settings.SATUPINTU_MAX_DATASET_FILE_BYTES)


@transaction.atomic
def add_version(user, resource: Resource, uploaded) -> ResourceVersion:
    """Store an upload (already checked with `check_upload`) as the resource's next version.
    A CSV or XLSX waits for the publisher to confirm its column types; other files are kept
    as they are."""
    dataset = locked(resource.dataset)
    _require(can_edit(user, dataset))
    digest = hashlib.sha256()
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    latest = resource.versions.order_by("-number").first()
    if (
        latest is not None
        and latest.sha256 == digest.hexdigest()
        and latest.original_name == uploaded.name[-255:]
    ):
        # The same file sent again (a double click, or the browser resending after a timeout
        # while the server restarted) is the version already stored, not a new one.
        return latest
    number = (latest.number if latest else 0) + 1
    fmt = file_format(uploaded.name)
    version = ResourceVersion(
        resource=resource,
        number=number,
        original_name=uploaded.name[-255:],
        size=uploaded.size,
        sha256=digest.hexdigest(),
        media_type=publishing.FORMAT_MEDIA_TYPES.get(fmt, "application/octet-stream"),
        format=fmt,
        state=ResourceVersion.State.PENDING if fmt in TABULAR else ResourceVersion.State.STORED,
        created_by=user,
    )
    version.file.save("upload", uploaded, save=False)
    if fmt in TABULAR:
        try:
            _sniff(version)
        except datastore.LoadError as error:
            version.file.delete(save=False)
            raise ValidationError(str(error), code="unreadable") from error
    version.save()
    if version.state == ResourceVersion.State.STORED:
        Resource.objects.filter(pk=resource.pk).update(current=version, format=fmt)
        resource.current = version
    else:
        Resource.objects.filter(pk=resource.pk).update(format=fmt)
    resource.format = fmt
    touch(dataset, user, Action.UPLOADED, f"{resource.name} v{number}: {version.original_name}")
    return version


def csv_file(version: ResourceVersion):
    """The version as CSV bytes in a file object (an XLSX is converted, into a temporary
    file). The caller closes it."""
    import tempfile

    source = version.file.open("rb")  # noqa: SIM115 (returned to the caller, who closes it)
    if version.format != "XLSX":
        return source
    target = tempfile.TemporaryFile()  # noqa: SIM115 (returned to the caller)
    try:
        datastore.xlsx_to_csv(source, target)
    finally:
        source.close()
    return target


def csv_dialect(version: ResourceVersion) -> datastore.Dialect:
    """How `csv_file(version)` is to be read: as sniffed for a CSV; an XLSX is converted to
    UTF-8 with commas."""
    xlsx = version.format == "XLSX"
    return datastore.Dialect(
        encoding="utf-8" if xlsx else version.dialect.get("encoding", "utf-8"),
        delimiter="," if xlsx else version.dialect.get("delimiter", ","),
        header=version.dialect.get("header") or [],
    )


def _sniff(version: ResourceVersion) -> None:
    binary = csv_file(version)
    try:
        dialect = datastore.sniff(binary)
        columns = datastore.infer_columns(binary, dialect)
    finally:
        binary.close()
    version.dialect = {
        "encoding": dialect.encoding,
        "delimiter": dialect.delimiter,
        "header": dialect.header,
    }
    version.columns = [{"id": c.id, "type": c.type} for c in columns]


@transaction.atomic
def load(user, version: ResourceVersion, types: list[str]) -> datastore.Report:
    """Load the version's table with these column types, all or nothing. On success it
    becomes the resource's current version; on failure the file is kept with the report, so
    the publisher can fix the types or upload a corrected file."""
    resource = version.resource
    dataset = locked(resource.dataset)
    _require(can_edit(user, dataset))
    version = ResourceVersion.objects.select_for_update().get(pk=version.pk)
    if version.state not in (ResourceVersion.State.PENDING, ResourceVersion.State.FAILED):
        raise ValidationError(_("Versi ini sudah dimuat."), code="loaded")
    header = version.dialect["header"]
    if len(types) != len(header) or any(t not in datastore.TYPES for t in types):
        raise ValidationError(_("Tipe kolom tidak dikenal."), code="bad_types")
    columns = [datastore.Column(name, kind) for name, kind in zip(header, types, strict=True)]
    dialect = csv_dialect(version)
    binary = csv_file(version)
    try:
        datastore.drop(version.key)
        report = datastore.load(binary, version.key, columns, dialect, index=False)
    except datastore.LoadError as error:
        report = datastore.Report(error_count=1, errors=[(None, "", "", str(error))])
    finally:
        binary.close()
    version.columns = [{"id": c.id, "type": c.type} for c in columns]
    version.report = {
        "rows": report.rows,
        "error_count": report.error_count,
        "errors": [list(e) for e in report.errors],
    }
    if report.ok:
        version.state = ResourceVersion.State.LOADED
        version.row_count = report.rows
        version.loaded_at = timezone.now()
        version.save()
        Resource.objects.filter(pk=resource.pk).update(current=version)
        resource.current = version
        touch(dataset, user, Action.LOADED, f"{resource.name} v{version.number}: {report.rows}")
        # The publisher waits for the rows, not for the search indexes (see build_indexes).
        key = version.key
        transaction.on_commit(lambda: datastore.build_indexes_in_background(key, columns))
    else:
        version.state = ResourceVersion.State.FAILED
        version.save()
        record(dataset, user, Action.LOAD_FAILED, f"{resource.name} v{version.number}")
    return report


# --- Submission and verification -------------------------------------------------------------


def problems(dataset: Dataset) -> list[str]:
    """What must be filled in before the Walidata can verify the dataset (Satu Data metadata
    and at least one usable resource)."""
    missing = []
    required = [
        ("title", _("judul")),
        ("notes", _("deskripsi")),
        ("concept", _("konsep")),
        ("definition", _("definisi")),
        ("measure", _("ukuran")),
        ("unit", _("satuan")),
        ("frequency", _("frekuensi")),
        ("temporal_start", _("cakupan waktu (mulai)")),
        ("source", _("sumber")),
        ("contact_name", _("nama kontak")),
        ("contact_email", _("surel kontak")),
        ("license_id", _("lisensi")),
    ]
    for field, label in required:
        if not getattr(dataset, field):
            missing.append(_("%(field)s belum diisi.") % {"field": label.capitalize()})
    if (
        dataset.temporal_end
        and dataset.temporal_start
        and dataset.temporal_end < dataset.temporal_start
    ):
        missing.append(_("Cakupan waktu berakhir sebelum dimulai."))
    if not dataset.regions.exists():
        missing.append(_("Cakupan wilayah belum dipilih."))
    if not dataset.tags:
        missing.append(_("Isi sedikitnya satu kata kunci."))
    if not dataset.topics.exists():
        missing.append(_("Pilih sedikitnya satu topik."))
    resources = list(dataset.resources.select_related("current"))
    if not resources:
        missing.append(_("Tambahkan sedikitnya satu sumber data (berkas atau tautan)."))
    for resource in resources:
        if resource.kind == Resource.Kind.UPLOAD and resource.current is None:
            missing.append(
                _("Sumber data “%(name)s” belum punya berkas yang berhasil dimuat.")
                % {"name": resource.name}
            )
    return missing


@transaction.atomic
def submit(user, dataset: Dataset) -> Dataset:
    dataset = locked(dataset)
    _require(can_submit(user, dataset))
    missing = problems(dataset)
    if missing:
        raise ValidationError(missing)
    dataset.status = Status.SUBMITTED
    dataset.submitted_at = timezone.now()
    dataset.save(update_fields=["status", "submitted_at"])
    record(dataset, user, Action.SUBMITTED)
    return dataset


@transaction.atomic
def verify(user, dataset: Dataset) -> Dataset:
    """The Walidata's approval: the current versions become public, and the package is
    frozen for every public reader."""
    dataset = locked(dataset)
    _require(can_verify(user, dataset))
    missing = problems(dataset)
    if missing:  # e.g. a topic deleted since submission
        raise ValidationError(missing)
    now = timezone.now()
    for resource in dataset.resources.all():
        if resource.current_id != resource.public_version_id:
            Resource.objects.filter(pk=resource.pk).update(public_version=resource.current_id)
    dataset.status = Status.PUBLISHED
    dataset.review_note = ""
    dataset.published_at = dataset.published_at or now
    dataset.updated_at = now
    dataset.save(update_fields=["status", "review_note", "published_at", "updated_at"])
    publishing.publish(dataset, modified=now)
    record(dataset, user, Action.PUBLISHED)
    return dataset


@transaction.atomic
def send_back(user, dataset: Dataset, note: str) -> Dataset:
    dataset = locked(dataset)
    _require(can_verify(user, dataset))
    if not note.strip():
        raise ValidationError(_("Tulis catatan untuk OPD: apa yang harus diperbaiki."))
    dataset.status = Status.RETURNED
    dataset.review_note = note.strip()
    dataset.save(update_fields=["status", "review_note"])
    record(dataset, user, Action.RETURNED, note.strip())
    return dataset


@transaction.atomic
def withdraw(user, dataset: Dataset, note: str) -> Dataset:
    """Take a published dataset out of public view (and, through the sync, off the central
    portals). The OPD may correct it and submit again."""
    dataset = locked(dataset)
    _require(is_platform_admin(user) and dataset.status == Status.PUBLISHED)
    if not note.strip():
        raise ValidationError(_("Tulis alasan penarikan."))
    publishing.unpublish(dataset)
    dataset.status = Status.WITHDRAWN
    dataset.review_note = note.strip()
    dataset.updated_at = timezone.now()
    dataset.save(update_fields=["status", "review_note", "updated_at"])
    record(dataset, user, Action.WITHDRAWN, note.strip())
    return dataset


@transaction.atomic
def delete_draft(user, dataset: Dataset) -> None:
    """An OPD may delete a dataset that was never published; its tables go with it."""
    dataset = locked(dataset)
    _require(is_producer(user, dataset.opd) and dataset.published_at is None and dataset.editable)
    keys = list(
        ResourceVersion.objects.filter(resource__dataset=dataset).values_list("id", flat=True)
    )
    files = [
        v.file.name
        for v in ResourceVersion.objects.filter(resource__dataset=dataset).exclude(file="")
    ]
    dataset.delete()
    for key in keys:
        datastore.drop(key.hex)
    from .models import catalog_storage

    storage = catalog_storage()
    transaction.on_commit(lambda: [storage.delete(name) for name in files])


@transaction.atomic
def edit_resource(user, resource: Resource, *, name, description, url="", fmt="") -> Resource:
    """Rename or describe a resource (and, for a link, change where it points). The public
    sees it after the next verification, like every other change."""
    dataset = locked(resource.dataset)
    _require(can_edit(user, dataset))
    resource.name, resource.description = name, description
    fields = ["name", "description"]
    if resource.kind == Resource.Kind.LINK:
        resource.url, resource.format = url, fmt
        fields += ["url", "format"]
    resource.save(update_fields=fields)
    touch(dataset, user, note=resource.name)
    return resource


def is_public(resource: Resource) -> bool:
    """The verified package the public (and harvesters) read lists this resource."""
    if resource.public_version_id is not None:
        return True
    package = (
        PublishedDataset.objects.filter(dataset_id=resource.dataset_id)
        .values_list("package", flat=True)
        .first()
    )
    return bool(package) and f'"id":"{resource.id}"' in package


@transaction.atomic
def remove_resource(user, resource: Resource) -> None:
    """Delete a resource with its versions, tables and files. One the public is being served
    stays until the Walidata withdraws the dataset: deleting it would break the verified
    package that portals have harvested (upload a corrected version instead)."""
    dataset = locked(resource.dataset)
    _require(can_edit(user, dataset))
    resource = Resource.objects.select_for_update().get(pk=resource.pk)
    if dataset.status == Status.PUBLISHED and is_public(resource):
        raise ValidationError(
            _(
                "Sumber data ini sedang tampil di katalog publik. Unggah versi perbaikan, atau "
                "minta Walidata menarik dataset ini lebih dulu."
            ),
            code="public",
        )
    versions = list(resource.versions.all())
    name = resource.name
    resource.delete()
    for version in versions:
        datastore.drop(version.key)
    from .models import catalog_storage

    storage = catalog_storage()
    files = [v.file.name for v in versions if v.file]
    transaction.on_commit(lambda: [storage.delete(f) for f in files])
    touch(dataset, user, note=_("Sumber data “%(name)s” dihapus.") % {"name": name})
