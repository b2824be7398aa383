"""Reports to data: a Pelaporan summary (rekap) Kominfo chose to publish becomes a Satu Data
dataset in one action, with where every number came from.

`PublishedAggregate` is Kominfo's choice of a summary; `publish_aggregate` turns it into a
dataset. The same summary always maps to the same dataset (found by `provenance["aggregate"]`),
so publishing again recomputes the table from the approved reports and adds it as the next
version of the same resource: old versions stay downloadable, and a harvester keeps one id.

Who acts: a report type belongs to the regency and many OPDs fill it in, but every dataset has
one producer (an OPD), which Kominfo picks. Kominfo is the Walidata, not a producer, so the
workflow's producer steps (create, upload, load, submit) would refuse it. They are done instead
by `_prepare_as_walidata`, the only place that skips the producer check, and each of its
history entries says the Walidata did it from the reports. Verification then goes through
`workflow.verify` itself, with its own role check and its metadata checks (`problems()`).

Metadata refreshed on every publication come from the summary itself (title, description,
measure, unit, frequency, coverage, source, provenance); defaults the OPD may improve later
(concept, definition, classification, contact, tags, topics, regions) are only filled in when
empty.
"""

import csv
import datetime
import io
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from satupintu.opd.access import is_platform_admin
from satupintu.opd.models import OPD
from satupintu.regency.models import RegencySettings, Region
from satupintu.reporting import aggregate as summaries
from satupintu.reporting import periods
from satupintu.reporting import schema as schema_rules

from . import datastore, publishing, workflow
from .models import Dataset, DatasetEvent, Frequency, Resource, ResourceVersion, Topic

Action = DatasetEvent.Action
DEFAULT_OPD_SLUG = "diskominfo"
DEFAULT_TOPIC = ("pemerintahan", "Pemerintahan")
RESOURCE_NAME = "Tabel rekap"
CODE_COLUMN = "kode_kecamatan"
# A summary Kominfo titles as sample data keeps the label as a tag too.
SAMPLE_PREFIX = "[DATA CONTOH]"
SAMPLE_TAG = "data-contoh"

FREQUENCIES = {
    periods.MONTHLY: Frequency.MONTHLY,
    periods.QUARTERLY: Frequency.QUARTERLY,
    periods.SEMESTER: Frequency.SEMIANNUAL,
    periods.YEARLY: Frequency.ANNUAL,
    periods.ONE_OFF: Frequency.IRREGULAR,
}


def default_opd() -> OPD | None:
    """The producer offered first: Diskominfo when the regency has one, else the first OPD."""
    return OPD.objects.filter(slug=DEFAULT_OPD_SLUG).first() or OPD.objects.first()


def dataset_for(item) -> Dataset | None:
    return (
        Dataset.objects.filter(origin=Dataset.Origin.REPORTING, provenance__aggregate=item.pk)
        .select_related("opd")
        .first()
    )


def datasets_by_aggregate(items) -> dict[int, Dataset]:
    wanted = {item.pk for item in items}
    found = {}
    for dataset in Dataset.objects.filter(origin=Dataset.Origin.REPORTING).select_related("opd"):
        key = dataset.provenance.get("aggregate")
        if key in wanted:
            found[key] = dataset
    return found


# --- What the summary says ----------------------------------------------------------------------


@dataclass
class Snapshot:
    """The summary recomputed now, with what it was computed from."""

    table: summaries.Table
    reports: int  # approved reports counted
    start: datetime.date | None
    end: datetime.date | None
    first_label: str
    last_label: str
    computed_at: datetime.datetime


def _window_start(today: datetime.date, months: int) -> datetime.date:
    # The same window `aggregate.build` uses, so the counts describe the same reports.
    return (today.replace(day=1) - datetime.timedelta(days=31 * (months - 1))).replace(day=1)


def snapshot(item, today: datetime.date | None = None) -> Snapshot:
    today = today or timezone.localdate()
    table = item.table(today=today)
    found, _names = summaries.values(
        item.report_type, item.path, OPD.objects.all(), _window_start(today, item.months)
    )
    submissions = {s.pk: s for s, _district, _number in found}
    ordered = sorted(submissions.values(), key=lambda s: (s.period_start, s.period_end))
    return Snapshot(
        table=table,
        reports=len(submissions),
        start=ordered[0].period_start if ordered else None,
        end=max(s.period_end for s in ordered) if ordered else None,
        first_label=ordered[0].period.label if ordered else "",
        last_label=ordered[-1].period.label if ordered else "",
        computed_at=timezone.now(),
    )


