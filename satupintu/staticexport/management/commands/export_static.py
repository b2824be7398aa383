"""`satupintu export-static --to DIR [--full] [--check] [--english]`."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from satupintu.staticexport import links
from satupintu.staticexport.exporter import Exporter, ExportError


class Command(BaseCommand):
    help = (
        "Write a static, read-only copy of the public site to DIR (a symlink to the newest "
        "release) for any web server to serve while the main system is down."
    )

    def add_arguments(self, parser):
        parser.add_argument("--to", required=True, type=Path, help="Target (a symlink).")
        parser.add_argument("--full", action="store_true", help="Ignore the manifest.")
        parser.add_argument("--check", action="store_true", help="Check the copy's links.")
        parser.add_argument(
            "--check-only", action="store_true", help="Check an existing copy; export nothing."
        )
        parser.add_argument("--english", action="store_true", help="Also copy /en/.")

    def handle(self, *args, **options):
        target = options["to"]
        if not options["check_only"]:
            try:
                result = Exporter(target, full=options["full"], english=options["english"]).run()
            except ExportError as error:
                raise CommandError(str(error)) from error
            for url, status in result.missing:
                self.stderr.write(f"tidak tersalin ({status}): {url}")
            self.stdout.write(
                f"{result.pages} halaman, {result.files} berkas ({result.bytes / 1e6:.1f} MB): "
                f"{result.written} ditulis, {result.unchanged} tidak berubah, "
                f"{result.removed} dihapus; {result.seconds:.1f} s → {result.release}"
            )
        if options["check"] or options["check_only"]:
            if not (target / links.MANIFEST_NAME).is_file():
                raise CommandError(f"{target} bukan salinan statis.")
            broken = links.check(target.resolve())
            for page, url in broken:
                self.stdout.write(f"tautan rusak: {page} → {url}")
            if broken:
                raise CommandError(f"{len(broken)} tautan rusak.")
            self.stdout.write("Pemeriksaan tautan: tidak ada tautan rusak.")
