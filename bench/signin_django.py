"""Django-side helper of bench/signin: runs inside the project with the benchmark's settings.

bench/signin (the orchestrator) calls it with the project's venv Python and the same
environment gunicorn gets (DATABASE_URL, REDIS_URL, DJANGO_SETTINGS_MODULE, identity keys, ...).
Every subcommand prints one JSON object on the last line of stdout; anything else is chatter.

    hashers --samples N             cost of one password check (and one hash) with each hasher
                                    of PASSWORD_HASHERS, median of N, wall and CPU time, and the
                                    memory one Argon2 check adds to the process
    accounts --count N --out FILE   create N citizen accounts (level 1, e-mail contact) with a
                                    password each, hashed by the production hasher; writes
                                    [{"nik", "password"}] to FILE
    failures --accounts FILE        in-process (Django test Client, one fake REMOTE_ADDR per
             --tries N              request) sign-in POSTs: unknown NIK, wrong password of an
                                    existing NIK, right password; median of N each
"""

import argparse
import datetime
import json
import os
import secrets
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "satupintu.settings.production")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth.hashers import (  # noqa: E402
    check_password,
    get_hasher,
    get_hashers,
    make_password,
)

HOST = "127.0.0.1"
REGENCY = "3524"  # Lamongan: 27 kecamatan, 35.24.01 .. 35.24.27
DISTRICTS = 27
SIGNIN = "/akun/masuk/"


def emit(payload):
    print(json.dumps(payload, default=str))


def vm_kb(field):
    for line in open("/proc/self/status"):  # noqa: SIM115 (tiny procfs file)
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def timed(fn, samples):
    """Median wall and CPU (all threads of this process) seconds of `samples` calls."""
    walls, cpus = [], []
    for _ in range(samples):
        cpu, wall = time.process_time(), time.perf_counter()
        fn()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus)


# --- hashers ---------------------------------------------------------------------------------
def cmd_hashers(args):
    password = "Bench-" + secrets.token_urlsafe(12)
    result = {"order": list(settings.PASSWORD_HASHERS), "hashers": []}
    hwm_before = vm_kb("VmHWM")
    for hasher in get_hashers():
        encoded = hasher.encode(password, hasher.salt())
        summary = hasher.safe_summary(encoded)
        params = {
            k: v
            for k, v in summary.items()
            if k in ("variety", "version", "memory cost", "time cost", "parallelism", "iterations")
        }
        assert check_password(password, encoded)
        if hasher.algorithm == "argon2":
            result["argon2_rss_added_kb"] = vm_kb("VmHWM") - hwm_before
        check_wall, check_cpu = timed(lambda e=encoded: check_password(password, e), args.samples)
        hash_wall, hash_cpu = timed(lambda h=hasher: h.encode(password, h.salt()), args.samples)
        result["hashers"].append(
            {
                "algorithm": hasher.algorithm,
                "path": f"{type(hasher).__module__}.{type(hasher).__qualname__}",
                "params": params,
                "check_ms": check_wall * 1000,
                "check_cpu_ms": check_cpu * 1000,
                "hash_ms": hash_wall * 1000,
                "hash_cpu_ms": hash_cpu * 1000,
                "samples": args.samples,
            }
        )
    result["peak_rss_kb"] = vm_kb("VmHWM")
    emit(result)


# --- accounts --------------------------------------------------------------------------------
def nik_for(index):
    """A NIK valid by satupintu.identity.nik: 3524 + kecamatan + DDMMYY (women +40) + serial.
    The serial is index + 1, so every NIK is unique."""
    district = 1 + index % DISTRICTS
    birth = datetime.date(1960 + index % 45, 1 + index % 12, 1 + index % 28)
    sex = "P" if index % 2 else "L"
    day = birth.day + (40 if sex == "P" else 0)
    digits = f"{REGENCY}{district:02d}{day:02d}{birth.month:02d}{birth.year % 100:02d}"
    return f"{digits}{index + 1:04d}", birth, sex


def _hash(password):
    return make_password(password)


