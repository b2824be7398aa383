"""The load generator of bench/load: client processes, each running threads of closed-loop
clients, and the statistics of what they recorded.

Processes, because one CPython process cannot drive more than ~1,500 requests/s (the GIL);
threads within them, because the clients spend most of their time waiting for the server. Each
process measures its own CPU time, so the report can say how much of the 2 cores the load
generator itself took.
"""

import math
import multiprocessing
import os
import queue
import threading
import time
from collections import Counter, defaultdict

import load_client as lc


def _client_thread(port, targets, seed, deadline, think, pacer, out, stop):
    rng = lc.make_rng(seed)
    records = []

    def record(kind, status, seconds, ok, error, path):
        records.append((time.time(), kind, status, seconds, ok, error, path))

    client = lc.Client(port, record)
    actions = lc.Actions(targets, rng)
    table = {
        "browse": actions.browse,
        "search": actions.search,
        "citizen": actions.citizen,
        "operator": actions.operator,
    }
    counts = Counter()
    marks = []  # (when, action) as each action ends: actions/s within a window
    if think and pacer is None:
        # People arrive over time, not all in the same millisecond: a client's first action
        # comes after a think time like every other (a closed loop's steady state).
        time.sleep(min(rng.expovariate(1 / think), max(0.0, deadline - time.time())))
    while time.time() < deadline and not stop.is_set():
        if pacer is not None:
            slot = pacer()
            if slot is None:
                break
            wait = slot - time.time()
            if wait > 0:
                time.sleep(wait)
            if time.time() >= deadline:
                break
        name = lc.pick(rng, lc.MIX)
        try:
            table[name](client)
            counts[name] += 1
            marks.append((time.time(), name))
        except lc.Failed:
            counts[name + "_failed"] += 1
            marks.append((time.time(), name + "_failed"))
            # A person whose page failed waits a moment before trying again.
            time.sleep(0.2)
        if think:
            time.sleep(rng.expovariate(1 / think))
    client.close()
    out.append((records, counts, marks))


