"""`satupintu build-datastore-indexes`: build any missing search index of the loaded tables.

An upload's indexes are built in the background after it loads; if the server stopped in
between, a table is still complete and readable but slow to filter. Safe to run at any time
(existing indexes are kept); after a restore or an upgrade it costs one catalog lookup per
table that is already indexed."""

from django.core.management.base import BaseCommand

from satupintu.datacatalog import datastore
from satupintu.datacatalog.models import ResourceVersion


class Command(BaseCommand):
    help = "Build missing search indexes of the datastore tables (PostgreSQL)."

    def handle(self, **options):
        versions = ResourceVersion.objects.filter(state=ResourceVersion.State.LOADED)
        done = 0
        for version in versions.only("id", "columns").iterator():
            columns = [datastore.Column(c["id"], c["type"]) for c in version.columns]
            datastore.build_indexes(version.key, columns)
            done += 1
        self.stdout.write(f"{done} tabel datastore diperiksa.")
