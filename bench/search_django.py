"""Helper of bench/search, run in the venv with the benchmark's database: indexes the
generated corpus and times the searches in-process, printing the figures.

    search_django.py ITEMS build|reuse
"""

import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "satupintu.settings.dev")

import django  # noqa: E402

django.setup()

import search_corpus  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from satupintu.opd.models import OPD  # noqa: E402
from satupintu.search import index, suggest  # noqa: E402
from satupintu.search.demo import seed_synonyms  # noqa: E402
from satupintu.search.engines import Filters  # noqa: E402
from satupintu.search.models import Entry  # noqa: E402
from satupintu.search.query import search  # noqa: E402

BATCH = 1000


def opds(count):
    made = []
    for i in range(count):
        opd, _ = OPD.objects.get_or_create(
            slug=f"opd-{i}", defaults={"name": f"OPD Uji {i}", "acronym": f"U{i}", "type": "dinas"}
        )
        made.append(opd.pk)
    return made


def _index_share(items, worker, workers, opd_ids):
    """One process's share of the corpus (every workers-th item), through index.put_many."""
    from django.db import connection as own

    own.close()  # a fresh connection per process
    batch = []
    for n, item in enumerate(search_corpus.generate(items)):
        if n % workers != worker:
            continue
        batch.append(
            index.Doc(
                key=item["key"],
                kind=item["kind"],
                title=item["title"],
                url=f"/b/{item['key']}/",
                summary=item["summary"],
                body=item["body"],
                opd_id=opd_ids[item["opd"]] if item["opd"] is not None else None,
                published_at=item["published"],
            )
        )
        if len(batch) >= BATCH:
            index.put_many(batch)
            batch = []
    index.put_many(batch)


def build(items, workers):
    import multiprocessing

    opd_ids = opds(60)
    connection.close()
    started = time.perf_counter()
    context = multiprocessing.get_context("fork")
    processes = [
        context.Process(target=_index_share, args=(items, w, workers, opd_ids))
        for w in range(workers)
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join()
        if process.exitcode:
            raise SystemExit(f"an indexing process failed ({process.exitcode})")
    seconds = time.perf_counter() - started
    print(
        f"Indexing: {items:,} items in {seconds:.0f} s = {items / seconds:,.0f} items/s with "
        f"{workers} processes (put_many per 1,000 into the live indexes, as publishing and "
        "a rebuild do; corpus generation included)"
    )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE search_entry")
        cursor.execute("VACUUM ANALYZE search_term")


def sizes():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, pg_total_relation_size(c.oid), pg_relation_size(c.oid) "
            "FROM pg_class c WHERE c.relname LIKE 'search_%%' AND c.relkind IN ('r', 'i') "
            "ORDER BY pg_relation_size(c.oid) DESC"
        )
        rows = cursor.fetchall()
    print("Sizes:")
    for name, total, own in rows:
        if own > 1_000_000:
            print(
                f"  {name:32s} {own / 1e6:8.0f} MB"
                + (f" (with TOAST and indexes {total / 1e6:.0f} MB)" if total != own else "")
            )


def timed(function, cases, repeats=3):
    times = []
    for _ in range(repeats):
        for case in cases:
            started = time.perf_counter()
            function(case)
            times.append((time.perf_counter() - started) * 1000)
    return times


def report(label, times, extra=""):
    ordered = sorted(times)
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
    print(
        f"  {label:34s} p50 {statistics.median(ordered):6.1f} ms   p95 {p95:6.1f} ms"
        f"   max {ordered[-1]:6.1f} ms   (n={len(ordered)}){extra}"
    )


def main():
    items = int(sys.argv[1])
    if sys.argv[2] == "build":
        seed_synonyms()
        build(items, workers=os.cpu_count() or 2)
    total = Entry.objects.count()
    with connection.cursor() as cursor:
        cursor.execute("SHOW shared_buffers")
        buffers = cursor.fetchone()[0]
    print(
        f"Search benchmark over {total:,} entries; {os.cpu_count()} CPUs; PostgreSQL "
        f"{connection.pg_version // 10000}, shared_buffers {buffers}"
    )
    sizes()
    rng = random.Random(5)
    common = search_corpus.COMMON_TERMS
    facets = [
        (term, Filters(kinds=(kind,)))
        for term in common[:6]
        for kind in ("berita", "layanan", "dokumen")
    ]
    opd_ids = list(OPD.objects.values_list("pk", flat=True)[:10])
    facets += [(term, Filters(opd_id=rng.choice(opd_ids))) for term in common[:6]]
    facets += [(term, Filters(year=rng.choice([2018, 2021, 2024, 2026]))) for term in common[:6]]
    facets += [(q, Filters(kinds=("berita",))) for q in search_corpus.TWO_WORD_QUERIES[:6]]
    for term in search_corpus.RARE_TERMS[:3] + common[:3]:  # warm the caches
        search(term)
    print("Server time of one search (first page of 10, with count, facets and snippets):")
    report("rare terms", timed(search, search_corpus.RARE_TERMS))
    report("common terms", timed(search, common))
    report("two-word queries", timed(search, search_corpus.TWO_WORD_QUERIES))
    report("faceted queries", timed(lambda c: search(c[0], c[1]), facets))
    report("sorted by newest (common terms)", timed(lambda t: search(t, sort="terbaru"), common))
    report("page 5 of a common term", timed(lambda t: search(t, page=5), common))
    report(
        "typo (corrected)",
        timed(
            search,
            [
                "perizinann",
                "kesehatn",
                "pendudduk",
                "vaksinn",
                "beasiwa",
                "banjr",
                "pembangnan",
                "sekolaah",
            ],
        ),
    )
    report("suggestions", timed(suggest.suggestions, search_corpus.SUGGEST_PREFIXES))
    client = Client()
    pages = [f"/cari/?q={q.replace(' ', '+')}" for q in search_corpus.TWO_WORD_QUERIES[:12]]
    report("results page (Django test client)", timed(client.get, pages, repeats=2))
    started = time.perf_counter()
    index.put(
        index.Doc(
            key="bench:new",
            kind="berita",
            title="Peluncuran aplikasi zeppelinku",
            url="/b/new/",
            body="Aplikasi baru zeppelinku diluncurkan hari ini.",
        )
    )
    visible = search("zeppelinku").total == 1
    print(
        f"Publish to findable: {(time.perf_counter() - started) * 1000:.0f} ms "
        f"(index write + search; found: {visible})"
    )
    index.remove(["bench:new"])


if __name__ == "__main__":
    main()
