"""E-mail reminders: each kind once per report, OPD and period; working days, not calendar
days; operators receive, verifikators are copied on overdue items; an OPD never sees
another's items; nothing is recorded when nobody could be reached or the mail failed.

The report type is monthly with a due date of 10 working days: April 2026 is due on Tuesday
19 May (1 May, 14 May and the cuti bersama of 15 May are off)."""

import datetime
import smtplib
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from satupintu.reporting import reminders
from satupintu.reporting.models import Reminder, Submission
from satupintu.reporting.workdays import Calendar

from .conftest import APRIL, fill_url

pytestmark = pytest.mark.django_db

D = datetime.date
APRIL_DUE = D(2026, 5, 19)
JAKARTA = ZoneInfo("Asia/Jakarta")


def at(day):
    """Travel to 07:00 in the regency on `day`, when cron runs the command."""
    return time_machine.travel(
        datetime.datetime.combine(day, datetime.time(7), JAKARTA), tick=False
    )


def run(day, **kwargs):
    with at(day):
        return reminders.send_due_reminders(**kwargs)


def addresses(*users):
    for user in users:
        user.email = f"{user.username}@opd.example"
        user.save(update_fields=["email"])


@pytest.fixture
def april(report_type):
    """Obliged from April only, so that each test sees April alone (and, on later days, the
    months after it)."""
    report_type.first_period_start = APRIL.start
    report_type.save(update_fields=["first_period_start"])
    return report_type


@pytest.fixture
def everyone(portal):
    addresses(portal.operator_a, portal.verifier_a, portal.operator_b, portal.verifier_b)
    return portal


def mail_to(user):
    return [m for m in mail.outbox if user.email in m.to]


def submission(report_type, opd, period, status):
    return Submission.objects.create(
        report_type=report_type,
        opd=opd,
        period_start=period.start,
        period_end=period.end,
        version=report_type.current_version,
        status=status,
    )


def test_due_date_of_the_fixture():
    assert Calendar().add_working_days(APRIL.end, 10) == APRIL_DUE


def test_reminder_before_the_due_date_is_sent_once(everyone, april):
    portal = everyone
    # Monday 11 May: 12, 13, 18 and 19 May are four working days away, too early.
    assert run(D(2026, 5, 11)) == {"sent": 0, "items": 0, "no_recipient": 0, "failed": 0}
    assert mail.outbox == []

    # Tuesday 12 May: three working days left (13, 18, 19; 14 and 15 May are off).
    counts = run(D(2026, 5, 12))
    assert counts == {"sent": 2, "items": 2, "no_recipient": 0, "failed": 0}
    [message] = mail_to(portal.operator_a)
    assert message.cc == []  # verifikators are copied on overdue items only
    assert "menjelang tenggat" in message.subject and "lewat" not in message.subject
    assert "Laporan kegiatan bulanan, periode April 2026" in message.body
    assert "Tenggat 19 Mei 2026 (3 hari kerja lagi)" in message.body
    assert "http://testserver" + fill_url(april, portal.a) in message.body
    assert message.extra_headers["Auto-Submitted"] == "auto-generated"
    row = Reminder.objects.get(opd=portal.a)
    assert (row.kind, row.period_start, row.recipients) == ("sebelum", APRIL.start, 1)

    # Later runs before the due date send nothing again, the due date itself included.
    mail.outbox.clear()
    assert run(D(2026, 5, 13))["sent"] == 0
    assert run(APRIL_DUE)["sent"] == 0
    assert mail.outbox == []
    assert Reminder.objects.count() == 2


