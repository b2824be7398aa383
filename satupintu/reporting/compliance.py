"""The figures of the compliance dashboard and its exports, from `obligations.compute`.

Counted over obligations whose due date has passed (an OPD cannot be late for what is not
yet due): "lengkap" = approved, "tepat waktu" = first sent by the due date, "terlambat" =
overdue now or sent after the due date. Everything is computed in memory from one query of
submissions, so the cost follows OPDs × periods × report types, not the number of edits.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Max
from django.utils import timezone

from . import obligations as obligation_rules

KIP_MAX_AGE = datetime.timedelta(days=183)  # UU 14/2008: berkala, at least every six months


@dataclass
class Tally:
    due: int = 0
    approved: int = 0
    sent: int = 0  # sent or approved
    on_time: int = 0
    overdue: int = 0
    sent_late: int = 0

    late: int = 0  # overdue now or first sent after the due date, each report once

    def add(self, o):
        self.add_counts(counts(o))

    def add_counts(self, c):
        self.due += 1
        self.approved += c[0]
        self.sent += c[1]
        self.on_time += c[2]
        self.overdue += c[3]
        self.sent_late += c[4]
        self.late += c[5]

    @property
    def completion(self) -> float | None:
        return self.approved / self.due if self.due else None

    @property
    def on_time_rate(self) -> float | None:
        return self.on_time / self.due if self.due else None


def counts(o) -> tuple:
    """What one obligation adds to a tally, worked out once (it is added to four)."""
    handed_in, late_sent, overdue = o.handed_in, o.submitted_late, o.overdue
    return (
        o.approved,
        handed_in,
        handed_in and not late_sent,
        overdue,
        late_sent,
        overdue or late_sent,
    )


@dataclass
class Figures:
    rows: list  # every obligation in the window (period ended, or due)
    by_opd: dict = field(default_factory=dict)  # OPD -> Tally
    by_type: dict = field(default_factory=dict)  # ReportType -> Tally
    total: Tally = field(default_factory=Tally)
    late: list = field(default_factory=list)  # overdue obligations, oldest due first
    trend: list = field(default_factory=list)  # [(month start, Tally)] by due month
    matrix_periods: list = field(default_factory=list)
    matrix: list = field(default_factory=list)  # [(OPD, [Obligation | None per period])]


def figures(report_types=None, opds=None, months=12, matrix_type=None, today=None) -> Figures:
    today = today or timezone.localdate()
    since = (today.replace(day=1) - datetime.timedelta(days=31 * (months - 1))).replace(day=1)
    rows = obligation_rules.compute(report_types=report_types, opds=opds, since=since, today=today)
    result = Figures(rows=rows)
    # Keyed by id: hashing model instances costs a pk lookup per use.
    by_opd, by_type, by_month = defaultdict(Tally), defaultdict(Tally), defaultdict(Tally)
    opd_of, type_of = {}, {}
    for o in rows:
        if o.due_date >= today:
            continue  # not due yet: neither complete nor late
        c = counts(o)
        opd_id, type_id = o.opd.pk, o.report_type.pk
        opd_of[opd_id], type_of[type_id] = o.opd, o.report_type
        by_opd[opd_id].add_counts(c)
        by_type[type_id].add_counts(c)
        by_month[o.due_date.replace(day=1)].add_counts(c)
        result.total.add_counts(c)
        if c[3]:
            result.late.append(o)
    result.by_opd = {
        opd_of[k]: t for k, t in sorted(by_opd.items(), key=lambda kv: opd_of[kv[0]].name)
    }
    result.by_type = {
        type_of[k]: t for k, t in sorted(by_type.items(), key=lambda kv: type_of[kv[0]].name)
    }
    result.trend = sorted(by_month.items())
    result.late.sort(key=lambda o: (o.due_date, o.opd.name, o.report_type.name))
    if matrix_type is not None:
        mine = [o for o in rows if o.report_type.pk == matrix_type.pk]
        cells = {(o.opd.pk, o.period.start): o for o in mine}
        periods = sorted({o.period for o in mine})
        opds_in = sorted({o.opd.pk: o.opd for o in mine}.values(), key=lambda x: x.name)
        result.matrix_periods = periods
        result.matrix = [(opd, [cells.get((opd.pk, p.start)) for p in periods]) for opd in opds_in]
    return result


@dataclass
class KipRow:
    opd: object
    last_document: datetime.datetime | None
    last_profile: datetime.datetime | None
    stale: bool

    @property
    def last_update(self):
        dates = [d for d in (self.last_document, self.last_profile) if d]
        return max(dates) if dates else None


def kip_berkala(opds, now=None) -> list[KipRow]:
    """When each OPD last published its informasi berkala (PPID documents in that category)
    and its profile (the OPD home page); stale when either is older than six months."""
    from satupintu.opd.models import OPDHomePage
    from satupintu.ppid.models import PPIDDocumentPage

    now = now or timezone.now()
    opds = list(opds.order_by("name"))
    ids = [o.pk for o in opds]
    documents = dict(
        PPIDDocumentPage.objects.live()
        .filter(opd_id__in=ids, category=PPIDDocumentPage.Category.BERKALA)
        .values("opd_id")
        .annotate(last=Max("last_published_at"))
        .values_list("opd_id", "last")
    )
    profiles = dict(
        OPDHomePage.objects.live().filter(opd_id__in=ids).values_list("opd_id", "last_published_at")
    )
    result = []
    for opd in opds:
        document, profile = documents.get(opd.pk), profiles.get(opd.pk)
        stale = any(d is None or now - d > KIP_MAX_AGE for d in (document, profile))
        result.append(KipRow(opd, document, profile, stale))
    return result
