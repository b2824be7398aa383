"""A search as the page and the API ask for it: read the query, find, count, correct, pin.

The flow for a query: read it with the synonyms (language.parse); count and take the page
of results; if it finds (almost) nothing, look for the words the user probably meant, and
when the query found nothing at all but the corrected one does, show the corrected results
and say so ("did you mean" otherwise). When nothing has every word, show what has some of
them, best first, and say so. Best bets come first on the first page.
"""

import dataclasses
from dataclasses import dataclass, field

from django.utils.safestring import SafeString

from . import engines, highlight, language, rules
from .engines import MARK_START, MARK_STOP, Counted, Filters
from .models import Entry
from .synonyms import synonym_map

PER_PAGE = 10
MAX_PAGES = 50
SORTS = ("relevansi", "terbaru")
# Below this many results a spelling check is worth its query.
FEW_RESULTS = 3


@dataclass
class Hit:
    entry: Entry
    snippet: SafeString


@dataclass
class Outcome:
    query: str
    parsed: language.ParsedQuery | None = None
    hits: list[Hit] = field(default_factory=list)
    counted: Counted = field(default_factory=Counted)
    page: int = 1
    per_page: int = PER_PAGE
    corrected: str = ""  # the results shown are for this query instead of the typed one
    partial: bool = False  # no result has every word; these have some of them
    did_you_mean: str = ""
    best_bets: list[Entry] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.counted.total

    @property
    def pages(self) -> int:
        return min(MAX_PAGES, max(1, -(-self.counted.total // self.per_page)))


def search(
    text: str,
    filters: Filters = Filters(),  # noqa: B008 -- frozen dataclass, never mutated
    *,
    sort: str = "relevansi",
    page: int = 1,
    per_page: int = PER_PAGE,
    spelling: bool = True,
) -> Outcome:
    engine = engines.current()
    synonyms = synonym_map()
    outcome = Outcome(query=text, page=max(1, min(page, MAX_PAGES)), per_page=per_page)
    parsed = language.parse(text, synonyms)
    if not parsed:
        return outcome
    sort = sort if sort in SORTS else "relevansi"
    window = {"sort": sort, "offset": (outcome.page - 1) * per_page, "limit": per_page}
    ids, counted = engine.page(parsed, filters, **window)
    if spelling and counted.total < FEW_RESULTS:
        better = _corrected(engine, text, parsed, synonyms)
        if better:
            better_parsed = language.parse(better, synonyms)
            better_counted = engine.count(better_parsed, filters)
            if counted.total == 0 and better_counted.total > 0:
                outcome.corrected = better
                parsed = better_parsed
                ids, counted = engine.page(parsed, filters, **window)
            elif better_counted.total > counted.total:
                outcome.did_you_mean = better
    relaxed = relax(parsed)
    if counted.total == 0 and relaxed is not None and engine.count(relaxed, filters).total:
        parsed, outcome.partial = relaxed, True
        ids, counted = engine.page(parsed, filters, **window)
    outcome.parsed, outcome.counted = parsed, counted
    if ids:
        entries = (
            Entry.objects.select_related("opd").defer("body", "keywords", "context").in_bulk(ids)
        )
        marks = engine.snippets(ids, parsed)
        outcome.hits = [
            Hit(entries[i], highlight.to_html(marks.get(i, ""), MARK_START, MARK_STOP))
            for i in ids
            if i in entries
        ]
    if outcome.page == 1 and filters == Filters():
        outcome.best_bets = best_bets(parsed.text)
    return outcome


def relax(parsed):
    """The query where any part may match, or None if it has only one word: each required
    clause (with its synonyms), and each word typed, becomes an option. The words of a
    synonym's expansion are not split: "tanda" alone is not what "ktp" meant."""
    words = []
    for clause in parsed.required:
        words += [w for w in language.words(clause.typed) if w not in language.STOP_WORDS]
    words = list(dict.fromkeys(words))
    if len(parsed.required) < 2 and len(words) < 2:
        return None
    extra = [language.Clause([language.Alternative([w])], typed=w) for w in words]
    excluded = [c for c in parsed.clauses if c.exclude]
    return dataclasses.replace(parsed, clauses=parsed.required + extra + excluded, match_any=True)


def best_bets(normalized_query: str) -> list[Entry]:
    ids = rules.best_bet_ids(normalized_query) if normalized_query else []
    if not ids:
        return []
    found = Entry.objects.select_related("opd").in_bulk(ids)
    return [found[i] for i in ids if i in found]


def _corrected(engine, text: str, parsed, synonyms) -> str:
    """The query with each unknown word replaced by the closest known one, or ""."""
    replacements = {}
    for clause in parsed.required:
        if len(clause.alternatives) != 1 or len(clause.alternatives[0].words) != 1:
            continue
        word = clause.alternatives[0].words[0]
        if len(word) < 4 or not word.isalpha() or engine.known_word(word):
            continue
        similar = engine.similar_words(word, limit=1)
        if similar:
            replacements[word] = similar[0]
    if not replacements:
        return ""
    return " ".join(replacements.get(w, w) for w in language.normalize(text).split())