def test_overdue_reminder_is_sent_once_and_copies_the_verifikator(everyone, april):
    portal = everyone
    run(D(2026, 5, 18))  # the "menjelang tenggat" one
    mail.outbox.clear()

    counts = run(D(2026, 5, 20))
    assert counts == {"sent": 2, "items": 2, "no_recipient": 0, "failed": 0}
    [message] = mail_to(portal.operator_a)
    assert message.to == [portal.operator_a.email]
    assert message.cc == [portal.verifier_a.email]
    assert "1 lewat tenggat" in message.subject
    assert "sudah lewat tenggat" in message.body and "Tenggat 19 Mei 2026" in message.body
    assert "status: Belum diisi" in message.body
    assert "verifikator" in message.body
    row = Reminder.objects.get(opd=portal.a, kind="terlambat")
    assert row.recipients == 2

    mail.outbox.clear()
    assert run(D(2026, 5, 21))["sent"] == 0
    assert run(D(2026, 5, 29))["sent"] == 0
    assert mail.outbox == []


def test_a_report_first_seen_when_overdue_gets_only_the_overdue_reminder(everyone, april):
    run(D(2026, 5, 25))
    kinds = set(Reminder.objects.values_list("kind", flat=True))
    assert kinds == {"terlambat"}


def test_sent_or_approved_reports_get_no_reminder(everyone, report_type):
    portal = everyone
    march = report_type.period_from_key("2026-03")
    report_type.first_period_start = march.start
    report_type.save(update_fields=["first_period_start"])
    submission(report_type, portal.a, march, Submission.Status.APPROVED)
    submission(report_type, portal.a, APRIL, Submission.Status.SUBMITTED)
    # B: March was returned for correction, April is a draft: both still owed.
    submission(report_type, portal.b, march, Submission.Status.RETURNED)
    submission(report_type, portal.b, APRIL, Submission.Status.DRAFT)

    counts = run(D(2026, 5, 20))
    assert counts == {"sent": 1, "items": 2, "no_recipient": 0, "failed": 0}
    assert mail_to(portal.operator_a) == []
    [message] = mail_to(portal.operator_b)
    assert "status: Dikembalikan" in message.body and "status: Draf" in message.body
    assert not Reminder.objects.filter(opd=portal.a).exists()


def test_an_opd_without_addresses_is_reminded_once_someone_has_one(portal, april):
    addresses(portal.verifier_a)  # a verifikator alone is not enough: operators fill reports
    counts = run(D(2026, 5, 20))
    assert counts == {"sent": 0, "items": 0, "no_recipient": 2, "failed": 0}
    assert mail.outbox == [] and not Reminder.objects.exists()

    # An inactive operator with an address does not count either.
    from django.contrib.auth import get_user_model

    gone = get_user_model().objects.create(username="mantan_operator_a", is_active=False)
    gone.groups.add(portal.a.operator_group)
    addresses(gone)
    assert run(D(2026, 5, 21))["no_recipient"] == 2

    addresses(portal.operator_a)
    counts = run(D(2026, 5, 22))
    assert counts == {"sent": 1, "items": 1, "no_recipient": 1, "failed": 0}
    [message] = mail.outbox
    assert message.to == [portal.operator_a.email] and message.cc == [portal.verifier_a.email]
    assert gone.email not in message.recipients()
    assert not Reminder.objects.filter(opd=portal.b).exists()


def test_working_days_skip_idul_fitri_and_cuti_bersama(everyone, report_type):
    """February due 13 working days after 28 Feb is Wednesday 25 March: 18–24 March are Nyepi,
    Idul Fitri and their cuti bersama. So on Friday 13 March, twelve calendar days before, the
    due date is only three working days away (16, 17, 25 March)."""
    portal = everyone
    report_type.first_period_start = D(2026, 2, 1)
    report_type.due_working_days = 13
    report_type.save(update_fields=["first_period_start", "due_working_days"])

    assert run(D(2026, 3, 12))["sent"] == 0  # Thursday: 13, 16, 17, 25 = four working days
    assert run(D(2026, 3, 13))["sent"] == 2
    [message] = mail_to(portal.operator_a)
    assert "periode Februari 2026" in message.body
    assert "Tenggat 25 Maret 2026 (3 hari kerja lagi)" in message.body


