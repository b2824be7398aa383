"""Suggestions while typing: pinned queries, what others searched and found, and titles.

The last word typed is a prefix; the words before it are complete. Only entries of the
index are offered, so a suggestion never reveals anything unpublished, and past queries
are offered only when enough people searched them and found something (analytics).
"""

import re

from django.db.models import Sum
from django.utils import timezone

from . import engines, language, rules
from .analytics import REPORT_MINIMUM
from .models import Entry, QueryDay

LIMIT = 8
MIN_PREFIX = 2
_PREFIX = re.compile(r"^[0-9a-z]+$")


def suggestions(typed: str) -> list[dict]:
    normalized = language.normalize(typed)
    tokens = language.words(normalized)
    if not tokens or len(normalized) < MIN_PREFIX:
        return []
    ends_with_space = typed.endswith(" ")
    complete = tokens if ends_with_space else tokens[:-1]
    prefix = "" if ends_with_space else tokens[-1]
    if prefix and not _PREFIX.match(prefix):
        complete, prefix = tokens, ""
    found = [{"label": q, "kind": "kueri", "url": ""} for q in _queries(normalized)]
    ids = engines.current().suggest_ids(
        [w for w in complete if w not in language.STOP_WORDS], prefix, LIMIT
    )
    entries = Entry.objects.in_bulk(ids)
    for entry_id in ids:
        entry = entries.get(entry_id)
        if entry:
            found.append({"label": entry.title, "kind": entry.kind, "url": entry.url})
    return found[:LIMIT]


def _queries(normalized: str) -> list[str]:
    """Pinned queries and popular past queries that found something, starting like this."""
    # The pinned queries come from the per-process rules cache, not a query per keystroke.
    pinned = {
        q for q in rules.current()["best_bets"] if q.startswith(normalized) and q != normalized
    }
    since = timezone.localdate() - timezone.timedelta(days=90)
    popular = (
        QueryDay.objects.filter(day__gte=since, query__startswith=normalized, empty=0)
        .exclude(query=normalized)
        .values("query")
        .annotate(n=Sum("searches"))
        .filter(n__gte=REPORT_MINIMUM * 2)
        .order_by("-n")[:3]
    )
    return sorted(pinned)[:3] + [row["query"] for row in popular if row["query"] not in pinned]
