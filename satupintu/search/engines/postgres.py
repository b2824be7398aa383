"""PostgreSQL full-text search over the `search_entry` table (migrations/0002).

Why it stays fast at a million entries (bench/search): a rare word is answered from its
GIN posting list and every match is ranked; a common word is not ranked over all its
matches (that is what made Wagtail's database search take 0.3-0.6 s) but over its newest
CANDIDATES, every entry whose title has it (up to TITLE_CANDIDATES) and the undated ones
(services, apps, OPDs). Counting stops at COUNT_CAP. Every user-typed word reaches SQL as a
parameter of plainto_tsquery/phraseto_tsquery, never as tsquery syntax.
"""

import math
import time

from django.db import connection

from .. import language
from ..language import ParsedQuery
from . import (
    AGE_PENALTY_PER_YEAR,
    CANDIDATES,
    COUNT_CAP,
    EVERGREEN_CANDIDATES,
    MARK_START,
    MARK_STOP,
    TITLE_CANDIDATES,
    Counted,
    Filters,
    Vocabulary,
)

CONFIG = "indonesian"
_HEADLINE_OPTIONS = (
    f"StartSel={MARK_START}, StopSel={MARK_STOP}, MaxWords=32, MinWords=14, "
    'MaxFragments=2, FragmentDelimiter=" … "'
)
# How far into a long text the snippet looks: ts_headline parses all it is given.
SNIPPET_SOURCE_CHARS = 3000


def clause_tsquery(clause) -> tuple[str, list]:
    alternatives, values = [], []
    for alternative in clause.alternatives:
        function = "phraseto_tsquery" if alternative.phrase else "plainto_tsquery"
        alternatives.append(f"{function}('{CONFIG}', %s)")
        values.append(alternative.text)
    return "(" + " || ".join(alternatives) + ")", values


def coverage(parsed: ParsedQuery) -> tuple[str, list]:
    """How many of the query's parts an entry has: the first ordering when any may match."""
    parts, params = [], []
    for clause in parsed.required:
        sql, values = clause_tsquery(clause)
        parts.append(f"(e.document @@ {sql})::int")
        params += values
    return "(" + " + ".join(parts) + ")", params


def tsquery(parsed: ParsedQuery) -> tuple[str, list]:
    required, excluded, params, excluded_params = [], [], [], []
    for clause in parsed.clauses:
        sql, values = clause_tsquery(clause)
        if clause.exclude:
            excluded.append(f"!!{sql}")
            excluded_params += values
        else:
            required.append(sql)
            params += values
    joined = "(" + (" || " if parsed.match_any else " && ").join(required) + ")"
    return " && ".join([joined, *excluded]), params + excluded_params


def _filters(filters: Filters) -> tuple[str, list]:
    sql = " AND (e.expires_at IS NULL OR e.expires_at > now())"
    params = []
    if len(filters.kinds) == 1:  # an equality, so the (kind, date) index serves the order
        sql += " AND e.kind = %s"
        params.append(filters.kinds[0])
    elif filters.kinds:
        sql += " AND e.kind = ANY(%s)"
        params.append(list(filters.kinds))
    if filters.opd_id is not None:
        sql += " AND e.opd_id = %s"
        params.append(filters.opd_id)
    if filters.year is not None:
        sql += " AND e.year = %s"
        params.append(filters.year)
    return sql, params


SCORE = f"""
    (ts_rank(e.document, q.q, 1) + CASE WHEN e.title_vector @@ q.q THEN 0.3 ELSE 0 END)
    * e.boost
    * CASE WHEN e.published_at IS NULL THEN 1.0 ELSE 1.0 / (1.0 + {AGE_PENALTY_PER_YEAR}
        * greatest(0, extract(epoch FROM now() - e.published_at) / 31557600.0)) END
"""


# Above this share of all entries a query is "dense": walking the entries newest first finds
# its first matches at once, while collecting every match from the GIN index costs more.
# Below it, the GIN index wins by far. PostgreSQL's planner cannot see this by itself: it
# prices checking a stored tsvector as almost free, and for an uncommon pair of common words
# it walked a hundred thousand rows newest first (bench/search).
DENSE = 0.2
# The same for titles, whose vectors are small and stored with the row: walking is cheap
# even when one title in fifty matches.
TITLE_DENSE = 0.02
_STATS_SECONDS = 600
_stats: dict[str, dict] = {}


