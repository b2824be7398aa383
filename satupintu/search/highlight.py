"""Snippets: a short window of the text around the words found, with those words marked.

The engines return text with control-character marks around matches (the indexer strips
such characters from every text it stores, so they cannot come from content); `to_html`
escapes everything else and only then turns the marks into <mark>.
"""

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from . import language

_TOKEN = re.compile(r"\S+")
_WORD_CORE = re.compile(r"[0-9A-Za-zÀ-ɏ]+")


def snippet(text: str, stems: set[str], start: str, stop: str, size: int = 32) -> str:
    """The window of `size` words with the most matching words, matches wrapped in marks."""
    tokens = _TOKEN.findall(text[:20_000])
    if not tokens:
        return ""
    hits = []
    for token in tokens:
        core = _WORD_CORE.search(token)
        hits.append(bool(core) and language.stem(language.normalize(core.group())) in stems)
    sums = [0]
    for hit in hits:
        sums.append(sums[-1] + hit)

    def count(i):
        return sums[min(len(tokens), i + size)] - sums[i]

    best = max(range(max(1, len(tokens) - size + 1)), key=lambda i: (count(i), -i))
    best_count = count(best)
    # Start a little before the first match of the best window, so it reads as a sentence.
    first_hit = next((j for j in range(best, min(best + size, len(tokens))) if hits[j]), best)
    begin = max(0, first_hit - 4) if best_count > 0 else 0
    chosen = range(begin, min(begin + size, len(tokens)))
    words = [f"{start}{tokens[j]}{stop}" if hits[j] else tokens[j] for j in chosen]
    prefix = "… " if begin > 0 else ""
    suffix = " …" if chosen.stop < len(tokens) else ""
    return prefix + " ".join(words) + suffix


def to_html(marked: str, start: str, stop: str) -> SafeString:
    html = escape(marked or "")
    return mark_safe(html.replace(start, "<mark>").replace(stop, "</mark>"))  # noqa: S308
