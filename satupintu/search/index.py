"""Writing the index: what the sources hand over, stored so the search can find it at once.

Writes happen inside the transaction that published or withdrew the thing (signals.py):
if that transaction rolls back, so does the index, and what is published is findable the
moment the publish commits.
"""

import datetime
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from . import engines, language
from .models import Entry

MAX_BODY_CHARS = 200_000
MAX_SUMMARY_CHARS = 600
# The snippet marks (engines.postgres) must never come from the text itself.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
WRITTEN_FIELDS = [
    "kind",
    "title",
    "url",
    "summary",
    "body",
    "keywords",
    "context",
    "opd",
    "published_at",
    "year",
    "expires_at",
    "boost",
    "updated_at",
]


@dataclass
class Doc:
    """One public thing as a source describes it to the index."""

    key: str
    kind: str
    title: str
    url: str
    summary: str = ""
    body: str = ""
    keywords: str = ""
    context: str = ""
    opd_id: int | None = None
    published_at: datetime.datetime | None = None
    expires_at: datetime.datetime | None = None
    boost: float = 1.0
    year: int | None = None  # when the thing's own year is not its publication's (PPID)

    def fields(self) -> dict:
        published = self.published_at
        if isinstance(published, datetime.date) and not isinstance(published, datetime.datetime):
            published = timezone.make_aware(datetime.datetime.combine(published, datetime.time()))
        return {
            "kind": self.kind,
            "title": _clean(self.title)[:255],
            "url": self.url[:500],
            "summary": _clean(self.summary)[:MAX_SUMMARY_CHARS],
            "body": _clean(self.body)[:MAX_BODY_CHARS],
            "keywords": _clean(self.keywords)[:2000],
            "context": _clean(self.context)[:2000],
            "opd_id": self.opd_id,
            "published_at": published,
            "year": self.year or (published.year if published else None),
            "expires_at": self.expires_at,
            "boost": self.boost,
        }


def _clean(text: str) -> str:
    return _CONTROL.sub(" ", text or "").strip()


def put(doc: Doc) -> Entry:
    return put_many([doc])[0]


def put_many(docs: Iterable[Doc], *, count_terms: bool = True) -> list[Entry]:
    """Inserts or replaces entries by key; one statement per table, whatever the number."""
    docs = list({doc.key: doc for doc in docs}.values())
    if not docs:
        return []
    now = timezone.now()
    with transaction.atomic():
        existing = dict(
            Entry.objects.filter(key__in=[d.key for d in docs]).values_list("key", "id")
        )
        entries = []
        for doc in docs:
            entry = Entry(key=doc.key, updated_at=now, **doc.fields())
            entry.id = existing.get(doc.key)
            entries.append(entry)
        new = [e for e in entries if e.id is None]
        old = [e for e in entries if e.id is not None]
        if old:
            Entry.objects.bulk_update(old, WRITTEN_FIELDS, batch_size=200)
        if new:
            Entry.objects.bulk_create(new, batch_size=500)
            if new[0].id is None:  # databases that return no ids from a bulk insert
                ids = dict(
                    Entry.objects.filter(key__in=[e.key for e in new]).values_list("key", "id")
                )
                for entry in new:
                    entry.id = ids[entry.key]
        engines.current().written(entries)
        if count_terms:
            count_words(entries)
    return entries


def remove(keys: Iterable[str]) -> int:
    keys = list(keys)
    if not keys:
        return 0
    ids = list(Entry.objects.filter(key__in=keys).values_list("id", flat=True))
    if not ids:
        return 0
    with transaction.atomic():
        engines.current().removed(ids)
        Entry.objects.filter(id__in=ids).delete()
    return len(ids)


def remove_prefix(prefix: str, keep: Iterable[str] = ()) -> int:
    """Removes every entry of one source (e.g. "app:") except those still public."""
    keys = set(Entry.objects.filter(key__startswith=prefix).values_list("key", flat=True))
    return remove(keys - set(keep))


def vocabulary_words(entry: Entry) -> set[str]:
    return {
        w
        for w in language.words(f"{entry.title} {entry.summary} {entry.keywords}")
        if len(w) >= 3 and len(w) <= 60 and w.isalpha() and w not in language.STOP_WORDS
    }


def count_words(entries: Iterable[Entry]) -> None:
    counts = Counter()
    for entry in entries:
        counts.update(vocabulary_words(entry))
    add_words(counts)


def add_words(counts: Counter) -> None:
    if not counts:
        return
    rows = sorted(counts.items())
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 1000):
            chunk = rows[start : start + 1000]
            placeholders = ", ".join(["(%s, %s)"] * len(chunk))
            params = [value for row in chunk for value in row]
            cursor.execute(
                f"INSERT INTO search_term (word, frequency) VALUES {placeholders} "  # noqa: S608
                "ON CONFLICT (word) DO UPDATE "
                "SET frequency = search_term.frequency + excluded.frequency",
                params,
            )
