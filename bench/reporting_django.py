"""Django-side helper of bench/reporting: runs inside the project with the benchmark's settings.

bench/reporting (the orchestrator) calls it with the project's venv Python and the same
environment gunicorn gets (DATABASE_URL, REDIS_URL, DJANGO_SETTINGS_MODULE, identity keys, ...).
Every subcommand prints one JSON object on the last line of stdout; anything else is chatter.

    build --opds N --months M --types T   the dataset: N OPDs (plain rows, of every OPD type),
          --username U --password P       T monthly report types due from all of them since M
                                          months ago, a submission per OPD, type and ended
                                          period in mixed states (about 6% never started), each
                                          with the history events of one revision, written with
                                          bulk_create; and a Kominfo superuser U with password P
    heavy --revisions R                   give every submission R revisions' worth of history
                                          (correction, saves, sending, approval per revision;
                                          more saves for drafts): the activity per cell grows
                                          about R-fold, the number of cells does not
    queries --username U --url URL ...    SQL queries and in-process time of each URL (Django
                                          test client logged in as U: a cold request, then two
                                          warm ones whose counts must be equal)

The dataset is built through the ORM, as the demo's seed does, not through the workflow
functions: those check users and lock one row per step, which would take hours for the
~10,000 reports and ~400,000 events here and would measure nothing the benchmark is about.
"""

import argparse
import datetime
import json
import os
import random
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "satupintu.settings.production")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

HOST = "127.0.0.1"
SEED = 3524
REPORT_TYPES = [
    ("Laporan kegiatan bulanan", "kegiatan"),
    ("Statistik pelayanan publik", "data"),
    ("Realisasi anggaran bulanan", "data"),
    ("Rekap pengaduan masyarakat", "data"),
    ("Laporan kepegawaian bulanan", "data"),
]
# Share of cells in each state (the rest is approved); "late" is a share of those sent.
MISSING, DRAFT, RETURNED, WAITING, LATE = 0.06, 0.04, 0.03, 0.05, 0.2


def emit(payload):
    print(json.dumps(payload, default=str))


