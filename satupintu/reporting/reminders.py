"""E-mail reminders for reports, sent by `satupintu send-report-reminders` from cron.

The admin home panel (`panels.py`) only reaches operators who open the admin; this reaches the
ones who do not. It reads the same obligations (`obligations.compute`), so a mail never
disagrees with the dashboard, and it sends two kinds of reminder per report type, OPD and
period: "menjelang tenggat" when the due date is at most `days_before` *working* days away
(a calendar-day window would fire a week early around Idul Fitri and too late after long
weekends), and "lewat tenggat" once the due date has passed. Each kind is sent at most once:
a `Reminder` row is written in the same transaction that sends the mail, and its unique
constraint makes a second, concurrent run skip what the first one claimed. If sending fails,
the transaction rolls back and the next run tries again.

Mail goes to the OPD's operators (they fill in reports); verifikators are copied only on
overdue items, where their follow-up is wanted. One mail per OPD per run lists all of that
OPD's items, built from that OPD's obligations and groups only, so no OPD sees another's.
An OPD whose operators have no e-mail address gets nothing recorded, so that it is reminded
as soon as someone adds an address.
"""

import datetime
import logging
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from . import obligations
from .models import Reminder
from .workdays import Calendar

logger = logging.getLogger(__name__)

Kind = Reminder.Kind


@dataclass
class Item:
    """One obligation to remind of, and which kind of reminder it gets."""

    obligation: obligations.Obligation
    kind: str
    working_days_left: int | None  # before the due date: 0 on the day itself; else None

    @property
    def report_type(self):
        return self.obligation.report_type

    @property
    def period(self):
        return self.obligation.period

    @property
    def due_date(self) -> datetime.date:
        return self.obligation.due_date

    @property
    def state_label(self):
        # The submission's own state ("Belum diisi", "Draf", "Dikembalikan"), not "Terlambat":
        # the mail already says which items are late.
        return obligations.STATE_LABELS[self.obligation.state]

    @property
    def url(self) -> str:
        path = reverse(
            "reporting_fill",
            args=[self.report_type.slug, self.obligation.opd.slug, self.period.key],
        )
        return absolute(path)

    @property
    def key(self) -> tuple:
        return (self.report_type.pk, self.obligation.opd.pk, self.period.start, self.kind)


@dataclass
class Batch:
    """What one OPD would be mailed in this run: its items and its addresses."""

    opd: object
    items: list[Item] = field(default_factory=list)
    operators: list[str] = field(default_factory=list)
    verifiers: list[str] = field(default_factory=list)

    @property
    def has_overdue(self) -> bool:
        return any(item.kind == Kind.OVERDUE for item in self.items)

    @property
    def to(self) -> list[str]:
        return list(self.operators)

    @property
    def cc(self) -> list[str]:
        """Verifikators, only when something is overdue, and never twice for one address."""
        if not self.has_overdue:
            return []
        to = {address.lower() for address in self.to}
        return [address for address in self.verifiers if address.lower() not in to]


