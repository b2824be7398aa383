"""Data out: approved numbers summed or averaged across OPDs and periods.

Only approved content counts. While a correction is being drafted, the last approved
revision stands (the approval's snapshot), so a table never moves until the verifikator has
agreed. A number is placed in a kecamatan by, in this order: a region column in the same
table row, a region field of the report, or the OPD's own kecamatan (a kecamatan office).
Desa/kelurahan codes roll up to their kecamatan. What has no kecamatan is grouped under
"(tanpa kecamatan)", never dropped.

A `Table` is also what the regional data catalog (issue 7) publishes: `PublishedAggregate`
records that Kominfo chose to publish one, and `PublishedAggregate.table()` recomputes it
from the approved reports whenever the catalog asks.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import schema as schema_rules
from .models import Submission, SubmissionEvent

SUM, AVERAGE, COUNT = "jumlah", "rata-rata", "banyak"
FUNCTIONS = [
    (SUM, gettext_lazy("Jumlah")),
    (AVERAGE, gettext_lazy("Rata-rata")),
    (COUNT, gettext_lazy("Banyak laporan")),
]
BY_PERIOD, BY_DISTRICT, BY_OPD, BY_PERIOD_DISTRICT = (
    "periode",
    "kecamatan",
    "opd",
    "periode-kecamatan",
)
GROUPINGS = [
    (BY_PERIOD, gettext_lazy("Per periode")),
    (BY_DISTRICT, gettext_lazy("Per kecamatan")),
    (BY_OPD, gettext_lazy("Per OPD")),
    (BY_PERIOD_DISTRICT, gettext_lazy("Per periode dan kecamatan")),
]
NO_DISTRICT = gettext_lazy("(tanpa kecamatan)")


@dataclass
class Table:
    title: str
    columns: list[str]
    rows: list[list] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def numeric_choices(report_type) -> list[tuple[str, str]]:
    """(path, label) of every numeric field in any version of the report's form, newest label
    first: a field kept across versions under the same key is one series."""
    seen = {}
    for version in report_type.versions.order_by("-number"):
        for spec in schema_rules.numeric_fields(version.schema):
            unit = f" ({spec.get('unit')})" if spec.get("unit") else ""
            seen.setdefault(spec["path"], f"{spec['label']}{unit}")
    return list(seen.items())


def _approved_rows(report_type, opds, since):
    """(submission, data) for every report with approved content, newest approval's content."""
    submissions = list(
        Submission.objects.filter(report_type=report_type, opd__in=opds, period_start__gte=since)
        .select_related("opd", "opd__region", "version")
        .order_by("period_start", "opd__name")
    )
    correcting = [
        s.pk for s in submissions if s.status != Submission.Status.APPROVED and s.revision > 1
    ]
    snapshots = {}
    if correcting:
        for event in SubmissionEvent.objects.filter(
            submission_id__in=correcting, action=SubmissionEvent.Action.APPROVED
        ).order_by("submission_id", "at", "pk"):
            snapshots[event.submission_id] = (event.snapshot, event.version)
    result = []
    for submission in submissions:
        if submission.status == Submission.Status.APPROVED:
            result.append((submission, submission.data, submission.version.schema))
        elif submission.pk in snapshots:
            data, version = snapshots[submission.pk]
            result.append((submission, data or {}, version.schema))
    return result


def _district_names():
    from satupintu.regency.models import Region

    names, parents = {}, {}
    for code, name, level, parent_code in Region.objects.filter(
        level__in=["district", "village"]
    ).values_list("kemendagri_code", "name", "level", "parent__kemendagri_code"):
        if level == "district":
            names[code] = name
        else:
            parents[code] = parent_code
    return names, parents


def _district(code, names, parents):
    if not code:
        return None
    return code if code in names else parents.get(code)


def values(report_type, path, opds, since):
    """Every approved value of `path`: (submission, district code or None, Decimal)."""
    names, parents = _district_names()
    table_key, _sep, column_key = path.partition(".")
    found = []
    for submission, data, schema in _approved_rows(report_type, opds, since):
        specs = {s["key"]: s for s in schema}
        region_field = next((s["key"] for s in schema if s["type"] == "region"), None)
        own = submission.opd.region.kemendagri_code if submission.opd.region_id else None
        report_district = (
            _district(data.get(region_field), names, parents) if region_field else None
        )
        fallback = report_district or own
        if column_key:
            spec = specs.get(table_key)
            if spec is None or spec["type"] != "table":
                continue
            region_column = next(
                (c["key"] for c in spec.get("columns", []) if c["type"] == "region"), None
            )
            for row in data.get(table_key) or []:
                raw = row.get(column_key)
                if raw in (None, ""):
                    continue
                district = (
                    _district(row.get(region_column), names, parents) if region_column else None
                )
                found.append((submission, district or fallback, Decimal(str(raw))))
        else:
            raw = data.get(table_key)
            if (
                raw in (None, "")
                or specs.get(table_key, {}).get("type") not in schema_rules.NUMERIC
            ):
                continue
            found.append((submission, fallback, Decimal(str(raw))))
    return found, names


def _combine(function, numbers):
    if function == COUNT:
        return len(numbers)
    total = sum(numbers, Decimal(0))
    if function == AVERAGE:
        return (total / len(numbers)).quantize(Decimal("0.01")) if numbers else None
    return total


def build(report_type, path, grouping=BY_PERIOD, function=SUM, opds=None, months=12, today=None):
    from django.utils import timezone

    from satupintu.opd.models import OPD

    today = today or timezone.localdate()
    opds = opds if opds is not None else OPD.objects.all()
    since = (today.replace(day=1) - datetime.timedelta(days=31 * (months - 1))).replace(day=1)
    label = dict(numeric_choices(report_type)).get(path, path)
    found, names = values(report_type, path, opds, since)
    groups = defaultdict(list)
    periods = {}
    for submission, district, number in found:
        period = submission.period
        periods[period.key] = period
        district_name = names.get(district, str(NO_DISTRICT)) if district else str(NO_DISTRICT)
        key = {
            BY_PERIOD: (period.key,),
            BY_DISTRICT: (district_name,),
            BY_OPD: (submission.opd.name,),
            BY_PERIOD_DISTRICT: (period.key, district_name),
        }[grouping]
        groups[key].append(number)
    head = {
        BY_PERIOD: [_("Periode")],
        BY_DISTRICT: [_("Kecamatan")],
        BY_OPD: [_("OPD")],
        BY_PERIOD_DISTRICT: [_("Periode"), _("Kecamatan")],
    }[grouping]
    function_label = str(dict(FUNCTIONS)[function])
    table = Table(
        title=f"{report_type.name}: {label}, {function_label.lower()} "
        f"{str(dict(GROUPINGS)[grouping]).lower()}",
        columns=[*head, f"{function_label} {label}", _("Banyak laporan")],
    )
    for key in sorted(
        groups, key=lambda k: tuple(periods[x].start if x in periods else x for x in k)
    ):
        shown = [periods[k].label if k in periods else k for k in key]
        table.rows.append([*shown, _combine(function, groups[key]), len(groups[key])])
    table.notes.append(
        _("Hanya laporan yang sudah disetujui verifikator OPD; %(n)s nilai.") % {"n": len(found)}
    )
    return table
