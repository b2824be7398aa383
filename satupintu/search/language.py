"""Indonesian for the search: normalising, stop words, stems, and reading a query.

PostgreSQL stems with its `indonesian` Snowball configuration; the embedded SQLite engine
stems in Python with `snowballstemmer`, which is the same Snowball algorithm, so "izin"
finds "perizinan" on both and the judged queries score alike on either engine.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

import snowballstemmer

MAX_QUERY = 200
# Sixteen digits in a row, however spaced: somebody's NIK. We never search for it, echo it
# into the page title or keep it in the page; the portal publishes nothing findable by NIK.
# (An 18-digit NIP of an official is not a NIK and stays searchable.)
NIK_LIKE = re.compile(r"(?<![\d.\-])(?:\d[\s.\-]?){15}\d(?![\d.\-]?\d)")

# Function words that say nothing about what is sought. Kept short on purpose: a word left
# out only costs a little ranking, a word wrongly listed makes a query unanswerable ("data
# baru"). Negations (tidak, bukan) stay searchable. Only queries drop them: the index keeps
# every word, so a quoted phrase ("pekerjaan umum dan penataan ruang") still matches, and
# stems of stop words ("tersebut" -> "sebut") never take real words ("disebutkan") with them.
STOP_WORDS = frozenset(
    """
    yang dan di ke dari untuk dengan pada dalam ini itu akan oleh telah sebagai atau juga
    adalah ialah bagi agar supaya karena sehingga namun tetapi serta maupun para pun lah
    kah tersebut yaitu yakni saat ketika bahwa hal sudah sedang masih dapat bisa harus ada
    kami kita saya anda mereka ia dia beliau nya se sang si tentang terhadap antara hingga
    sampai sejak secara seperti kepada daripada apabila jika bila kalau maka lagi saja
    bagaimana cara apa siapa kapan mana dimana kemana berapa mengapa kenapa
    """.split()  # noqa: SIM905 -- a word list reads better as words
)

_WORD = re.compile(r"[0-9a-z]+(?:[-'][0-9a-z]+)*")
_STEMMER = snowballstemmer.stemmer("indonesian")


def normalize(text: str) -> str:
    """Lower case, compatibility forms folded, accents dropped, whitespace collapsed.

    Pasted text from phones brings full-width digits and non-breaking spaces; folding them
    keeps "KTP" from a keyboard and from a PDF the same word."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(text.lower().split())


def words(text: str) -> list[str]:
    return _WORD.findall(normalize(text))


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    # The Snowball stemmer leaves hyphenated words alone ("e-ktp"); so does PostgreSQL's parser
    # after splitting them, so both engines see the parts.
    return _STEMMER.stemWord(word)


def stemmed_text(text: str) -> str:
    """Text as the SQLite index stores it: each word replaced by its stem."""
    return " ".join(stem(w) for w in _split_hyphens(words(text)))


def _split_hyphens(tokens):
    for token in tokens:
        yield from (part for part in re.split(r"[-']", token) if part)


@dataclass
class Alternative:
    """One way of saying a part of the query: words that must all appear, in this order
    and next to each other when `phrase` (quoted, or a synonym's fixed expression)."""

    words: list[str]
    phrase: bool = False

    @property
    def text(self) -> str:
        return " ".join(self.words)


@dataclass
class Clause:
    """A part of the query that must match, in any of its alternatives (synonyms)."""

    alternatives: list[Alternative]
    exclude: bool = False
    typed: str = ""  # as the user wrote it, for "did you mean"


@dataclass
class ParsedQuery:
    clauses: list[Clause] = field(default_factory=list)
    text: str = ""  # normalised, for analytics and best bets
    # Any required clause may match instead of all: the fallback when all find nothing
    # ("data penduduk kecamatan babat" when no page has all four words).
    match_any: bool = False

    @property
    def required(self) -> list[Clause]:
        return [c for c in self.clauses if not c.exclude]

    def __bool__(self) -> bool:
        return bool(self.required)


_TOKEN = re.compile(r'(-?)"([^"]*)"|(\S+)')


def parse(query: str, synonyms: "dict[tuple[str, ...], list[tuple[str, ...]]] | None" = None):
    """Reads a query the way people type it into a government portal.

    - words are all required (AND), stop words dropped unless everything is a stop word;
    - "quoted words" are a phrase; -word or -"phrase" excludes;
    - `synonyms` maps a word sequence to the sequences that mean the same (KTP and "kartu
      tanda penduduk"); the longest sequence found at each position wins.
    """
    synonyms = synonyms or {}
    clauses: list[Clause] = []
    plain: list[str] = []  # consecutive plain words, matched against synonyms together
    pending_exclusions: list[Clause] = []

    def flush():
        if plain:
            clauses.extend(_with_synonyms(plain, synonyms))
            plain.clear()

    for match in _TOKEN.finditer(normalize(query)):
        minus, phrase, token = match.groups()
        if phrase is not None:
            flush()
            phrase_words = words(phrase)
            if phrase_words:
                clause = Clause(
                    [Alternative(phrase_words, phrase=True)], exclude=bool(minus), typed=phrase
                )
                (pending_exclusions if minus else clauses).append(clause)
            continue
        exclude = token.startswith("-") and len(token) > 1
        token_words = words(token[1:] if exclude else token)
        if exclude:
            if token_words:
                pending_exclusions.append(
                    Clause([Alternative(token_words)], exclude=True, typed=token[1:])
                )
            continue
        plain.extend(token_words)
    flush()
    meaningful = [
        c
        for c in clauses
        if not (
            len(c.alternatives) == 1
            and c.alternatives[0].words
            and all(w in STOP_WORDS for w in c.alternatives[0].words)
            and len(c.alternatives[0].words) == 1
        )
    ]
    kept = meaningful or clauses
    return ParsedQuery(clauses=kept + pending_exclusions, text=normalize(query)[:MAX_QUERY])


def _with_synonyms(tokens: list[str], synonyms) -> list[Clause]:
    longest = max((len(key) for key in synonyms), default=0)
    clauses = []
    i = 0
    while i < len(tokens):
        for size in range(min(longest, len(tokens) - i), 0, -1):
            key = tuple(tokens[i : i + size])
            if key in synonyms:
                alternatives = [Alternative(list(key))]
                # What was typed keeps its plain meaning (all its words, anywhere); the
                # other ways of saying it are fixed expressions.
                alternatives += [
                    Alternative(list(other), phrase=len(other) > 1)
                    for other in synonyms[key]
                    if other != key
                ]
                clauses.append(Clause(alternatives, typed=" ".join(key)))
                i += size
                break
        else:
            clauses.append(Clause([Alternative([tokens[i]])], typed=tokens[i]))
            i += 1
    return clauses
