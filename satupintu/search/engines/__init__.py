"""The two engines behind one interface: PostgreSQL in production, SQLite embedded.

Each engine answers the same questions (which entries match, in what order, how many and
in which facets, which words look like a typo's intent, which titles start like this) so
the search page, the API and the judged queries do not care which one runs.
"""

from dataclasses import dataclass, field

from django.db import connection

# Matches counted exactly up to this; beyond, the page says "more than" (and pages stop at
# query.MAX_PAGES anyway). Counting every match of a word in half a million documents
# costs more than the whole rest of the page (bench/search).
COUNT_CAP = 500
# A common word's ranking looks at this many of its newest matches, plus its newest title
# matches and undated entries (services, apps, OPDs) up to their own caps; a rarer word's
# matches all fit and are all ranked.
CANDIDATES = 200
TITLE_CANDIDATES = 80
EVERGREEN_CANDIDATES = 80
# Around each match in a snippet; the indexer strips control characters from every text it
# stores, so these cannot come from content (highlight.to_html turns them into <mark>).
MARK_START, MARK_STOP = "\x02", "\x03"
# How much older news weighs less: a year-old item scores 1/1.35 of a new one.
AGE_PENALTY_PER_YEAR = 0.35


@dataclass(frozen=True)
class Filters:
    kinds: tuple[str, ...] = ()
    opd_id: int | None = None
    year: int | None = None


@dataclass
class Counted:
    total: int = 0
    capped: bool = False
    facets: dict[str, dict[str, int]] = field(default_factory=dict)


class Vocabulary:
    """What both engines answer the same way, from the `search_term` table."""

    def known_word(self, word: str) -> bool:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM search_term WHERE word = %s", [word])
            return cursor.fetchone() is not None


def current():
    if connection.vendor == "postgresql":
        from .postgres import PostgresEngine

        return PostgresEngine()
    from .sqlite import SQLiteEngine

    return SQLiteEngine()