def lexeme_frequencies(column: str = "document") -> tuple[dict[str, float], float]:
    """The share of entries holding each common stem in `column`, from PostgreSQL's own
    statistics (ANALYZE keeps them), and the share below which stems are not listed."""
    now = time.monotonic()
    cached = _stats.get(column)
    if cached is None or now - cached["at"] > _STATS_SECONDS:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT most_common_elems::text::text[], most_common_elem_freqs "
                "FROM pg_stats WHERE tablename = 'search_entry' AND attname = %s",
                [column],
            )
            row = cursor.fetchone()
        frequencies, floor = {}, 0.0
        if row and row[0]:
            lexemes, shares = row
            frequencies = dict(zip(lexemes, shares[: len(lexemes)], strict=True))
            floor = shares[len(lexemes)]  # the minimum listed share
        cached = _stats[column] = {"at": now, "frequencies": frequencies, "floor": floor}
    return cached["frequencies"], cached["floor"]


def density(parsed: ParsedQuery, column: str = "document") -> float:
    """An estimate of the share of entries the query matches, as the planner would make it
    but with our threshold: a clause matches the sum of its alternatives (at most 1), an
    alternative its rarest word, and clauses that must all match the product of theirs
    (their sum, when any may match)."""
    frequencies, floor = lexeme_frequencies(column)

    def share(word):
        return frequencies.get(language.stem(word), floor)

    clauses = []
    for clause in parsed.required:
        clauses.append(
            min(1.0, sum(min(share(w) for w in alt.words) for alt in clause.alternatives))
        )
    if not clauses:
        return 0.0
    if parsed.match_any:
        return min(1.0, sum(clauses))
    return math.prod(clauses)


BITMAP_ONLY = ("enable_indexscan", "enable_seqscan")
# Walking an index in order, checking each entry: for common words, within a filter's own
# index (kind, OPD or year first), never the whole table newest first looking for a kind.
WALK_ONLY = ("enable_bitmapscan", "enable_seqscan")


# How many of the newest entries a common word's count and candidates read at most.
WINDOW = 3000


def _walk(filters) -> str:
    return f"ORDER BY {_index_prefix(filters)}e.published_at DESC NULLS LAST, e.id DESC"


def _index_prefix(filters) -> str:
    """The leading column of the recency index that serves this filter (migrations/0002)."""
    if len(filters.kinds) == 1:
        return "e.kind, "
    if filters.year is not None:
        return "e.year, "
    if filters.opd_id is not None:
        return "e.opd_id, "
    return ""


def _execute(cursor, sql, params, disabled=()):
    """Runs one query with some plan types switched off, then switches them back on, so
    nothing else on this (persistent) connection is affected. JIT compilation is always off
    here: a switched-off plan type is priced so high that PostgreSQL would spend half a
    second compiling a query that runs in ten milliseconds."""
    disabled = (*disabled, "jit")
    for setting in disabled:
        cursor.execute(f"SET {setting} = off")
    try:
        cursor.execute(sql, params)
        return cursor.fetchall()
    finally:
        for setting in disabled:
            cursor.execute(f"RESET {setting}")


