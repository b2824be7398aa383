"""Django-side helper of bench/export_static: runs inside the project with the bench's settings.

Every subcommand prints one JSON object on the last line of stdout.

    export --to DIR [--full] [--english]   one export-static run: counts, bytes, seconds
    check --to DIR                         the link check over the copy: seconds, broken links
    publish                                publish one news item in Dinkes (a small change)
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "satupintu.settings.dev")

import django  # noqa: E402

django.setup()


def emit(payload):
    print(json.dumps(payload, default=str))


def cmd_export(args):
    from satupintu.staticexport.exporter import Exporter

    result = Exporter(Path(args.to), full=args.full, english=args.english).run()
    release = Path(args.to).resolve()
    size = sum(p.stat().st_size for p in release.rglob("*") if p.is_file())
    emit(
        {
            "pages": result.pages,
            "files": result.files,
            "written": result.written,
            "unchanged": result.unchanged,
            "removed": result.removed,
            "missing": len(result.missing),
            "seconds": round(result.seconds, 2),
            "bytes": size,
        }
    )


def cmd_check(args):
    from satupintu.staticexport import links

    started = time.monotonic()
    root = Path(args.to).resolve()
    broken = links.check(root)
    emit(
        {
            "seconds": round(time.monotonic() - started, 2),
            "html_files": sum(1 for _ in root.rglob("*.html")),
            "broken": len(broken),
            "examples": broken[:5],
        }
    )


def cmd_publish(args):
    from satupintu.news.models import NewsIndexPage, NewsPage
    from satupintu.opd.models import OPD

    opd = OPD.objects.get(slug="dinkes")
    index = NewsIndexPage.objects.child_of(opd.home_page).get()
    title = f"Berita uji salinan statis {time.strftime('%H%M%S')}"
    page = NewsPage(title=title, intro="Perubahan kecil untuk tolok ukur.", body="<p>Isi.</p>")
    index.add_child(instance=page)
    page.save_revision().publish()
    emit({"published": page.url})


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    export = sub.add_parser("export")
    export.add_argument("--to", required=True)
    export.add_argument("--full", action="store_true")
    export.add_argument("--english", action="store_true")
    check = sub.add_parser("check")
    check.add_argument("--to", required=True)
    sub.add_parser("publish")
    args = parser.parse_args()
    {"export": cmd_export, "check": cmd_check, "publish": cmd_publish}[args.command](args)


if __name__ == "__main__":
    main()