def _field_spec(report_type, path) -> dict:
    """The numeric field as the newest form that has it describes it (label, unit, type)."""
    for version in report_type.versions.order_by("-number"):
        for spec in schema_rules.numeric_fields(version.schema):
            if spec["path"] == path:
                return spec
    return {"label": path, "type": "number"}


def _district_codes() -> dict[str, str]:
    return dict(
        Region.objects.filter(level=Region.Level.DISTRICT).values_list("name", "kemendagri_code")
    )


def table_csv(item, table: summaries.Table) -> bytes:
    """The summary as CSV, exactly its rows; a table grouped by kecamatan also gets the
    kecamatan's Kemendagri code, so the catalog can draw it on the map."""
    columns = list(table.columns)
    rows = [list(row) for row in table.rows]
    if item.grouping in (summaries.BY_DISTRICT, summaries.BY_PERIOD_DISTRICT):
        position = 0 if item.grouping == summaries.BY_DISTRICT else 1
        codes = _district_codes()
        columns.insert(position + 1, CODE_COLUMN)
        for row in rows:
            row.insert(position + 1, codes.get(str(row[position]), ""))
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if value is None else str(value) for value in row])
    return text.getvalue().encode("utf-8")


def summary_line(item, snap: Snapshot) -> str:
    spec = _field_spec(item.report_type, item.path)
    function = str(dict(summaries.FUNCTIONS)[item.function]).lower()
    grouping = str(dict(summaries.GROUPINGS)[item.grouping]).lower()
    span = (
        snap.first_label
        if snap.first_label == snap.last_label
        else f"{snap.first_label}\u2013{snap.last_label}"
    )
    computed = timezone.localtime(snap.computed_at)
    return _(
        "Direkap dari %(n)s laporan disetujui jenis “%(type)s”, isian "
        "“%(field)s” (%(function)s %(grouping)s), periode %(span)s; dihitung "
        "%(at)s."
    ) % {
        "n": snap.reports,
        "type": item.report_type.name,
        "field": spec["label"],
        "function": function,
        "grouping": grouping,
        "span": span,
        "at": computed.strftime("%d-%m-%Y %H:%M"),
    }


def _contact_email(opd, user) -> str:
    return opd.email or RegencySettings.load().email or getattr(user, "email", "") or ""


def _unique_name(item, dataset) -> str:
    if dataset is not None:
        return dataset.name
    base = slugify(item.title)[:80].strip("-") or f"rekap-{item.report_type.slug}"[:80]
    if len(base) < 2:
        base = f"rekap-{item.pk}"
    name = base
    if Dataset.objects.filter(name=name).exists():
        name = f"{base}-{item.pk}"
    n = 2
    while Dataset.objects.filter(name=name).exists():
        name = f"{base}-{item.pk}-{n}"
        n += 1
    return name