def create_accounts(count, jobs):
    """`count` citizens with random passwords, hashed with the production hasher in a pool of
    processes. Shared with bench/oidc_django.py. Returns (people, users, seconds hashing)."""
    from django.db import connections, transaction

    from satupintu.citizens.accounts import create_citizen
    from satupintu.identity import nik as nik_rules

    if count > 9999:
        raise SystemExit("at most 9,999 accounts (the NIK serial has four digits)")
    people = []
    for index in range(count):
        nik, birth, sex = nik_for(index)
        parsed = nik_rules.parse(nik)  # the project's own rules must accept it
        assert parsed.birth_date() == birth and parsed.sex == sex, nik
        people.append(
            {
                "nik": nik,
                "birth": birth,
                "sex": sex,
                "password": f"Bench-{secrets.token_urlsafe(12)}-{index}",
            }
        )
    started = time.perf_counter()
    # Hashing is the slow part (Argon2 at production cost): in a pool of processes, each doing
    # what user.set_password() does, make_password() with the first of PASSWORD_HASHERS.
    connections.close_all()
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        hashes = list(pool.map(_hash, [p["password"] for p in people], chunksize=4))
    hashed = time.perf_counter() - started
    users = []
    with transaction.atomic():
        for index, (person, encoded) in enumerate(zip(people, hashes, strict=True)):
            citizen = create_citizen(
                nik=person["nik"],
                full_name=f"WARGA BENCH {index + 1}",
                birth_date=person["birth"],
                sex=person["sex"],
                verdict_row=None,
                contact={"email": f"warga{index}@bench.invalid"},
                level=1,
                source="bench",
            )
            assert not citizen.two_step, "two-step sign-in must be off for the benchmarks"
            user = citizen.user
            user.password = encoded  # = user.set_password(password), hashed in the pool above
            user.save(update_fields=["password"])
            users.append(user)
    return people, users, hashed


def cmd_accounts(args):
    started = time.perf_counter()
    people, users, hashed = create_accounts(args.count, args.jobs)
    user = users[-1]
    # One account checked end to end with the real set_password(), so a hasher or model change
    # that the pool shortcut would hide shows up here.
    user.set_password(people[-1]["password"])
    user.save(update_fields=["password"])
    assert user.check_password(people[-1]["password"])
    assert user.password.startswith(get_hasher().algorithm + "$")
    Path(args.out).write_text(
        json.dumps([{"nik": p["nik"], "password": p["password"]} for p in people])
    )
    emit(
        {
            "created": len(people),
            "seconds": time.perf_counter() - started,
            "hash_seconds": hashed,
            "jobs": args.jobs,
            "algorithm": get_hasher().algorithm,
        }
    )


# --- failed sign-ins, in-process -------------------------------------------------------------
def cmd_failures(args):
    from django.test import Client

    from satupintu.citizens.models import Citizen

    accounts = json.loads(Path(args.accounts).read_text())
    if len(accounts) < 2 * args.tries + 1:
        raise SystemExit(f"need {2 * args.tries + 1} accounts for --tries {args.tries}")
    unknown = [nik_for(9000 + i)[0] for i in range(args.tries)]  # valid NIKs, no account
    assert not any(Citizen.objects.by_nik(n).exists() for n in unknown)
    # Each try: its own NIK (at most one failure per account, far below 5) and its own
    # REMOTE_ADDR (far below 30 failures per address), so no answer is a throttled 429.
    cases = {
        "unknown_nik": [(n, "Bench-" + secrets.token_urlsafe(12)) for n in unknown],
        "wrong_password": [(a["nik"], a["password"] + "x") for a in accounts[: args.tries]],
        "right_password": [
            (a["nik"], a["password"]) for a in accounts[args.tries : 2 * args.tries]
        ],
    }
    expected = {"unknown_nik": 200, "wrong_password": 200, "right_password": 302}
    client = Client(HTTP_HOST=HOST)  # no CSRF enforcement: this times the view, not the token
    client.post(
        SIGNIN,
        {"nik": accounts[-1]["nik"], "password": accounts[-1]["password"]},
        REMOTE_ADDR="10.99.0.1",
    )  # warm-up: imports, connections, templates
    # The cases take turns, so a change in the machine's load hits all three alike.
    times = {name: [] for name in cases}
    statuses = {name: {} for name in cases}
    address = 0
    for turn in range(args.tries):
        for name in cases:
            nik, password = cases[name][turn]
            client.cookies.clear()
            address += 1
            start = time.perf_counter()
            response = client.post(
                SIGNIN,
                {"nik": nik, "password": password},
                REMOTE_ADDR=f"10.98.{address // 250}.{address % 250 + 1}",
            )
            times[name].append(time.perf_counter() - start)
            statuses[name][response.status_code] = statuses[name].get(response.status_code, 0) + 1
    result = {
        name: {
            "median_ms": statistics.median(times[name]) * 1000,
            "min_ms": min(times[name]) * 1000,
            "max_ms": max(times[name]) * 1000,
            "tries": len(times[name]),
            "statuses": statuses[name],
            "as_expected": statuses[name].get(expected[name], 0),
        }
        for name in cases
    }
    emit(result)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("hashers")
    p.add_argument("--samples", type=int, default=15)
    p = sub.add_parser("accounts")
    p.add_argument("--count", type=int, default=200)
    p.add_argument("--out", required=True)
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    p = sub.add_parser("failures")
    p.add_argument("--accounts", required=True)
    p.add_argument("--tries", type=int, default=15)
    args = parser.parse_args()
    {"hashers": cmd_hashers, "accounts": cmd_accounts, "failures": cmd_failures}[args.command](args)


if __name__ == "__main__":
    main()
