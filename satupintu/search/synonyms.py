"""Synonyms and abbreviations, as Kominfo edits them, for reading queries."""

from collections import Counter

from . import language
from .models import SynonymGroup


def synonym_map() -> dict[tuple[str, ...], list[tuple[str, ...]]]:
    from .rules import synonym_map as current

    return current()


def count_synonym_words() -> None:
    """Synonym words join the vocabulary: "did you mean" may then offer "dukcapil"."""
    from .index import add_words

    counts = Counter()
    for group in SynonymGroup.objects.all():
        for phrase in group.phrases():
            counts.update(
                w for w in phrase if w.isalpha() and len(w) >= 3 and w not in language.STOP_WORDS
            )
    add_words(counts)
