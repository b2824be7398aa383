"""`satupintu rebuild-search-index`: put every public thing back into the search index.

The index keeps itself in step as things are published and withdrawn; run this after a
restore, an upgrade that changes what is indexed, or to recount the "did you mean"
vocabulary. Safe while the site serves: entries are replaced in batches, never emptied.
"""

import time

from django.core.management.base import BaseCommand

from satupintu.search import sources


class Command(BaseCommand):
    help = "Rebuild the site-wide search index from what is public now."

    def handle(self, *args, **options):
        started = time.perf_counter()
        counts = sources.rebuild()
        seconds = time.perf_counter() - started
        summary = ", ".join(f"{name} {number}" for name, number in counts.items())
        self.stdout.write(f"Indeks pencarian dibangun ulang ({summary}) dalam {seconds:.1f} s.")
