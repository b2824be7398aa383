"""Helper of bench/datastore_load, run in the venv: loads the given CSV files through
satupintu.datacatalog.datastore as an upload would, and prints the figures.

    datastore_load_django.py GOOD_CSV BAD_CSV RUNS
"""

import os
import resource
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "satupintu.settings.dev")

import django  # noqa: E402

django.setup()

from satupintu.datacatalog import datastore  # noqa: E402


def run(path: Path):
    """Seconds until the rows are loaded and readable (what the publisher waits for), and
    seconds more for the search indexes built after it (in the background in the server)."""
    started = time.perf_counter()
    with path.open("rb") as binary:
        dialect = datastore.sniff(binary)
        columns = datastore.infer_columns(binary, dialect)
        key = uuid.uuid4().hex
        report = datastore.load(binary, key, columns, dialect, index=False)
    seconds = time.perf_counter() - started
    indexing = None
    if report.ok:
        started = time.perf_counter()
        datastore.build_indexes(key, columns)
        indexing = time.perf_counter() - started
        datastore.drop(key)
    return seconds, report, columns, indexing


def main():
    good, bad, runs = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
    size = good.stat().st_size
    times = []
    for number in range(1, runs + 1):
        seconds, report, columns, indexing = run(good)
        times.append(seconds)
        print(
            f"  run {number}: {report.rows:,} rows loaded and readable in {seconds:.2f} s = "
            f"{report.rows / seconds:,.0f} rows/s, {size / 1e6 / seconds:.0f} MB/s; search "
            f"indexes {indexing:.2f} s more in the background (with them: "
            f"{report.rows / (seconds + indexing):,.0f} rows/s)"
        )
    print("  inferred types: " + ", ".join(f"{c.id}={c.type}" for c in columns))
    best = min(times)
    print(f"  best: {report.rows / best:,.0f} rows/s (aim >= 100,000; xloader ~5,000)")
    seconds, failed, _columns, _indexing = run(bad)
    first = failed.errors[0] if failed.errors else None
    print(
        f"  file with one bad value: refused in {seconds:.2f} s, {failed.error_count} error(s), "
        f"first at line {first[0]} column {first[1]!r}; nothing loaded"
    )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  peak memory of the loading process: {peak:.0f} MB")


if __name__ == "__main__":
    main()
