"""SQLite FTS5 for the embedded installation: stemmed text, BM25, the same interface.

FTS5 has no Indonesian stemmer, so the text is stemmed in Python (language.stemmed_text)
with the same Snowball algorithm PostgreSQL uses, and queries are stemmed the same way.
What it lacks against PostgreSQL (README): typo suggestions are found by comparing with
words of similar spelling in Python, and a common word's matches are all ranked, which is
fine for a regency's own site but not for a million entries.
"""

import difflib

from django.db import connection
from django.utils import timezone

from .. import language
from ..language import ParsedQuery
from . import (
    AGE_PENALTY_PER_YEAR,
    COUNT_CAP,
    MARK_START,
    MARK_STOP,
    Counted,
    Filters,
    Vocabulary,
)

_COLUMNS = "{title summary body context}"


def _alternative(alternative) -> str:
    stems = [
        language.stem(part)
        for w in alternative.words
        for part in w.replace("'", "-").split("-")
        if part
    ]
    if not stems:
        return ""
    # Only [0-9a-z] reach here (language.words), so quoting each stem is all FTS5 needs.
    if alternative.phrase or len(stems) == 1:
        return '"' + " ".join(stems) + '"'
    return "(" + " AND ".join(f'"{stem}"' for stem in stems) + ")"


def _clause(clause) -> str:
    alternatives = [a for a in (_alternative(x) for x in clause.alternatives) if a]
    return "(" + " OR ".join(alternatives) + ")" if alternatives else ""


def coverage(parsed: ParsedQuery) -> tuple[str, list]:
    """How many of the query's parts an entry has: the first ordering when any may match."""
    parts, params = [], []
    for clause in parsed.required:
        expression = _clause(clause)
        if expression:
            parts.append(
                "(e.id IN (SELECT rowid FROM search_entry_fts WHERE search_entry_fts MATCH %s))"
            )
            params.append(f"{_COLUMNS} : {expression}")
    return ("(" + " + ".join(parts) + ")", params) if parts else ("0", [])


def match_expression(parsed: ParsedQuery) -> str:
    required, excluded = [], []
    for clause in parsed.clauses:
        sql = _clause(clause)
        if sql:
            (excluded if clause.exclude else required).append(sql)
    if not required:
        return ""
    joiner = " OR " if parsed.match_any else " AND "
    expression = f"{_COLUMNS} : (" + joiner.join(required) + ")"
    for sql in excluded:
        expression += f" NOT {_COLUMNS} : {sql}"
    return expression


def _filters(filters: Filters) -> tuple[str, list]:
    sql = " AND (e.expires_at IS NULL OR e.expires_at > %s)"
    params: list = [timezone.now()]
    if filters.kinds:
        sql += f" AND e.kind IN ({', '.join(['%s'] * len(filters.kinds))})"
        params += list(filters.kinds)
    if filters.opd_id is not None:
        sql += " AND e.opd_id = %s"
        params.append(filters.opd_id)
    if filters.year is not None:
        sql += " AND e.year = %s"
        params.append(filters.year)
    return sql, params


