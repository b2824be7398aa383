"""Kominfo's rules for the search (synonyms and best bets), read once per change.

Every search needs both; reading and parsing the tables each time cost more than the rest
of a rare word's search (bench/search). They are kept per process and checked with one
small query: the number of rows and the last edit of each table. An edit, a deletion or a
pinned entry disappearing changes that stamp, so a change applies to the next search in
every process, with no cache to clear and nothing to go stale after a rollback.
"""

import threading

from django.db import connection

from . import language
from .models import BestBet, SynonymGroup

_lock = threading.Lock()
_cached = {"stamp": None, "synonyms": {}, "best_bets": {}}

_STAMP = """
    SELECT (SELECT count(*) FROM search_synonymgroup),
           (SELECT max(updated_at) FROM search_synonymgroup),
           (SELECT count(*) FROM search_bestbet),
           (SELECT max(updated_at) FROM search_bestbet)
"""


def _stamp():
    with connection.cursor() as cursor:
        cursor.execute(_STAMP)
        return tuple(cursor.fetchone())


def current() -> dict:
    stamp = _stamp()
    cached = _cached
    if cached["stamp"] == stamp:
        return cached
    fresh = {"stamp": stamp, "synonyms": _synonym_map(), "best_bets": _best_bets()}
    with _lock:
        _cached.update(fresh)
    return fresh


def synonym_map() -> dict[tuple[str, ...], list[tuple[str, ...]]]:
    return current()["synonyms"]


def best_bet_ids(normalized_query: str) -> list[int]:
    return current()["best_bets"].get(normalized_query, [])


def _synonym_map():
    """Each phrase of a group maps to all phrases of its group (and of other groups it is in)."""
    mapping: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
    for group in SynonymGroup.objects.all():
        phrases = group.phrases()
        for phrase in phrases:
            known = mapping.setdefault(phrase, [])
            known += [p for p in phrases if p not in known]
    return mapping


def _best_bets():
    pinned: dict[str, list[int]] = {}
    for bet in BestBet.objects.order_by("pk"):
        for query in bet.normalized_queries():
            ids = pinned.setdefault(language.normalize(query), [])
            if bet.entry_id not in ids:
                ids.append(bet.entry_id)
    return pinned