def absolute(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def pending(
    today: datetime.date | None = None, days_before: int = 3, calendar: Calendar | None = None
) -> list[Batch]:
    """The reminders due today and not yet recorded, one batch per OPD (in OPD name order).

    Nothing is written; `deliver` claims and sends. The dry run prints this list."""
    today = today or timezone.localdate()
    calendar = calendar or Calendar()
    # The running period too: a report due a few working days after its period ends is
    # already "menjelang tenggat" before the period is over.
    items = obligations.compute(today=today, include_current=True, calendar=calendar)
    if not items:
        return []
    sent = set(
        Reminder.objects.filter(period_start__gte=min(o.period.start for o in items)).values_list(
            "report_type_id", "opd_id", "period_start", "kind"
        )
    )
    left_cache: dict[datetime.date, int] = {}  # many obligations share one due date

    def working_days_left(due):
        if due not in left_cache:
            left_cache[due] = calendar.working_days_between(today, due)
        return left_cache[due]

    batches: dict[int, Batch] = {}
    for obligation in items:
        if obligation.state in obligations.DONE:
            continue
        if obligation.overdue:
            kind = Kind.OVERDUE
        elif obligation.due_date >= today and working_days_left(obligation.due_date) <= days_before:
            kind = Kind.BEFORE
        else:
            continue
        left = working_days_left(obligation.due_date) if kind == Kind.BEFORE else None
        item = Item(obligation, kind, left)
        if item.key in sent:
            continue
        opd = obligation.opd
        batches.setdefault(opd.pk, Batch(opd)).items.append(item)

    result = list(batches.values())
    _add_addresses(result)
    for batch in result:
        batch.items.sort(key=lambda i: (i.due_date, i.report_type.name, i.period.start))
    return result


def _add_addresses(batches: list[Batch]) -> None:
    """Fill in each OPD's active operators and verifikators that have an e-mail address, with
    one query for all OPDs (through the group membership table, so each row names its group)."""
    groups = {}
    for batch in batches:
        if batch.opd.operator_group_id:
            groups[batch.opd.operator_group_id] = batch.operators
        if batch.opd.verifier_group_id:
            groups[batch.opd.verifier_group_id] = batch.verifiers
    if not groups:
        return
    membership = get_user_model().groups.through.objects.filter(
        group_id__in=groups, user__is_active=True
    )
    seen = {group_id: set() for group_id in groups}
    rows = membership.exclude(user__email="").values_list("group_id", "user__email")
    for group_id, email in sorted(rows, key=lambda row: (row[0], row[1].lower())):
        email = email.strip()
        if email and email.lower() not in seen[group_id]:
            seen[group_id].add(email.lower())
            groups[group_id].append(email)


def summarise(batches: list[Batch]) -> dict:
    """The counts `deliver` would return if nothing were claimed meanwhile (for the dry run)."""
    reachable = [batch for batch in batches if batch.to]
    return {
        "sent": len(reachable),
        "items": sum(len(batch.items) for batch in reachable),
        "no_recipient": len(batches) - len(reachable),
        "failed": 0,
    }


def deliver(batches: list[Batch], connection=None) -> dict:
    """Claim and send each OPD's reminders, one transaction and one mail per OPD, over a
    single mail connection.

    A reminder is claimed by inserting its `Reminder` row; one another run inserted first is
    dropped from the mail. A failed send rolls the OPD's claims back (counted as "failed") and
    the other OPDs still get theirs."""
    counts = {"sent": 0, "items": 0, "no_recipient": 0, "failed": 0}
    connection = connection or mail.get_connection()
    connected = close_after = False
    try:
        for batch in batches:
            if not batch.to:
                counts["no_recipient"] += 1
                continue
            if not connected:
                # Open lazily: a run with nothing to send does not touch the mail server. A
                # connection the caller opened stays open (open() then returns False).
                close_after = bool(connection.open())
                connected = True
            try:
                with transaction.atomic():
                    claims = [(item, _claim(item)) for item in batch.items]
                    claimed = [item for item, row in claims if row is not None]
                    if not claimed:
                        continue
                    message = build_message(Batch(batch.opd, claimed, batch.to, batch.verifiers))
                    Reminder.objects.filter(pk__in=[row.pk for _item, row in claims if row]).update(
                        recipients=len(message.recipients())
                    )
                    if not connection.send_messages([message]):
                        raise OSError("the mail backend accepted no message")
            except OSError as error:  # smtplib's errors are OSErrors too
                logger.warning(
                    "Report reminder for OPD %s not sent (%s); it is retried next run.",
                    batch.opd.slug,
                    type(error).__name__,
                )
                counts["failed"] += 1
                continue
            counts["sent"] += 1
            counts["items"] += len(claimed)
    finally:
        if close_after:
            connection.close()
    return counts


def _claim(item: Item) -> Reminder | None:
    """Record the reminder; None when it is already recorded (by an earlier or a concurrent
    run: the unique constraint waits for the other transaction, then refuses)."""
    try:
        with transaction.atomic():
            return Reminder.objects.create(
                report_type=item.report_type,
                opd=item.obligation.opd,
                period_start=item.period.start,
                kind=item.kind,
            )
    except IntegrityError:
        return None


def build_message(batch: Batch) -> mail.EmailMessage:
    """The plain-text mail for one OPD, in the portal's language (Indonesian) whatever language
    the command happens to run in."""
    from satupintu.regency.models import RegencySettings

    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "opd": batch.opd,
            "overdue": [i for i in batch.items if i.kind == Kind.OVERDUE],
            "soon": [i for i in batch.items if i.kind == Kind.BEFORE],
            "copied_to_verifiers": bool(batch.cc),
            "index_url": absolute(reverse("reporting_index")),
            "regency": RegencySettings.load(),
        }
        subject = render_to_string("reporting/email/reminder_subject.txt", context)
        body = render_to_string("reporting/email/reminder_body.txt", context)
    subject = " ".join(subject.split())
    # Template tags on their own lines leave blank runs; keep at most one empty line.
    body = re.sub(r"\n[ \t]*(?:\n[ \t]*)+\n", "\n\n", body).strip() + "\n"
    return mail.EmailMessage(
        subject=subject,
        body=body,
        to=batch.to,
        cc=batch.cc,
        # RFC 3834: out-of-office replies should not answer a robot.
        headers={"Auto-Submitted": "auto-generated"},
    )


def send_due_reminders(today=None, days_before=3, connection=None) -> dict:
    """Send today's reminders; returns counts: mails "sent", "items" reminded, OPDs with
    "no_recipient" (nothing recorded, retried next run) and "failed" sends."""
    calendar = Calendar()
    return deliver(pending(today, days_before, calendar), connection)
