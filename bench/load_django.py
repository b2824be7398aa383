"""Django side of bench/load: runs inside the project with the benchmark's environment.

bench/load calls it with the venv's Python and the environment gunicorn gets. Each subcommand
prints one JSON object on the last line of stdout.

    citizens --count N --out FILE   N citizen accounts (level 1, no two-step verification, so a
                                    sign-in is NIK + password as for most citizens), created
                                    once and reused; writes [{"nik", "password"}] to FILE
    reports --paths JSON            for each fill-in URL: the submission rows of that report
                                    type, OPD and period, the value of a text field, and how
                                    many "saved" events it has (the fault phase's ledger)
    tasks [--ids JSON]              background tasks by status and live worker heartbeats; with
                                    --ids, those tasks' status and how many workers ran each
    enqueue --count N               N document text extractions (the worker's one real task,
                                    idempotent: it rewrites the same row) over the documents
"""

import argparse
import json
import os
import secrets
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "satupintu.settings.production")

import django  # noqa: E402

django.setup()

from django.contrib.auth.hashers import make_password  # noqa: E402

SERIAL_OFFSET = 7000  # away from the demo people's serials


def emit(payload):
    print(json.dumps(payload, default=str))


def nik_for(index):
    """bench/signin_django.py's invented NIKs, with serials away from the demo people's."""
    from signin_django import nik_for as signin_nik  # bench/ is this script's own folder

    return signin_nik(SERIAL_OFFSET + index)


def cmd_citizens(args):
    from django.db import connections, transaction

    from satupintu.citizens.accounts import create_citizen
    from satupintu.citizens.models import Citizen
    from satupintu.identity import nik as nik_rules

    out = Path(args.out)
    saved = json.loads(out.read_text()) if out.is_file() else []
    if len(saved) >= args.count and all(
        Citizen.objects.by_nik(p["nik"]).exists() for p in saved[: args.count]
    ):
        emit({"created": 0, "reused": args.count})
        return
    people = []
    for index in range(args.count):
        nik, birth, sex = nik_for(index)
        parsed = nik_rules.parse(nik)
        assert parsed.birth_date() == birth and parsed.sex == sex, "NIK rules changed"
        people.append(
            {
                "nik": nik,
                "birth": birth,
                "sex": sex,
                "password": f"Muat-{secrets.token_urlsafe(12)}-{index}",
            }
        )
    # Argon2 at production cost: hashed in a pool, as the sign-in benchmark does.
    connections.close_all()
    with ProcessPoolExecutor(max_workers=os.cpu_count()) as pool:
        hashes = list(pool.map(make_password, [p["password"] for p in people], chunksize=4))
    created = 0
    with transaction.atomic():
        for index, (person, encoded) in enumerate(zip(people, hashes, strict=True)):
            citizen = Citizen.objects.by_nik(person["nik"]).select_related("user").first()
            if citizen is None:
                citizen = create_citizen(
                    nik=person["nik"],
                    full_name=f"WARGA UJI BEBAN {index + 1}",
                    birth_date=person["birth"],
                    sex=person["sex"],
                    verdict_row=None,
                    contact={"email": f"warga{index}@load.invalid"},
                    level=1,
                    source="bench/load",
                )
                created += 1
            assert not citizen.two_step, "bench citizens sign in with a password alone"
            citizen.user.password = encoded
            citizen.user.save(update_fields=["password"])
    out.write_text(json.dumps([{"nik": p["nik"], "password": p["password"]} for p in people]))
    out.chmod(0o600)
    emit({"created": created, "reused": args.count - created})


def cmd_reports(args):
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from satupintu.reporting.models import Submission, SubmissionEvent
    from satupintu.reporting.views.common import obligation_target

    kominfo = get_user_model().objects.get(username="kominfo")
    today = timezone.localdate()
    rows = []
    for item in json.loads(args.paths):
        type_slug, opd_slug, period_key = item["path"].strip("/").split("/")[-3:]
        report_type, opd, period = obligation_target(
            kominfo, type_slug, opd_slug, period_key, today
        )
        found = list(
            Submission.objects.filter(report_type=report_type, opd=opd, period_start=period.start)
        )
        rows.append(
            {
                "path": item["path"],
                "rows": len(found),
                "value": (found[0].data or {}).get(item["field"]) if found else None,
                "saved_events": SubmissionEvent.objects.filter(
                    submission__in=found, action=SubmissionEvent.Action.SAVED
                ).count(),
            }
        )
    emit(
        {
            "reports": rows,
            "submissions_total": Submission.objects.count(),
            "events_total": SubmissionEvent.objects.count(),
        }
    )


def cmd_tasks(args):
    from django.db.models import Count
    from django_tasks_db.models import DBTaskResult

    from satupintu.operations.models import WorkerHeartbeat

    by_status = dict(DBTaskResult.objects.values_list("status").annotate(n=Count("id")))
    result = {
        "tasks": by_status,
        "heartbeats": list(WorkerHeartbeat.objects.values("worker_id", "pid", "seen_at")),
    }
    if args.ids:
        wanted = DBTaskResult.objects.filter(id__in=json.loads(args.ids))
        result["ids"] = {
            str(t.id): {"status": t.status, "workers": len(t.worker_ids or [])} for t in wanted
        }
    emit(result)


def cmd_enqueue(args):
    from wagtail.documents import get_document_model

    from satupintu.search.documents import extract_document

    documents = list(get_document_model().objects.values_list("pk", flat=True)[:50])
    if not documents:
        raise SystemExit("no documents to extract (the demo makes some)")
    ids = [
        str(extract_document.enqueue(documents[i % len(documents)]).id) for i in range(args.count)
    ]
    emit({"ids": ids})


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("citizens")
    p.add_argument("--count", type=int, default=100)
    p.add_argument("--out", required=True)
    p = sub.add_parser("reports")
    p.add_argument("--paths", required=True)
    p = sub.add_parser("tasks")
    p.add_argument("--ids", default="")
    p = sub.add_parser("enqueue")
    p.add_argument("--count", type=int, default=20)
    args = parser.parse_args()
    commands = {
        "citizens": cmd_citizens,
        "reports": cmd_reports,
        "tasks": cmd_tasks,
        "enqueue": cmd_enqueue,
    }
    commands[args.command](args)


if __name__ == "__main__":
    main()