def months_before(day, months):
    index = day.year * 12 + day.month - 1 - months
    return datetime.date(index // 12, index % 12 + 1, 1)


def moment(day, hour):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def fields_json(index):
    """A small form: a text and three numbers (what most data reports look like)."""
    number = {"required": True, "unit": "", "decimals": 0, "min_value": "0", "max_value": None}
    return json.dumps(
        [
            {"type": "text", "value": {"label": "Uraian singkat", "key": "uraian"}},
            *(
                {"type": "number", "value": {**number, "label": f"Angka {n}", "key": f"angka_{n}"}}
                for n in (1, 2, 3)
            ),
        ]
    )


# --- build ---------------------------------------------------------------------------------
def cmd_build(args):
    from django.contrib.auth import get_user_model

    from satupintu.opd.models import OPD
    from satupintu.opd.provisioning import ensure_kominfo_group
    from satupintu.reporting.models import ReportType, Submission, SubmissionEvent
    from satupintu.reporting.workdays import Calendar

    started = time.perf_counter()
    rng = random.Random(SEED)
    today = timezone.localdate()
    first = months_before(today, args.months)
    Status, Action = Submission.Status, SubmissionEvent.Action
    with transaction.atomic():
        group = ensure_kominfo_group()
        User = get_user_model()
        user = User(username=args.username, is_staff=True, is_superuser=True)
        user.set_password(args.password)
        user.save()
        user.groups.add(group)

        types = OPD.Type.values
        opds = OPD.objects.bulk_create(
            OPD(
                name=f"Perangkat Daerah Bench {n:03d}",
                acronym=f"PD{n:03d}",
                slug=f"pd-bench-{n:03d}",
                type=types[n % len(types)],
            )
            for n in range(1, args.opds + 1)
        )
        report_types = []
        for index, (name, kind) in enumerate(REPORT_TYPES[: args.types], start=1):
            report_type = ReportType(
                name=name,
                slug=f"bench-{index}",
                description="Jenis laporan bench/reporting (bukan data resmi).",
                kind=kind,
                period="bulanan",
                first_period_start=first,
                due_working_days=10,
                opd_types=list(types),
                fields=fields_json(index),
            )
            report_type.full_clean()
            report_type.save()
            report_type.publish_form()
            report_types.append(report_type)

        calendar = Calendar()
        now = timezone.now()
        state_of = {
            Action.SAVED: Status.DRAFT,
            Action.SUBMITTED: Status.SUBMITTED,
            Action.RETURNED: Status.RETURNED,
            Action.APPROVED: Status.APPROVED,
        }
        rows, histories, sent_late = [], [], 0
        for report_type in report_types:
            version = report_type.current_version
            for period in report_type.ended_periods(today):
                due = calendar.add_working_days(period.end, report_type.due_working_days)
                for opd in opds:
                    roll = rng.random()
                    if roll < MISSING:
                        continue
                    late = rng.random() < LATE
                    created = moment(period.end + datetime.timedelta(days=rng.randint(1, 5)), 9)
                    saved = created + datetime.timedelta(hours=1)
                    shift = rng.randint(1, 20) if late else -rng.randint(0, 4)
                    sent = max(moment(due + datetime.timedelta(days=shift), 11), saved)
                    decided = sent + datetime.timedelta(days=2)
                    steps = [Action.CREATED, Action.SAVED]
                    if roll < MISSING + DRAFT or sent >= now:
                        pass  # still a draft
                    elif roll < MISSING + DRAFT + RETURNED:
                        steps += [Action.SUBMITTED, Action.RETURNED]
                    elif roll < MISSING + DRAFT + RETURNED + WAITING or decided >= now:
                        steps += [Action.SUBMITTED]
                    else:
                        steps += [Action.SUBMITTED, Action.APPROVED]
                    is_sent = Action.SUBMITTED in steps
                    sent_late += is_sent and timezone.localdate(sent) > due
                    status = state_of[steps[-1]]
                    data = {
                        "uraian": f"Laporan {opd.acronym} {period.key}",
                        **{f"angka_{n}": str(rng.randint(0, 5000)) for n in (1, 2, 3)},
                    }
                    rows.append(
                        Submission(
                            report_type=report_type,
                            opd=opd,
                            period_start=period.start,
                            period_end=period.end,
                            version=version,
                            status=status,
                            data=data,
                            lock=len(steps) - 1,
                            created_at=created,
                            updated_at=saved,
                            submitted_at=sent if is_sent else None,
                            first_submitted_at=sent if is_sent else None,
                            decided_at=decided if len(steps) == 4 else None,
                            last_approved_at=(decided if status == Status.APPROVED else None),
                            comment="Mohon diperbaiki." if status == Status.RETURNED else "",
                        )
                    )
                    times = [created, saved, sent, decided]
                    histories.append(list(zip(times, steps, strict=False)))
        Submission.objects.bulk_create(rows, batch_size=2000)
        events = [
            SubmissionEvent(
                submission=submission,
                at=at,
                user_name="bench",
                action=action,
                revision=1,
                version=submission.version,
                comment=submission.comment if action == Action.RETURNED else "",
                snapshot=submission.data if action in (Action.SUBMITTED, Action.APPROVED) else None,
            )
            for submission, history in zip(rows, histories, strict=True)
            for at, action in history
        ]
        SubmissionEvent.objects.bulk_create(events, batch_size=5000)
    cells = len(opds) * len(report_types) * len(report_types[0].ended_periods(today))
    emit(
        {
            "opds": len(opds),
            "report_types": len(report_types),
            "matrix_type": report_types[0].slug,
            "periods": len(report_types[0].ended_periods(today)),
            "cells": cells,
            "submissions": len(rows),
            "events": len(events),
            "states": Counter(r.status for r in rows),
            "sent_late": sent_late,
            "seconds": round(time.perf_counter() - started, 1),
        }
    )


# --- heavy ---------------------------------------------------------------------------------
def cmd_heavy(args):
    from satupintu.reporting.models import Submission, SubmissionEvent

    started = time.perf_counter()
    Action = SubmissionEvent.Action
    extra = args.revisions - 1
    added = 0
    ids = list(Submission.objects.order_by("pk").values_list("pk", flat=True))
    chunk = 500
    for offset in range(0, len(ids), chunk):
        batch = Submission.objects.filter(pk__in=ids[offset : offset + chunk]).only(
            "pk", "status", "data", "version_id", "created_at"
        )
        events = []
        for submission in batch:
            at = submission.created_at
            for revision in range(1, extra + 1):
                if submission.status == Submission.Status.DRAFT:
                    steps = [Action.SAVED] * 4
                else:
                    steps = [Action.REOPENED, Action.SAVED, Action.SUBMITTED, Action.APPROVED]
                for action in steps:
                    at += datetime.timedelta(minutes=7)
                    events.append(
                        SubmissionEvent(
                            submission_id=submission.pk,
                            at=at,
                            user_name="bench",
                            action=action,
                            revision=revision,
                            version_id=submission.version_id,
                            comment="Koreksi (bench)." if action == Action.REOPENED else "",
                            snapshot=submission.data
                            if action in (Action.SUBMITTED, Action.APPROVED)
                            else None,
                        )
                    )
        with transaction.atomic():
            SubmissionEvent.objects.bulk_create(events, batch_size=5000)
        added += len(events)
    Submission.objects.exclude(status=Submission.Status.DRAFT).update(revision=args.revisions)
    emit(
        {
            "added_events": added,
            "events": SubmissionEvent.objects.count(),
            "submissions": len(ids),
            "seconds": round(time.perf_counter() - started, 1),
        }
    )


# --- queries -------------------------------------------------------------------------------
def measure(client, url):
    with CaptureQueriesContext(connection) as captured:
        start = time.perf_counter()
        response = client.get(url)
        total_ms = (time.perf_counter() - start) * 1000
    return {
        "status": response.status_code,
        "queries": len(captured),
        "ms": round(total_ms, 1),
        "bytes": len(response.content),
        "sql": [q["sql"] for q in captured.captured_queries],
    }


def cmd_queries(args):
    from django.contrib.auth import get_user_model

    client = Client(HTTP_HOST=HOST)
    client.force_login(get_user_model().objects.get(username=args.username))
    out = {}
    listing = []
    for url in args.url:
        cold = measure(client, url)  # per-process caches (content types, templates) fill here
        warm = measure(client, url)
        again = measure(client, url)
        out[url] = {
            "status": warm["status"],
            "queries_cold": cold["queries"],
            "queries": warm["queries"],
            "stable": warm["queries"] == again["queries"],
            "ms": min(warm["ms"], again["ms"]),
            "bytes": warm["bytes"],
        }
        listing.append(f"-- {url}: {warm['queries']} queries (warm request)")
        listing.extend(sql + ";" for sql in warm["sql"])
        listing.append("")
    if args.sql_out:
        Path(args.sql_out).write_text("\n".join(listing))
    emit(out)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    build = sub.add_parser("build")
    build.add_argument("--opds", type=int, default=60)
    build.add_argument("--months", type=int, default=36)
    build.add_argument("--types", type=int, default=5, choices=range(1, len(REPORT_TYPES) + 1))
    build.add_argument("--username", required=True)
    build.add_argument("--password", required=True)
    heavy = sub.add_parser("heavy")
    heavy.add_argument("--revisions", type=int, default=10)
    queries = sub.add_parser("queries")
    queries.add_argument("--username", required=True)
    queries.add_argument("--url", action="append", required=True)
    queries.add_argument("--sql-out")
    args = parser.parse_args()
    {"build": cmd_build, "heavy": cmd_heavy, "queries": cmd_queries}[args.command](args)


if __name__ == "__main__":
    main()