def test_an_opd_never_receives_another_opds_items(everyone, april):
    portal = everyone
    run(D(2026, 5, 20))
    [for_a] = mail_to(portal.operator_a)
    [for_b] = mail_to(portal.operator_b)
    assert for_a is not for_b
    assert set(for_a.recipients()) == {portal.operator_a.email, portal.verifier_a.email}
    assert set(for_b.recipients()) == {portal.operator_b.email, portal.verifier_b.email}
    assert "/dinkes/" in for_a.body and "/dlh/" not in for_a.body
    assert "Dinas Lingkungan Hidup" not in for_a.body
    assert "/dlh/" in for_b.body and "/dinkes/" not in for_b.body
    assert "Dinas Kesehatan" not in for_b.body


def test_one_mail_per_opd_lists_all_its_items(everyone, report_type):
    portal = everyone
    report_type.first_period_start = D(2026, 2, 1)
    report_type.save(update_fields=["first_period_start"])
    counts = run(D(2026, 5, 20))  # February, March and April are overdue
    assert counts == {"sent": 2, "items": 6, "no_recipient": 0, "failed": 0}
    [message] = mail_to(portal.operator_a)
    assert "3 lewat tenggat" in message.subject
    for label in ("Februari 2026", "Maret 2026", "April 2026"):
        assert f"periode {label}" in message.body


def test_the_mail_is_in_indonesian_whatever_language_is_active(everyone, april):
    translation.activate("en")
    run(D(2026, 5, 20))
    [message] = mail_to(everyone.operator_a)
    assert "Tenggat 19 Mei 2026" in message.body and "Pengingat laporan" in message.subject


def test_a_reminder_claimed_by_a_concurrent_run_is_left_out(everyone, report_type):
    portal = everyone
    report_type.first_period_start = D(2026, 3, 1)
    report_type.save(update_fields=["first_period_start"])
    with at(D(2026, 5, 20)):
        batches = reminders.pending()
        # Another run records March for Dinkes between this run's reading and its sending.
        Reminder.objects.create(
            report_type=report_type, opd=portal.a, period_start=D(2026, 3, 1), kind="terlambat"
        )
        counts = reminders.deliver(batches)
    assert counts["items"] == 3
    [message] = mail_to(portal.operator_a)
    assert "April 2026" in message.body and "Maret 2026" not in message.body


def test_a_failed_send_records_nothing_and_is_retried(everyone, april):
    class Refusing(mail.get_connection().__class__):
        def send_messages(self, messages):
            raise smtplib.SMTPServerDisconnected("down")

    counts = run(D(2026, 5, 20), connection=Refusing())
    assert counts == {"sent": 0, "items": 0, "no_recipient": 0, "failed": 2}
    assert not Reminder.objects.exists()
    assert run(D(2026, 5, 21))["sent"] == 2


def test_dry_run_lists_without_sending_or_recording(everyone, april):
    out = StringIO()
    with at(D(2026, 5, 20)):
        call_command("send_report_reminders", "--dry-run", "-v", "2", stdout=out)
    output = out.getvalue()
    assert mail.outbox == [] and not Reminder.objects.exists()
    assert "Dinkes: kepada 1 alamat, tembusan 1" in output
    assert "Lewat tenggat: Laporan kegiatan bulanan, April 2026 (tenggat 19-05-2026)" in output
    assert everyone.operator_a.email in output
    assert "Uji coba: 2 surel akan dikirim, 2 laporan diingatkan" in output

    out = StringIO()
    with at(D(2026, 5, 20)):
        call_command("send_report_reminders", stdout=out)
    assert "2 surel dikirim, 2 laporan diingatkan, 0 OPD tanpa alamat surel" in out.getvalue()
    assert len(mail.outbox) == 2 and Reminder.objects.count() == 2


def test_command_days_before_and_failure_exit(everyone, april):
    out = StringIO()
    with at(D(2026, 5, 11)):
        call_command("send_report_reminders", "--days-before", "4", stdout=out)
    assert len(mail.outbox) == 2  # 19 May is four working days after 11 May
    with pytest.raises(CommandError):
        call_command("send_report_reminders", "--days-before", "-1")
