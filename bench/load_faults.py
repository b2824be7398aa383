"""The fault phase of bench/load: PostgreSQL restarted, Redis stopped for a while, the worker
killed, all during a mixed load, with a probe that says when the site answers normally again
and a ledger of report drafts that must be neither lost nor doubled.

The app has no idempotency key on any form (reporting, citizens, datacatalog: none found), so
the ledger relies on what it does have: one submission per report type, OPD and period (a
unique constraint) and an optimistic lock, and every save writes one "saved" event. A writer
saves drafts one after the other with a marker of its own in a text field and, like a person,
presses save again when a save fails. Afterwards: the rows per report must not have grown, the
last acknowledged marker must be stored, and the saved events must lie between the saves
acknowledged and those plus the ones whose answer was lost (the ambiguous ones).
"""

import threading
import time
import uuid

import load_client as lc


class Probe(threading.Thread):
    """Every 0.25 s one request that nginx cannot answer from its cache (a search with a
    query never asked before), so it measures Django, PostgreSQL and Redis."""

    def __init__(self, port):
        super().__init__(name="probe", daemon=True)
        self.port = port
        self.samples = []  # (time, ok, what)
        self.stopped = threading.Event()

    def run(self):
        client = lc.Client(self.port, lambda *a: None, timeout=10)
        while not self.stopped.is_set():
            started = time.time()
            query = f"layanan {uuid.uuid4().hex[:8]}"
            try:
                client.request("probe", "GET", f"/cari/?q={query.replace(' ', '+')}")
                self.samples.append((started, True, ""))
            except lc.Failed as error:
                self.samples.append((started, False, str(error)[-80:]))
            self.stopped.wait(max(0.0, 0.25 - (time.time() - started)))
        client.close()

    def recovered_at(self, since, streak=4):
        """The start of the first run of `streak` successes after `since`."""
        run = []
        for t, ok, _ in self.samples:
            if t < since:
                continue
            if ok:
                run.append(t)
                if len(run) >= streak:
                    return run[0]
            else:
                run = []
        return None

    def failures(self, t0, t1):
        return [s for s in self.samples if t0 <= s[0] < t1 and not s[1]]

    def count(self, t0, t1):
        return sum(1 for s in self.samples if t0 <= s[0] < t1)


class Writer(threading.Thread):
    """Report drafts saved one after another, each retried until acknowledged (60 s at most)."""

    def __init__(self, port, targets, rng):
        super().__init__(name="writer", daemon=True)
        self.port, self.targets, self.rng = port, targets, rng
        self.stopped = threading.Event()
        self.acked = {}  # path -> list of markers, in order
        self.ambiguous = {}  # path -> saves whose answer was lost (may or may not be stored)
        self.failed_saves = 0
        self.given_up = 0
        self.errors = []

    def run(self):
        client = self.client = lc.Client(self.port, self._record, timeout=15)
        actions = lc.Actions(
            {"reports": self.targets, "citizens": [], "apps": [], "pages": []}, self.rng
        )
        index = 0
        while not self.stopped.is_set():
            target = self.targets[index % len(self.targets)]
            index += 1
            marker = f"ledger-{uuid.uuid4().hex[:12]}"
            deadline = time.time() + 60
            while True:
                self._post_failed = False
                try:
                    result = actions.operator(client, marker=marker, target=target)
                except lc.Failed as error:
                    self.failed_saves += 1
                    self.errors.append((time.time(), str(error)[-120:]))
                    if self._post_failed:
                        self.ambiguous[target["path"]] = self.ambiguous.get(target["path"], 0) + 1
                    if time.time() > deadline or self.stopped.is_set():
                        self.given_up += 1
                        break
                    time.sleep(1)
                    continue
                if result is not None:
                    self.acked.setdefault(target["path"], []).append(marker)
                break  # a 409 (someone else saved meanwhile) is an answer too: next one
            self.stopped.wait(0.5)
        client.close()

    def _record(self, kind, status, seconds, ok, error, path):
        # Only a failed POST of the form may have saved; a failed GET or sign-in cannot.
        client = self.client
        # A 4xx is a definite answer (nothing saved); no answer or a 5xx may follow a commit.
        if (
            not ok
            and client.last_method == "POST"
            and "/pelaporan/isi/" in path
            and (status == 0 or status >= 500)
        ):
            self._post_failed = True

    _post_failed = False


def verify_ledger(before, after, writer):
    """Per report: rows before/after, last acknowledged marker stored, saved events in range."""
    rows = []
    ok = True
    by_path_before = {r["path"]: r for r in before["reports"]}
    for r in after["reports"]:
        b = by_path_before[r["path"]]
        acked = writer.acked.get(r["path"], [])
        ambiguous = writer.ambiguous.get(r["path"], 0)
        grew = r["saved_events"] - b["saved_events"]
        last_ok = not acked or r["value"] == acked[-1] or ambiguous > 0
        rows_ok = r["rows"] == max(b["rows"], 1 if acked else b["rows"])
        events_ok = len(acked) <= grew <= len(acked) + ambiguous
        ok = ok and last_ok and rows_ok and events_ok
        rows.append(
            {
                "path": r["path"],
                "rows_before": b["rows"],
                "rows_after": r["rows"],
                "acked": len(acked),
                "ambiguous": ambiguous,
                "saved_events_added": grew,
                "last_marker_stored": r["value"] == (acked[-1] if acked else r["value"]),
                "ok": last_ok and rows_ok and events_ok,
            }
        )
    return ok, rows
