"""`satupintu export-search-index`: this regency's search index as OpenSearch reads it.

For a province or national portal that searches many regencies at once
(deploy/opensearch/README.md): `--format settings` gives the body that creates the shared
index, `--format opensearch-bulk` the current entries for its `_bulk` API. Rows are read a
thousand at a time and written as they come, so a regency of any size exports in constant
memory; a file appears only when complete, so a cron job never loads half an export.
"""

import json
import os
import re
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from satupintu.regency.models import RegencySettings
from satupintu.search import opensearch
from satupintu.search.models import SynonymGroup

# OpenSearch's own rules for index names, narrowed to what a shell script needs no quoting for.
INDEX_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,254}$")


class Command(BaseCommand):
    help = "Export the search index for OpenSearch: index settings or a _bulk file."

    def add_arguments(self, parser):
        parser.add_argument(
            "--format", choices=["opensearch-bulk", "settings"], default="opensearch-bulk"
        )
        parser.add_argument("--index", help="OpenSearch index name (for opensearch-bulk).")
        parser.add_argument("--output", default="-", help="File to write, or - for stdout.")
        parser.add_argument(
            "--base-url", help="Site address for absolute links; default https://<domain>."
        )
        parser.add_argument(
            "--exported-at",
            help="ISO timestamp stamped on every document, for the delete-by-query that "
            "removes what this export no longer has; default now.",
        )

    def handle(self, *args, **options):
        if options["format"] == "settings":
            groups = list(SynonymGroup.objects.values_list("terms", flat=True))
            body = json.dumps(opensearch.index_settings(groups), ensure_ascii=False, indent=2)
            self._write(options["output"], [body + "\n"])
            return
        index = options["index"] or ""
        if not INDEX_NAME.match(index):
            raise CommandError(
                _("Nama indeks wajib diisi: huruf kecil, angka, titik, garis bawah atau strip.")
            )
        regency = RegencySettings.load()
        if not regency.kemendagri_code:
            raise CommandError(
                _("Kode Kemendagri daerah belum diisi; jalankan init-regency terlebih dahulu.")
            )
        base_url = options["base_url"] or (f"https://{regency.domain}" if regency.domain else "")
        if not base_url.startswith(("http://", "https://")):
            raise CommandError(
                _("Alamat situs tidak diketahui; isi domain resmi daerah atau beri --base-url.")
            )
        exported_at = None
        if options["exported_at"]:
            exported_at = parse_datetime(options["exported_at"])
            if exported_at is None or exported_at.tzinfo is None:
                raise CommandError(
                    _("--exported-at harus berupa waktu ISO 8601 dengan zona waktu.")
                )
        docs = opensearch.documents(regency.kemendagri_code, base_url, exported_at=exported_at)
        count = self._write(options["output"], opensearch.bulk_lines(docs, index)) // 2
        self.stderr.write(
            _("%(count)d entri diekspor ke indeks %(index)s.")
            % {
                "count": count,
                "index": index,
            }
        )

    def _write(self, output: str, lines) -> int:
        written = 0
        if output == "-":
            for line in lines:
                self.stdout.write(line, ending="")
                written += 1
            return written
        target = Path(output)
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as file:
                for line in lines:
                    file.write(line)
                    written += 1
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return written
