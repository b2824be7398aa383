"""What each OPD owes, per report type and period, and where it stands.

Obligations are computed, not stored: from the report types (who must report, how often,
since when), the OPDs, the calendar (due date = period end + N working days) and one query
over the submissions in the window. The dashboard, the OPD's own list, the reminders and the
exports all read this one function, so they cannot disagree, and its cost does not grow with
the number of submissions per cell (one row per OPD, type and period at most).
"""

import datetime
from dataclasses import dataclass
from functools import cached_property

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from satupintu.opd.models import OPD

from . import periods as period_rules
from .models import ReportType, Submission
from .workdays import Calendar

NOT_STARTED = "belum"
LATE = "terlambat"

STATE_LABELS = {
    NOT_STARTED: _("Belum diisi"),
    Submission.Status.DRAFT: _("Draf"),
    Submission.Status.SUBMITTED: _("Dikirim"),
    Submission.Status.RETURNED: _("Dikembalikan"),
    Submission.Status.APPROVED: _("Disetujui"),
    LATE: _("Terlambat"),
}
DONE = {Submission.Status.SUBMITTED, Submission.Status.APPROVED}


@dataclass
class Obligation:
    report_type: ReportType
    opd: OPD
    period: period_rules.Period
    due_date: datetime.date
    submission: dict | None  # the fields read by `rows()`, or None when nothing was saved
    today: datetime.date

    @property
    def state(self) -> str:
        return self.submission["status"] if self.submission else NOT_STARTED

    @cached_property
    def approved(self) -> bool:
        """Approved content stands: also while a correction of it is being drafted."""
        s = self.submission
        return bool(s) and (
            s["status"] == Submission.Status.APPROVED or bool(s["last_approved_at"])
        )

    @cached_property
    def handed_in(self) -> bool:
        return self.state in DONE or self.approved

    @cached_property
    def overdue(self) -> bool:
        """Past the due date and never handed in (a returned report counts as not)."""
        return not self.handed_in and self.today > self.due_date

    @cached_property
    def submitted_late(self) -> bool:
        first = self.submission and self.submission["first_submitted_at"]
        return bool(first) and timezone.localdate(first) > self.due_date

    @property
    def late(self) -> bool:
        return self.overdue or self.submitted_late

    @property
    def correcting(self) -> bool:
        return self.approved and self.state != Submission.Status.APPROVED

    @property
    def status(self) -> str:
        """The one status shown: "terlambat" while overdue, else the submission's state
        ("disetujui" for approved content under correction)."""
        if self.overdue:
            return LATE
        return Submission.Status.APPROVED if self.approved else self.state

    @property
    def status_label(self):
        return STATE_LABELS[self.status]

    @property
    def ended(self) -> bool:
        return self.period.end < self.today

    @property
    def days_left(self) -> int:
        return (self.due_date - self.today).days


def opds_for(report_type, all_opds, named_ids):
    types = set(report_type.opd_types or [])
    return [o for o in all_opds if o.type in types or o.pk in named_ids]


def compute(
    report_types=None,
    opds=None,
    since: datetime.date | None = None,
    today: datetime.date | None = None,
    include_current: bool = False,
    calendar: Calendar | None = None,
) -> list[Obligation]:
    """Every obligation of `opds` (default: all) under `report_types` (default: active ones)
    whose period ended on or after `since` and before `today`; with `include_current`, also
    the period running today (an OPD may report on it early)."""
    today = today or timezone.localdate()
    calendar = calendar or Calendar()
    if report_types is None:
        report_types = ReportType.objects.filter(active=True)
    report_types = list(report_types.prefetch_related("opds"))
    if opds is None:
        opds = OPD.objects.all()
    opds = list(opds.order_by("name"))
    opd_ids = [o.pk for o in opds]

    plan = []
    for report_type in report_types:
        targets = opds_for(report_type, opds, {o.pk for o in report_type.opds.all()})
        if not targets:
            continue
        due_periods = report_type.ended_periods(today)
        if include_current and report_type.period != period_rules.ONE_OFF:
            current = report_type.period_for(today)
            if (
                current.start
                >= period_rules.containing(report_type.period, report_type.first_period_start).start
            ):
                due_periods.append(current)
        elif include_current:
            one_off = report_type.period_for(today)
            if one_off.start <= today <= one_off.end:
                due_periods.append(one_off)
        if since is not None:
            due_periods = [p for p in due_periods if p.end >= since]
        for period in due_periods:
            due = calendar.add_working_days(period.end, report_type.due_working_days)
            plan.append((report_type, period, due, targets))

    if not plan:
        return []
    first_start = min(period.start for _rt, period, _due, _targets in plan)
    found = {
        (row["report_type_id"], row["opd_id"], row["period_start"]): row
        for row in Submission.objects.filter(
            report_type__in=[rt for rt, *_ in plan],
            opd_id__in=opd_ids,
            period_start__gte=first_start,
        ).values(
            "id",
            "report_type_id",
            "opd_id",
            "period_start",
            "status",
            "revision",
            "submitted_at",
            "first_submitted_at",
            "last_approved_at",
            "decided_at",
            "updated_at",
        )
    }
    result = []
    for report_type, period, due, targets in plan:
        for opd in targets:
            result.append(
                Obligation(
                    report_type=report_type,
                    opd=opd,
                    period=period,
                    due_date=due,
                    submission=found.get((report_type.pk, opd.pk, period.start)),
                    today=today,
                )
            )
    return result
