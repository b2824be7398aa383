"""Django-side helper of bench/pages: runs inside the project with the benchmark's settings.

bench/pages (the orchestrator) calls it with the project's venv Python and the same
environment gunicorn gets (DATABASE_URL, REDIS_URL, DJANGO_SETTINGS_MODULE, ...). Every
subcommand prints one JSON object on the last line of stdout; anything else is chatter.

    status --scale N         OPDs and news pages, and the news the demo aims for at scale N
    targets                  the two benchmarked URLs (regency home, one Dinkes news page)
    queries --sql-out FILE   SQL queries per page (Django test client, page cache off)
    publish                  publish a news item under /dinkes/berita/ (cache purge check)
    delete --id N            delete that news item again
    clear-cache              empty the "pages" cache alias (the whole-page cache)
    profile --out FILE       cProfile of N requests of each page (page cache off)
"""

import argparse
import cProfile
import io
import json
import os
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "satupintu.settings.production")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

HOST = "127.0.0.1"
SHOWCASE_OPD = "dinkes"


def emit(payload):
    print(json.dumps(payload, default=str))


def client():
    # Anonymous visitor, no cookies: what a citizen's first visit (and the cache) sees.
    return Client(HTTP_HOST=HOST)


def news_target():
    """The oldest news item of Dinkes (a showcase OPD: it has an image, like real news)."""
    from satupintu.news.models import NewsPage

    page = NewsPage.objects.live().public().filter(opd__slug=SHOWCASE_OPD).order_by("pk").first()
    if page is None:
        raise SystemExit(f"no live NewsPage of OPD {SHOWCASE_OPD!r}: is the demo seeded?")
    return page


def cmd_status(args):
    from satupintu.demo.seed import SHOWCASE
    from satupintu.news.models import NewsPage
    from satupintu.opd.models import OPD

    opds = list(OPD.objects.filter(home_page__isnull=False).values_list("slug", flat=True))
    expected = sum(3 * args.scale * (2 if slug in SHOWCASE else 1) for slug in opds)
    news = NewsPage.objects.live().count()
    emit({"opds": len(opds), "news": news, "expected_news": expected})


def cmd_targets(args):
    page = news_target()
    emit({"home": "/", "news": page.get_url(), "news_title": page.title})


def measure(c, url):
    """One request: (status, queries, SQL ms, total ms, bytes, SQL statements)."""
    sql_ms = 0.0

    def timer(execute, sql, params, many, context):
        nonlocal sql_ms
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            sql_ms += (time.perf_counter() - start) * 1000

    with CaptureQueriesContext(connection) as captured, connection.execute_wrapper(timer):
        start = time.perf_counter()
        response = c.get(url)
        total_ms = (time.perf_counter() - start) * 1000
    return {
        "status": response.status_code,
        "queries": len(captured),
        "sql_ms": round(sql_ms, 2),
        "total_ms": round(total_ms, 2),
        "bytes": len(response.content),
    }, [q["sql"] for q in captured.captured_queries]


def cmd_queries(args):
    from satupintu.news.models import NewsPage

    target = news_target()
    urls = {"home": "/", "news": target.get_url()}
    c = client()
    out = {"news_pages": NewsPage.objects.live().count(), "pages": {}}
    listing = io.StringIO()
    for name, url in urls.items():
        first, _ = measure(c, url)  # cold: per-process caches (content types, site) fill here
        steady, statements = measure(c, url)
        again, _ = measure(c, url)
        out["pages"][name] = {
            "url": url,
            "status": steady["status"],
            "queries_cold": first["queries"],
            "queries": steady["queries"],
            "stable": steady["queries"] == again["queries"],
            "sql_ms": steady["sql_ms"],
            "total_ms": steady["total_ms"],
            "bytes": steady["bytes"],
        }
        listing.write(f"-- {name} {url}: {len(statements)} queries (warm request)\n")
        for sql in statements:
            listing.write(sql + ";\n")
        listing.write("\n")
    if args.sql_out:
        Path(args.sql_out).write_text(listing.getvalue())
    emit(out)


def cmd_publish(args):
    from django.utils import timezone
    from django.utils.text import slugify

    from satupintu.news.models import NewsIndexPage, NewsPage
    from satupintu.opd.models import OPD

    opd = OPD.objects.get(slug=SHOWCASE_OPD)
    index = NewsIndexPage.objects.child_of(opd.home_page).first()
    title = args.title or f"Uji purge cache benchmark {int(time.time())}"
    page = NewsPage(
        title=title,
        slug=slugify(title)[:80],
        intro="Berita uji benchmark; dihapus lagi.",
        date=timezone.localdate(),
        author_name="Benchmark",
        body="<p>Berita uji untuk memeriksa bahwa cache halaman dikosongkan saat terbit.</p>",
    )
    index.add_child(instance=page)
    page.save_revision().publish()
    emit({"id": page.pk, "title": title, "url": page.get_url()})


def cmd_delete(args):
    from wagtail.models import Page

    deleted = Page.objects.filter(pk=args.id).first()
    if deleted is not None:
        deleted.delete()
    emit({"deleted": deleted is not None})


def cmd_clear_cache(args):
    from wagtailcache.cache import clear_cache

    clear_cache()
    emit({"cleared": True})


def cmd_profile(args):
    target = news_target()
    c = client()
    report = io.StringIO()
    for name, url in {"home": "/", "news": target.get_url()}.items():
        for _ in range(3):
            c.get(url)  # warm the per-process caches first
        profiler = cProfile.Profile()
        start = time.perf_counter()
        profiler.enable()
        for _ in range(args.n):
            c.get(url)
        profiler.disable()
        per_request = (time.perf_counter() - start) * 1000 / args.n
        report.write(
            f"==== {name} {url}: {args.n} requests, {per_request:.1f} ms each "
            "under cProfile (test client, page cache off)\n"
        )
        for sort in ("cumulative", "tottime"):
            stream = io.StringIO()
            pstats.Stats(profiler, stream=stream).strip_dirs().sort_stats(sort).print_stats(35)
            report.write(f"---- by {sort}\n{stream.getvalue()}\n")
    Path(args.out).write_text(report.getvalue())
    emit({"out": args.out})


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("status").add_argument("--scale", type=int, default=10)
    sub.add_parser("targets")
    sub.add_parser("queries").add_argument("--sql-out")
    sub.add_parser("publish").add_argument("--title")
    sub.add_parser("delete").add_argument("--id", type=int, required=True)
    sub.add_parser("clear-cache")
    p = sub.add_parser("profile")
    p.add_argument("--out", required=True)
    p.add_argument("--n", type=int, default=20)
    args = parser.parse_args()
    globals()["cmd_" + args.command.replace("-", "_")](args)


if __name__ == "__main__":
    main()