class SQLiteEngine(Vocabulary):
    vendor = "sqlite"

    def written(self, entries):
        rows = [
            (
                entry.id,
                language.stemmed_text(f"{entry.title} {entry.keywords}"),
                language.stemmed_text(entry.summary),
                language.stemmed_text(entry.body),
                language.stemmed_text(entry.context),
                " ".join(language.words(f"{entry.title} {entry.keywords}")),
            )
            for entry in entries
        ]
        with connection.cursor() as cursor:
            self._delete(cursor, [row[0] for row in rows])
            cursor.executemany(
                "INSERT INTO search_entry_fts (rowid, title, summary, body, context, raw) "
                "VALUES (%s, %s, %s, %s, %s, %s)",
                rows,
            )

    def removed(self, ids):
        with connection.cursor() as cursor:
            self._delete(cursor, list(ids))

    @staticmethod
    def _delete(cursor, ids):
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            cursor.execute(
                f"DELETE FROM search_entry_fts WHERE rowid IN ({', '.join(['%s'] * len(chunk))})",  # noqa: S608
                chunk,
            )

    def page(self, parsed, filters, *, sort, offset, limit):
        counted = self.count(parsed, filters)
        if not counted.total:
            return [], counted
        return self.ranked_ids(parsed, filters, sort=sort, offset=offset, limit=limit), counted

    def ranked_ids(self, parsed, filters, *, sort, offset, limit, counted=None) -> list[int]:
        expression = match_expression(parsed)
        if not expression:
            return []
        where, params = _filters(filters)
        covered_params = []
        if sort == "terbaru":
            order = "e.published_at IS NULL, e.published_at DESC, e.id DESC"
        else:
            covered = ""
            if parsed.match_any:
                covered, covered_params = coverage(parsed)
                covered += " DESC, "
            # As on PostgreSQL: an entry whose title has the whole query gets a bonus.
            title_only = expression.replace(_COLUMNS, "{title}")
            covered += (
                "(-bm25(search_entry_fts, 10.0, 4.0, 1.0, 0.5, 0.0)) * (1.0 + 0.5 * (e.id IN "
                "(SELECT rowid FROM search_entry_fts WHERE search_entry_fts MATCH %s))) * "
            )
            covered_params = [*covered_params, title_only]
            order = covered + (
                "e.boost * "
                "CASE WHEN e.published_at IS NULL THEN 1.0 ELSE 1.0 / (1.0 + "
                f"{AGE_PENALTY_PER_YEAR} * max(0, (julianday('now') - julianday(e.published_at))"
                " / 365.25)) END DESC, e.id DESC"
            )
        sql = f"""
            SELECT e.id FROM search_entry_fts JOIN search_entry e ON e.id = search_entry_fts.rowid
            WHERE search_entry_fts MATCH %s {where}
            ORDER BY {order} LIMIT %s OFFSET %s
        """  # noqa: S608 -- fragments are ours; every value is a parameter
        with connection.cursor() as cursor:
            cursor.execute(sql, [expression, *params, *covered_params, limit, offset])
            return [row[0] for row in cursor.fetchall()]

    def count(self, parsed, filters) -> Counted:
        counted = Counted(facets={"kind": {}, "opd": {}, "year": {}})
        expression = match_expression(parsed)
        if not expression:
            return counted
        where, params = _filters(filters)
        sql = f"""
            SELECT e.kind, e.opd_id, e.year FROM search_entry_fts
            JOIN search_entry e ON e.id = search_entry_fts.rowid
            WHERE search_entry_fts MATCH %s {where} LIMIT {COUNT_CAP + 1}
        """  # noqa: S608
        with connection.cursor() as cursor:
            cursor.execute(sql, [expression, *params])
            rows = cursor.fetchall()
        counted.total = min(len(rows), COUNT_CAP)
        counted.capped = len(rows) > COUNT_CAP
        for kind, opd_id, year in rows:
            for facet, value in (("kind", kind), ("opd", opd_id), ("year", year)):
                if value is not None:
                    bucket = counted.facets[facet]
                    bucket[str(value)] = bucket.get(str(value), 0) + 1
        return counted

    def snippets(self, ids, parsed) -> dict[int, str]:
        from ..highlight import snippet

        if not ids:
            return {}
        stems = {
            language.stem(w)
            for clause in parsed.required
            for alternative in clause.alternatives
            for w in alternative.words
        }
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT id, summary, body FROM search_entry "  # noqa: S608
                f"WHERE id IN ({', '.join(['%s'] * len(ids))})",
                list(ids),
            )
            return {
                row[0]: snippet(f"{row[1]} {row[2]}".strip(), stems, MARK_START, MARK_STOP)
                for row in cursor.fetchall()
            }

    def similar_words(self, word: str, limit: int = 3) -> list[str]:
        """Words sharing the first letter and about the length, closest spelling first."""
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT word, frequency FROM search_term WHERE word LIKE %s "
                "AND length(word) BETWEEN %s AND %s AND word <> %s LIMIT 20000",
                [word[:1] + "%", len(word) - 2, len(word) + 2, word],
            )
            rows = cursor.fetchall()
        scored = []
        for candidate, frequency in rows:
            ratio = difflib.SequenceMatcher(None, word, candidate).ratio()
            if ratio >= 0.75:
                scored.append((-ratio, -frequency, candidate))
        return [candidate for _, _, candidate in sorted(scored)[:limit]]

    def suggest_ids(self, complete: list[str], prefix: str, limit: int) -> list[int]:
        if not complete and not prefix:
            return []
        terms = [f'"{w}"' for w in complete]
        if prefix:
            terms.append(f'"{prefix}" *')
        expression = "{raw} : (" + " AND ".join(terms) + ")"
        sql = """
            SELECT e.id FROM search_entry_fts JOIN search_entry e ON e.id = search_entry_fts.rowid
            WHERE search_entry_fts MATCH %s AND (e.expires_at IS NULL OR e.expires_at > %s)
            ORDER BY e.published_at IS NOT NULL, e.boost DESC, e.published_at DESC, e.id DESC
            LIMIT %s
        """
        with connection.cursor() as cursor:
            cursor.execute(sql, [expression, timezone.now(), limit])
            return [row[0] for row in cursor.fetchall()]