class PostgresEngine(Vocabulary):
    vendor = "postgresql"

    def written(self, entries):
        """The generated columns keep themselves; nothing to do."""

    def removed(self, ids):
        """Rows and their index entries go together."""

    def page(self, parsed, filters, *, sort, offset, limit):
        """The page of results and the count, in one pass over the GIN index when the words
        are not common: the first COUNT_CAP + 1 matches are counted, faceted and (for the
        relevance order) scored in the same query, with the newest title matches and the
        undated entries. Common words take two cheap queries (count, then the newest)."""
        if density(parsed) >= DENSE:
            counted = self._count_newest(parsed, filters)
            if counted is not None:
                ids = self.ranked_ids(
                    parsed, filters, sort=sort, offset=offset, limit=limit, counted=counted
                )
                return ids, counted
        q, q_params = tsquery(parsed)
        where, where_params = _filters(filters)
        each = q_params + where_params
        covered, covered_params = "0::int", []
        if parsed.match_any:
            covered, covered_params = coverage(parsed)
        score = SCORE.replace("q.q", f"({q})")
        scored = covered_params + q_params * 2
        picked = (
            f"SELECT e.id, {covered} AS covered, {score} AS score, "  # noqa: S608
            "e.published_at FROM search_entry e"
        )
        if sort == "terbaru":
            order = "published_at DESC NULLS LAST, id DESC"
        else:
            order = "covered DESC, score DESC, id DESC"
        sql = f"""
            WITH m AS MATERIALIZED (
                SELECT e.id, e.kind, e.opd_id, e.year, e.published_at
                FROM search_entry e WHERE e.document @@ ({q}) {where} LIMIT {COUNT_CAP + 1}
            ),
            sampled AS (
                -- All matches are scored when they were all counted; otherwise a sample,
                -- since scoring reads each entry's whole tsvector.
                SELECT id FROM m LIMIT (
                    SELECT CASE WHEN count(*) > {COUNT_CAP} THEN {CANDIDATES}
                    ELSE {COUNT_CAP} END FROM m
                )
            ),
            candidates AS (
                {picked} JOIN sampled s ON s.id = e.id
                UNION ALL
                ({picked} WHERE e.title_vector @@ ({q}) {where} LIMIT {TITLE_CANDIDATES})
                UNION ALL
                ({picked} WHERE e.published_at IS NULL AND e.document @@ ({q}) {where}
                 LIMIT {EVERGREEN_CANDIDATES})
            ),
            best AS (
                SELECT id, max(covered) AS covered, max(score) AS score,
                    max(published_at) AS published_at
                FROM candidates GROUP BY id
            ),
            ranked AS (
                SELECT id, row_number() OVER (ORDER BY {order}) AS position FROM best
                ORDER BY {order} OFFSET %s LIMIT %s
            )
            SELECT 'hit', id::text, position FROM ranked
            UNION ALL SELECT 'total', '', count(*) FROM m
            UNION ALL SELECT 'kind', kind, count(*) FROM m GROUP BY kind
            UNION ALL SELECT 'opd', opd_id::text, count(*) FROM m
                WHERE opd_id IS NOT NULL GROUP BY opd_id
            UNION ALL SELECT 'year', year::text, count(*) FROM m
                WHERE year IS NOT NULL GROUP BY year
        """  # noqa: S608 -- fragments are ours; every value is a parameter
        params = each + scored + (scored + each) * 2 + [offset, limit]
        counted = Counted(facets={"kind": {}, "opd": {}, "year": {}})
        hits = []
        with connection.cursor() as cursor:
            for facet, value, number in _execute(cursor, sql, params, BITMAP_ONLY):
                if facet == "hit":
                    hits.append((number, int(value)))
                elif facet == "total":
                    counted.total = min(number, COUNT_CAP)
                    counted.capped = number > COUNT_CAP
                else:
                    counted.facets[facet][value] = number
        if counted.capped and sort == "terbaru":
            # Beyond the count the newest need the recency index, not a sample.
            ids = self.ranked_ids(
                parsed, filters, sort=sort, offset=offset, limit=limit, counted=counted
            )
            return ids, counted
        return [entry_id for _, entry_id in sorted(hits)], counted

    def ranked_ids(self, parsed, filters, *, sort, offset, limit, counted=None) -> list[int]:
        """A page of a query with more matches than COUNT_CAP (page() handles the others):
        - by date: walk the entries newest first (within the filter's own index);
        - by relevance, common words: score the newest CANDIDATES matches the same way, and
          a sample of title matches and undated entries from the GIN indexes;
        - by relevance, other words: score a sample of matches, title matches and undated
          entries, all from the GIN indexes (walking newest first would read a hundred
          rows for each match found).
        """
        q, q_params = tsquery(parsed)
        where, where_params = _filters(filters)
        each = q_params + where_params
        walk = _walk(filters)
        if sort == "terbaru":
            sql = f"""
                SELECT e.id FROM search_entry e WHERE e.document @@ ({q}) {where}
                {walk} OFFSET %s LIMIT %s
            """  # noqa: S608 -- fragments are ours; every value is a parameter
            with connection.cursor() as cursor:
                rows = _execute(cursor, sql, each + [offset, limit], WALK_ONLY)
            return [row[0] for row in rows]
        covered, covered_params = "0::int", []
        if parsed.match_any:
            covered, covered_params = coverage(parsed)
        score = SCORE.replace("q.q", f"({q})")
        picked = f"SELECT e.id, {covered}, {score} FROM search_entry e"  # noqa: S608
        branch = covered_params + q_params * 2 + each
        window_params = covered_params + q_params * 2 + where_params + q_params
        titled = f"{picked} WHERE e.title_vector @@ ({q}) {where}"
        # The newest WINDOW entries (of the filter), read in index order: walking further to
        # find matches costs more than it gives; the GIN samples cover the rest.
        newest_window = f"""(SELECT e.* FROM search_entry e WHERE true {where} {walk}
            LIMIT {WINDOW}) e"""  # noqa: S608
        windowed = picked.replace("search_entry e", newest_window)
        rows, sampled = [], []
        dense = density(parsed) >= DENSE
        with connection.cursor() as cursor:
            if density(parsed, "title_vector") >= TITLE_DENSE:
                # Checking a title's small vector is cheap: walk newest first.
                walked = f"{windowed} WHERE e.title_vector @@ ({q}) LIMIT {TITLE_CANDIDATES}"
                rows += _execute(cursor, walked, window_params, WALK_ONLY)
            else:
                sampled.append(f"({titled} LIMIT {TITLE_CANDIDATES})")
            if dense:
                newest = f"{windowed} WHERE e.document @@ ({q}) LIMIT {CANDIDATES}"
                rows += _execute(cursor, newest, window_params, WALK_ONLY)
                # Undated entries sit together at the end of the recency index.
                undated = windowed.replace("WHERE true", "WHERE e.published_at IS NULL")
                walked = f"{undated} WHERE e.document @@ ({q}) LIMIT {EVERGREEN_CANDIDATES}"
                rows += _execute(cursor, walked, window_params, WALK_ONLY)
            else:
                sampled.append(f"({picked} WHERE e.document @@ ({q}) {where} LIMIT {CANDIDATES})")
                sampled.append(
                    f"({picked} WHERE e.published_at IS NULL AND e.document @@ ({q}) {where} "
                    f"LIMIT {EVERGREEN_CANDIDATES})"
                )
            if sampled:
                sql = " UNION ALL ".join(sampled)
                rows += _execute(cursor, sql, branch * len(sampled), BITMAP_ONLY)
        best = {}
        for entry_id, entry_covered, entry_score in rows:
            key = (entry_covered, entry_score)
            if entry_id not in best or key > best[entry_id]:
                best[entry_id] = key
        ordered = sorted(best, key=lambda i: (best[i][0], best[i][1], i), reverse=True)
        return ordered[offset : offset + limit]

    def count(self, parsed, filters) -> Counted:
        if density(parsed) >= DENSE:
            counted = self._count_newest(parsed, filters)
            if counted is not None:
                return counted
        return self._count(parsed, filters, window=None)

    def _count_newest(self, parsed, filters) -> Counted | None:
        """For common words: are there more than COUNT_CAP matches among the newest
        WINDOW entries (of the filter)? Then that is the answer, read cheaply; if not, the
        words were less common here than estimated, and None says to count them all."""
        counted = self._count(parsed, filters, window=WINDOW)
        return counted if counted.capped else None

    def _count(self, parsed, filters, window) -> Counted:
        q, q_params = tsquery(parsed)
        where, where_params = _filters(filters)
        if window:
            source = f"""(SELECT e.* FROM search_entry e WHERE true {where}
                {_walk(filters)} LIMIT {window}) e"""  # noqa: S608
            params = where_params + q_params
            where, disabled = "", WALK_ONLY
        else:
            source, params, disabled = "search_entry e", q_params + where_params, BITMAP_ONLY
        sql = f"""
            WITH m AS MATERIALIZED (
                SELECT e.kind, e.opd_id, e.year FROM {source}
                WHERE e.document @@ ({q}) {where} LIMIT {COUNT_CAP + 1}
            )
            SELECT 'total', '', count(*) FROM m
            UNION ALL SELECT 'kind', kind, count(*) FROM m GROUP BY kind
            UNION ALL SELECT 'opd', opd_id::text, count(*) FROM m
                WHERE opd_id IS NOT NULL GROUP BY opd_id
            UNION ALL SELECT 'year', year::text, count(*) FROM m
                WHERE year IS NOT NULL GROUP BY year
        """  # noqa: S608
        counted = Counted(facets={"kind": {}, "opd": {}, "year": {}})
        with connection.cursor() as cursor:
            for facet, value, number in _execute(cursor, sql, params, disabled):
                if facet == "total":
                    counted.total = min(number, COUNT_CAP)
                    counted.capped = number > COUNT_CAP
                else:
                    counted.facets[facet][value] = number
        return counted

    def snippets(self, ids, parsed) -> dict[int, str]:
        """Raw headline text with MARK_START/MARK_STOP around matches; escaped by the caller."""
        if not ids:
            return {}
        query_sql, query_params = tsquery(parsed)
        sql = f"""
            WITH q AS MATERIALIZED (SELECT {query_sql} AS q)
            SELECT e.id, ts_headline('{CONFIG}',
                left(CASE WHEN e.body <> '' THEN e.summary || ' ' || e.body ELSE e.summary END,
                     {SNIPPET_SOURCE_CHARS}),
                q.q, %s)
            FROM search_entry e, q WHERE e.id = ANY(%s)
        """  # noqa: S608
        with connection.cursor() as cursor:
            cursor.execute(sql, query_params + [_HEADLINE_OPTIONS, list(ids)])
            return dict(cursor.fetchall())

    def similar_words(self, word: str, limit: int = 3) -> list[str]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT word FROM search_term WHERE word %% %s AND word <> %s "
                "ORDER BY similarity(word, %s) DESC, frequency DESC LIMIT %s",
                [word, word, word, limit],
            )
            return [row[0] for row in cursor.fetchall()]

    def suggest_ids(self, complete: list[str], prefix: str, limit: int) -> list[int]:
        """Entries whose title has the complete words and a word starting with `prefix`:
        undated ones (services, apps, OPDs: where people want to go) first, then the newest.

        Both are looked for among a window of entries read in index order: a short prefix
        ("pe") stands for thousands of words, and collecting their entries from the GIN
        index would take longer than the person takes to type the next letter. A prefix of
        four letters or more is selective enough to ask the index when the window has
        nothing."""
        if not complete and not prefix:
            return []
        parts = ["plainto_tsquery('simple', %s)"] * len(complete)
        params: list = list(complete)
        if prefix:
            parts.append("to_tsquery('simple', %s)")
            params.append(f"{prefix}:*")
        q = " && ".join(parts)
        live = "(e.expires_at IS NULL OR e.expires_at > now())"
        sql = f"""
            (SELECT e.id FROM (
                SELECT e.id, e.boost, e.suggest_vector FROM search_entry e
                WHERE e.published_at IS NULL AND {live}
                ORDER BY e.published_at DESC NULLS LAST, e.id DESC LIMIT {WINDOW}
             ) e WHERE e.suggest_vector @@ ({q}) ORDER BY e.boost DESC, e.id LIMIT %s)
            UNION ALL
            (SELECT e.id FROM (
                SELECT e.id, e.suggest_vector FROM search_entry e
                WHERE e.published_at IS NOT NULL AND {live}
                ORDER BY e.published_at DESC NULLS LAST, e.id DESC LIMIT {WINDOW}
             ) e WHERE e.suggest_vector @@ ({q}) LIMIT %s)
        """  # noqa: S608
        with connection.cursor() as cursor:
            found = [
                row[0]
                for row in _execute(cursor, sql, params + [limit] + params + [limit], WALK_ONLY)
            ]
            if not found and len(prefix) >= 4:
                fallback = f"""
                    SELECT e.id FROM search_entry e WHERE e.suggest_vector @@ ({q}) AND {live}
                    LIMIT %s
                """  # noqa: S608
                found = [row[0] for row in _execute(cursor, fallback, params + [limit])]
        return found[:limit]