def metadata(item, snap: Snapshot, opd, user) -> tuple[dict, dict]:
    """(fields refreshed on every publication, defaults filled in only when empty)."""
    report_type = item.report_type
    spec = _field_spec(report_type, item.path)
    label = spec["label"]
    function = str(dict(summaries.FUNCTIONS)[item.function])
    grouping = str(dict(summaries.GROUPINGS)[item.grouping]).lower()
    if item.function == summaries.COUNT:
        measure, unit = _("banyak laporan yang memuat %(field)s") % {"field": label}, "laporan"
    else:
        measure = f"{function.lower()} {label}"
        unit = spec.get("unit") or ("rupiah" if spec.get("type") == "money" else _("nilai"))
    explanation = _(
        "%(function)s isian “%(field)s” dari laporan “%(type)s” yang sudah "
        "disetujui verifikator OPD, %(grouping)s, untuk %(months)s bulan terakhir. Angka "
        "dihitung ulang dari laporan setiap kali Walidata menerbitkannya."
    ) % {
        "function": function,
        "field": label,
        "type": report_type.name,
        "grouping": grouping,
        "months": item.months,
    }
    notes = f"{item.description.strip()}\n\n{explanation}" if item.description.strip() else ""
    version = report_type.current_version
    provenance = {
        "aggregate": item.pk,
        "report_type": report_type.slug,
        "form_version": version.number if version else None,
        "approved_reports": snap.reports,
        "computed_at": snap.computed_at.isoformat(),
        "summary": summary_line(item, snap),
    }
    refreshed = {
        "title": item.title[:200],
        "notes": notes or explanation,
        "measure": measure[:255],
        "unit": unit[:100],
        "frequency": FREQUENCIES.get(report_type.period, Frequency.IRREGULAR),
        "temporal_start": snap.start,
        "temporal_end": snap.end,
        "source": (
            _("Pelaporan OPD %(regency)s: laporan “%(type)s”, formulir versi %(v)s")
            % {
                "regency": publishing.regency_name(),
                "type": report_type.name,
                "v": version.number if version else "-",
            }
        )[:500],
        "origin": Dataset.Origin.REPORTING,
        "provenance": provenance,
    }
    defaults = {
        "concept": _(
            "%(field)s yang dilaporkan OPD secara berkala melalui formulir Pelaporan “%(type)s”."
        )
        % {"field": label, "type": report_type.name},
        "definition": _(
            "%(function)s nilai isian “%(field)s” pada laporan yang sudah disetujui "
            "verifikator OPD. Laporan yang sedang dikoreksi dihitung dengan isi yang terakhir "
            "disetujui; nilai tanpa kecamatan dikelompokkan “(tanpa kecamatan)”."
        )
        % {"function": function, "field": label},
        "classification": (
            _("Kode wilayah kecamatan Kemendagri")
            if item.grouping in (summaries.BY_DISTRICT, summaries.BY_PERIOD_DISTRICT)
            else ""
        ),
        "contact_name": opd.name[:150],
        "contact_email": _contact_email(opd, user),
        "tags": ["pelaporan", report_type.slug.replace("-", " ")[:100]]
        + ([SAMPLE_TAG] if item.title.startswith(SAMPLE_PREFIX) else []),
    }
    return refreshed, defaults


# --- The one action ------------------------------------------------------------------------------


@transaction.atomic
def publish_aggregate(user, item, opd) -> Dataset:
    """Create or update the dataset of the summary `item`, produced by `opd`, with the
    summary recomputed now as a new resource version, and publish it (Kominfo only)."""
    from satupintu.reporting.models import PublishedAggregate

    if not is_platform_admin(user):
        raise PermissionDenied
    item = (
        PublishedAggregate.objects.select_for_update().select_related("report_type").get(pk=item.pk)
    )
    if not item.active:
        raise ValidationError(
            _("Rekap ini sedang dihentikan; terbitkan lagi rekapnya dulu."), code="inactive"
        )
    snap = snapshot(item)
    if not snap.table.rows:
        raise ValidationError(
            _("Belum ada laporan disetujui dalam rentang rekap ini; tidak ada yang diterbitkan."),
            code="empty",
        )
    if not _contact_email(opd, user):
        raise ValidationError(
            _(
                "Isi surel OPD %(opd)s atau surel daerah dulu: dataset perlu kontak yang dapat "
                "dihubungi."
            )
            % {"opd": opd.name},
            code="no_contact",
        )
    refreshed, defaults = metadata(item, snap, opd, user)
    dataset, version = _prepare_as_walidata(
        user, item, opd, refreshed, defaults, table_csv(item, snap.table)
    )
    try:
        return workflow.verify(user, dataset)
    except ValidationError:
        # The transaction rolls the rows back; the stored file is not part of it.
        version.file.storage.delete(version.file.name)
        raise


