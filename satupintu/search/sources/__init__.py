"""Where the index's entries come from: one module per kind of source.

Each module says which of its things are public and turns one into an `index.Doc`;
`rebuild()` puts every source back from scratch (and drops what is no longer public).
"""

from .. import index
from . import apps, datasets, pages

SOURCES = (pages, datasets, apps)


def rebuild(batch: int = 500) -> dict[str, int]:
    """Re-indexes everything; returns the number of entries per source."""
    from ..models import Term

    Term.objects.all().delete()
    counts = {}
    for source in SOURCES:
        keys = []
        docs = []
        for doc in source.all_docs():
            docs.append(doc)
            keys.append(doc.key)
            if len(docs) >= batch:
                index.put_many(docs)
                docs = []
        index.put_many(docs)
        index.remove_prefix(source.PREFIX, keep=keys)
        counts[source.__name__.rsplit(".", 1)[-1]] = len(keys)
    from ..synonyms import count_synonym_words

    count_synonym_words()
    return counts