def _process(port, targets, clients, seed, start_at, duration, think, rate, results):
    """One load-generator process: `clients` threads; `rate` actions/s for this process in
    all (open-loop pacing) or None (closed loop)."""
    deadline = start_at + duration
    stop = threading.Event()
    pacer = None
    if rate:
        lock = threading.Lock()
        state = {"next": start_at}

        def pacer():
            with lock:
                slot = state["next"]
                state["next"] += 1 / rate
            return slot if slot < deadline else None

    while time.time() < start_at:
        time.sleep(min(0.05, start_at - time.time()))
    cpu0 = time.process_time()
    out = []
    threads = [
        threading.Thread(
            target=_client_thread,
            daemon=True,
            args=(port, targets, seed * 1000 + i, deadline, think, pacer, out, stop),
        )
        for i in range(clients)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(max(1.0, deadline - time.time() + 60))
    stop.set()
    records, counts, marks = [], Counter(), []
    for r, c, m in out:
        records.extend(r)
        counts.update(c)
        marks.extend(m)
    results.put((records, dict(counts), time.process_time() - cpu0, marks))


class Load:
    """`clients` closed-loop clients spread over `procs` processes for `duration` seconds;
    start() returns at once, result() waits."""

    def __init__(self, port, targets, clients, duration, procs=2, think=0.0, rate=None, seed=1):
        self.ctx = multiprocessing.get_context("spawn")
        self.results = self.ctx.Queue()
        self.duration = duration
        procs = max(1, min(procs, clients))
        share = [clients // procs + (1 if i < clients % procs else 0) for i in range(procs)]
        self.start_at = time.time() + 1.5  # the spawned interpreters start meanwhile
        self.procs = [
            self.ctx.Process(
                target=_process,
                daemon=True,
                args=(
                    port,
                    targets,
                    n,
                    seed * 100 + i,
                    self.start_at,
                    duration,
                    think,
                    rate * n / clients if rate else None,
                    self.results,
                ),
            )
            for i, n in enumerate(share)
        ]

    def start(self):
        for p in self.procs:
            p.start()
        return self

    def result(self):
        records, counts, cpu, marks = [], Counter(), 0.0, []
        for _ in self.procs:
            try:
                r, c, seconds, m = self.results.get(timeout=self.duration + 180)
            except queue.Empty:
                break
            records.extend(r)
            counts.update(c)
            marks.extend(m)
            cpu += seconds
        for p in self.procs:
            p.join(10)
            if p.is_alive():
                p.kill()
        records.sort()
        return {
            "records": records,
            "actions": dict(counts),
            "marks": sorted(marks),
            "loadgen_cpu": cpu,
            "start": self.start_at,
            "duration": self.duration,
        }

    def stop(self):
        for p in self.procs:
            if p.is_alive():
                p.kill()


def percentile(values, pct):
    if not values:
        return float("nan")
    index = min(len(values) - 1, max(0, math.ceil(pct / 100 * len(values)) - 1))
    return values[index]


def summarize(raw, window=None):
    """Throughput, latency percentiles and errors of one run (or of [t0, t1) within it)."""
    records = raw["records"]
    duration = raw["duration"]
    actions = raw["actions"]
    if window:
        records = [r for r in records if window[0] <= r[0] < window[1]]
        duration = window[1] - window[0]
        actions = Counter(m[1] for m in raw.get("marks", ()) if window[0] <= m[0] < window[1])
    latencies = sorted(r[3] for r in records)
    by_kind = defaultdict(list)
    for r in records:
        by_kind[r[1]].append(r[3])
    errors = [r for r in records if not r[4]]
    error_kinds = Counter(f"{r[1]}: {r[5]}" for r in errors)
    samples = {}
    for r in errors:
        samples.setdefault(f"{r[1]}: {r[5]}", r[6])
    statuses = Counter(r[2] for r in records)
    done = sum(v for k, v in actions.items() if not k.endswith("_failed"))
    failed = sum(v for k, v in actions.items() if k.endswith("_failed"))
    return {
        "requests": len(records),
        "rps": len(records) / duration,
        "actions_per_s": (done + failed) / duration,
        "p50_ms": percentile(latencies, 50) * 1000,
        "p95_ms": percentile(latencies, 95) * 1000,
        "p99_ms": percentile(latencies, 99) * 1000,
        "max_ms": (latencies[-1] * 1000) if latencies else float("nan"),
        "errors": len(errors),
        "error_rate": len(errors) / max(1, len(records)),
        "error_kinds": dict(error_kinds.most_common(8)),
        "error_samples": samples,
        "conflicts_409": statuses.get(409, 0),
        "status_5xx": sum(n for s, n in statuses.items() if s >= 500),
        # What the public reads (pages, searches, suggestions): the sign-ins share no worker
        # with it (deploy/gunicorn.conf.py's accounts pool).
        "public_p99_ms": percentile(
            sorted(r[3] for r in records if r[1] in ("page", "search", "suggest")), 99
        )
        * 1000,
        "kinds": {
            k: {
                "n": len(v),
                "p50_ms": percentile(sorted(v), 50) * 1000,
                "p95_ms": percentile(sorted(v), 95) * 1000,
                "p99_ms": percentile(sorted(v), 99) * 1000,
            }
            for k, v in sorted(by_kind.items())
        },
        "actions": actions,
        "loadgen_cores": raw["loadgen_cpu"] / raw["duration"],
    }


def per_second(raw):
    """(second offset, requests, errors) over the run: the timeline of the fault phase."""
    buckets = defaultdict(lambda: [0, 0])
    for r in raw["records"]:
        second = int(r[0] - raw["start"])
        buckets[second][0] += 1
        if not r[4]:
            buckets[second][1] += 1
    return [(s, *buckets[s]) for s in sorted(buckets)]


def cpu_count():
    return os.cpu_count() or 1