def _prepare_as_walidata(user, item, opd, refreshed, defaults, data: bytes):
    """The only place the producer role check is skipped, and why: the dataset is computed
    from reports many OPDs filed and their verifikators approved, and it is Kominfo (the
    Walidata) who chose to publish it, so there is no OPD operator to upload it nor OPD
    verifikator to submit it. What a producer would do (create or update the dataset, upload
    and load the table, submit) is done here for the Walidata, and each history entry says so.
    The caller verifies through `workflow.verify`, which checks the role and the metadata.
    """
    if not is_platform_admin(user):
        raise PermissionDenied
    on_behalf = _("oleh Walidata dari rekap Pelaporan, atas nama produsen data %(opd)s") % {
        "opd": opd.name
    }
    dataset = dataset_for(item)
    if dataset is None:
        dataset = Dataset(name=_unique_name(item, None), opd=opd, created_by=user, **defaults)
        for field, value in refreshed.items():
            setattr(dataset, field, value)
        dataset.full_clean()
        dataset.save()
        topic = Topic.objects.get_or_create(
            name=DEFAULT_TOPIC[0], defaults={"title": DEFAULT_TOPIC[1]}
        )[0]
        dataset.topics.add(topic)
        regency = Region.objects.filter(level=Region.Level.REGENCY).first()
        if regency is not None:
            dataset.regions.add(regency)
        workflow.record(dataset, user, Action.CREATED, _("Dibuat %(who)s.") % {"who": on_behalf})
    else:
        dataset = workflow.locked(dataset)
        moved = dataset.opd_id != opd.pk
        previous = dataset.opd
        dataset.opd = opd
        for field, value in refreshed.items():
            setattr(dataset, field, value)
        for field, value in defaults.items():
            if not getattr(dataset, field):
                setattr(dataset, field, value)
        dataset.full_clean()
        dataset.save()
        if not dataset.topics.exists():
            dataset.topics.add(
                Topic.objects.get_or_create(
                    name=DEFAULT_TOPIC[0], defaults={"title": DEFAULT_TOPIC[1]}
                )[0]
            )
        if not dataset.regions.exists():
            regency = Region.objects.filter(level=Region.Level.REGENCY).first()
            if regency is not None:
                dataset.regions.add(regency)
        note = _("Metadata diperbarui %(who)s.") % {"who": on_behalf}
        if moved:
            note += " " + _("Produsen data diganti dari %(old)s.") % {"old": previous.name}
        workflow.touch(dataset, user, Action.SAVED, note)

    resource = (
        dataset.resources.filter(kind=Resource.Kind.UPLOAD)
        .order_by("position", "created_at")
        .first()
    ) or Resource.objects.create(
        dataset=dataset,
        name=RESOURCE_NAME,
        description=_(
            "Dihitung dari laporan yang disetujui; setiap penerbitan menjadi versi baru."
        ),
    )
    version = _load_version(user, dataset, resource, data)
    workflow.touch(
        dataset,
        user,
        Action.LOADED,
        _("%(resource)s v%(n)s: %(rows)s baris, dimuat %(who)s.")
        % {
            "resource": resource.name,
            "n": version.number,
            "rows": version.row_count,
            "who": on_behalf,
        },
    )
    dataset.refresh_from_db()
    if dataset.status != Dataset.Status.SUBMITTED:
        dataset.status = Dataset.Status.SUBMITTED
        dataset.submitted_at = timezone.now()
        dataset.save(update_fields=["status", "submitted_at"])
        workflow.record(
            dataset,
            user,
            Action.SUBMITTED,
            _("Diajukan %(who)s, tanpa pengajuan verifikator OPD.") % {"who": on_behalf},
        )
    return dataset, version


def _load_version(user, dataset, resource, data: bytes) -> ResourceVersion:
    """Store the CSV as the resource's next version and load it into the datastore (the same
    steps as `workflow.add_version` then `workflow.load`, for a file we generated)."""
    import hashlib

    number = (
        resource.versions.order_by("-number").values_list("number", flat=True).first() or 0
    ) + 1
    dialect = datastore.sniff(io.BytesIO(data))
    columns = datastore.infer_columns(io.BytesIO(data), dialect)
    version = ResourceVersion(
        resource=resource,
        number=number,
        original_name=f"{dataset.name}-{timezone.localdate():%Y%m%d}.csv",
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        media_type=publishing.FORMAT_MEDIA_TYPES["CSV"],
        format="CSV",
        dialect={
            "encoding": dialect.encoding,
            "delimiter": dialect.delimiter,
            "header": dialect.header,
        },
        columns=[{"id": c.id, "type": c.type} for c in columns],
        created_by=user,
    )
    version.file.save("upload", ContentFile(data), save=False)
    name = version.file.name
    try:
        datastore.drop(version.key)
        report = datastore.load(io.BytesIO(data), version.key, columns, dialect)
    except datastore.LoadError as error:
        version.file.storage.delete(name)
        raise ValidationError(str(error), code="unreadable") from error
    if not report.ok:
        version.file.storage.delete(name)
        raise ValidationError(
            _("Tabel rekap tidak dapat dimuat: %(error)s")
            % {"error": report.errors[0][3] if report.errors else ""},
            code="unreadable",
        )
    version.state = ResourceVersion.State.LOADED
    version.row_count = report.rows
    version.loaded_at = timezone.now()
    version.report = {"rows": report.rows, "error_count": 0, "errors": []}
    version.save()
    Resource.objects.filter(pk=resource.pk).update(current=version, format="CSV")
    resource.current = version
    return version
