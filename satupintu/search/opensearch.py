"""The search index as OpenSearch 2.x reads it, for a province or national portal.

A regency searches its own PostgreSQL index; a province that wants one search over all its
regencies cannot join their databases, so each regency exports its current entries as a
`_bulk` file into one shared index (deploy/opensearch/README.md). Documents carry their
regency's Kemendagri code in `_id` and in a field: regencies share the index without
overwriting each other, and each can replace or withdraw only its own documents.

The analysis mirrors language.py where OpenSearch allows it: the same short stop-word list
(not Lucene's `_indonesian_`, which is Tala's 750 words and drops "baru", "umum", "kecil"
and "bagian": "rumah sakit umum" would lose a word people search with), Indonesian stemming
and synonyms at query time only, so editing synonyms never needs a reindex.
"""

import datetime
import json
from collections.abc import Iterable, Iterator

from django.db.models import Q
from django.utils import timezone

from . import language
from .models import Entry, SynonymGroup

ANALYZER = "satupintu_id"
SEARCH_ANALYZER = "satupintu_id_search"
SUGGEST_ANALYZER = "satupintu_suggest"
MAX_SIZE = 100
# OpenSearch's default `index.max_result_window`: deeper pages are refused by the cluster.
MAX_WINDOW = 10_000
# `rank_feature` refuses zero and negative values; a boost of 0 means "barely", not "never".
MIN_BOOST = 1e-6
# Year-old results keep 0.74 of their score, as 1 / (1 + 0.35) does on PostgreSQL
# (engines/postgres.py). `exp` rather than `gauss`: gauss falls with the square of the age and
# leaves a five-year-old regulation 0.0005 of its score, where PostgreSQL leaves it 0.36.
AGE_DECAY = 0.74
AGE_SCALE = "365d"
SEARCH_FIELDS = ["title^4", "keywords^4", "summary^2", "body", "context^0.5"]


def synonym_lines(synonym_groups: Iterable[str]) -> list[str]:
    """Solr-format rules ("ktp, kartu tanda penduduk") with the stop words taken out.

    The synonym filter parses each rule with the filters before it, stop filter included: a
    rule keeping "dan" ("pajak bumi dan bangunan") comes out with a position gap, and
    OpenSearch then refuses to create the index at all. Without them the rule still matches
    the query, whose stop words the same filter has already removed."""
    lines = []
    for terms in synonym_groups:
        phrases = []
        for phrase in SynonymGroup(terms=terms).phrases():
            kept = " ".join(w for w in phrase if w not in language.STOP_WORDS)
            if kept and kept not in phrases:
                phrases.append(kept)
        if len(phrases) >= 2:
            line = ", ".join(phrases)
            if line not in lines:
                lines.append(line)
    return lines


def index_settings(synonym_groups: list[str], *, shards: int = 3, replicas: int = 1) -> dict:
    """The body of `PUT /<index>`: analysis, then a strict mapping of what documents() sends.

    Three shards spread one province over a three-node cluster; a replica keeps every shard
    on two nodes, so losing one machine loses no data and no search."""
    lines = synonym_lines(synonym_groups)
    search_filters = ["lowercase", "asciifolding", "satupintu_stop"]
    # Lucene cannot build a synonym filter from an empty rule list; leave it out instead.
    if lines:
        search_filters.append("satupintu_synonyms")
    search_filters.append("satupintu_stemmer")
    token_filters = {
        "satupintu_stop": {"type": "stop", "stopwords": sorted(language.STOP_WORDS)},
        "satupintu_stemmer": {"type": "stemmer", "language": "indonesian"},
    }
    if lines:
        token_filters["satupintu_synonyms"] = {"type": "synonym_graph", "synonyms": lines}
    text = {"type": "text", "analyzer": ANALYZER, "search_analyzer": SEARCH_ANALYZER}
    return {
        "settings": {
            "index": {"number_of_shards": shards, "number_of_replicas": replicas},
            "analysis": {
                "filter": token_filters,
                "analyzer": {
                    ANALYZER: {
                        "type": "custom",
                        "tokenizer": "standard",
                        "filter": [
                            "lowercase",
                            "asciifolding",
                            "satupintu_stop",
                            "satupintu_stemmer",
                        ],
                    },
                    SEARCH_ANALYZER: {
                        "type": "custom",
                        "tokenizer": "standard",
                        "filter": search_filters,
                    },
                    # Unstemmed: typing "perizi" must complete to "perizinan", whose stem is
                    # "izin" and no longer starts with what was typed.
                    SUGGEST_ANALYZER: {
                        "type": "custom",
                        "tokenizer": "standard",
                        "filter": ["lowercase", "asciifolding"],
                    },
                },
            },
        },
        "mappings": {
            "dynamic": "strict",
            "properties": {
                "key": {"type": "keyword"},
                "regency_code": {"type": "keyword"},
                "kind": {"type": "keyword"},
                "opd": {"type": "keyword"},
                "opd_name": {
                    **text,
                    "fields": {"keyword": {"type": "keyword", "ignore_above": 256}},
                },
                "title": {
                    **text,
                    "fields": {
                        "suggest": {"type": "search_as_you_type", "analyzer": SUGGEST_ANALYZER}
                    },
                },
                "summary": dict(text),
                "body": dict(text),
                "keywords": dict(text),
                "context": dict(text),
                "url": {"type": "keyword", "index": False, "doc_values": False},
                "published_at": {"type": "date"},
                "year": {"type": "short"},
                "boost": {"type": "rank_feature"},
                "expires_at": {"type": "date"},
                # Which export wrote the document: the delete-by-query after a load removes
                # what this regency no longer publishes (deploy/opensearch/README.md).
                "exported_at": {"type": "date"},
            },
        },
    }


def current_entries():
    """What the public may find now; the same expiry test as both engines' queries."""
    now = timezone.now()
    return Entry.objects.filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))


def documents(
    regency_code: str, base_url: str, *, exported_at: datetime.datetime | None = None
) -> Iterator[dict]:
    """One OpenSearch document per current entry, in key order, a thousand rows at a time.

    URLs become absolute: the province portal links to the regency's site, not its own."""
    if not regency_code:
        raise ValueError("regency_code is required")
    exported = _iso(exported_at or timezone.now())
    base = base_url.rstrip("/")
    entries = current_entries().select_related("opd").order_by("key").iterator(chunk_size=1000)
    for entry in entries:
        url = entry.url
        if not url.startswith(("http://", "https://")):
            url = f"{base}/{url.lstrip('/')}"
        yield {
            "_id": f"{regency_code}:{entry.key}",
            "key": entry.key,
            "regency_code": regency_code,
            "kind": entry.kind,
            "opd": entry.opd.slug if entry.opd else None,
            "opd_name": entry.opd.name if entry.opd else None,
            "title": entry.title,
            "summary": entry.summary,
            "body": entry.body,
            "keywords": entry.keywords,
            "context": entry.context,
            "url": url,
            "published_at": _iso(entry.published_at),
            "year": entry.year,
            "boost": max(float(entry.boost), MIN_BOOST),
            "expires_at": _iso(entry.expires_at),
            "exported_at": exported,
        }


def _iso(value: datetime.datetime | None) -> str | None:
    if value is None:
        return None
    return value.astimezone(datetime.UTC).isoformat(timespec="milliseconds")


def bulk_lines(docs: Iterable[dict], index_name: str) -> Iterator[str]:
    """NDJSON for `POST /_bulk`: an action line, then the document without its `_id`.

    `_id` is metadata; OpenSearch rejects a source that carries it. json.dumps escapes the
    newlines inside texts, so each document stays on one line as the format requires."""
    for doc in docs:
        source = {name: value for name, value in doc.items() if name != "_id"}
        action = {"index": {"_index": index_name, "_id": doc["_id"]}}
        yield _json_line(action)
        yield _json_line(source)


def _json_line(value: dict) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")) + "\n"


def search_body(
    query: str,
    *,
    kinds: Iterable[str] = (),
    regency_codes: Iterable[str] = (),
    size: int = 10,
    from_: int = 0,
) -> dict:
    """The `POST /<index>/_search` body a province portal sends for what a citizen typed.

    All words must match somewhere (operator "and"), each with typo tolerance; the entry's
    boost and its age then weigh the text score as they do on PostgreSQL."""
    if size < 0 or size > MAX_SIZE:
        raise ValueError(f"size must be between 0 and {MAX_SIZE}")
    if from_ < 0 or from_ + size > MAX_WINDOW:
        raise ValueError(f"from_ + size must stay within {MAX_WINDOW}")
    # A NIK is never searched for, here as on the regency's own portal (language.py).
    text = language.NIK_LIKE.sub(" ", language.normalize(query))[: language.MAX_QUERY].strip()
    filters = [
        # Entries that expired since the last export must not wait for the next one.
        {
            "bool": {
                "should": [
                    {"bool": {"must_not": {"exists": {"field": "expires_at"}}}},
                    {"range": {"expires_at": {"gt": "now/m"}}},
                ],
                "minimum_should_match": 1,
            }
        }
    ]
    kinds = sorted(set(kinds))
    if kinds:
        filters.append({"terms": {"kind": kinds}})
    regency_codes = sorted(set(regency_codes))
    if regency_codes:
        filters.append({"terms": {"regency_code": regency_codes}})
    matching = {
        "multi_match": {
            "query": text,
            "type": "best_fields",
            "fields": SEARCH_FIELDS,
            "operator": "and",
            "fuzziness": "AUTO",
            # A typo in the first letter is rare, and fixing it makes every term a candidate.
            "prefix_length": 1,
            "max_expansions": 50,
            "tie_breaker": 0.3,
            # A multi-word synonym as a phrase would need its stop words back in place
            # ("pajak bumi dan bangunan"); as required words it matches either way.
            "auto_generate_synonyms_phrase_query": False,
        }
    }
    return {
        "from": from_,
        "size": size,
        "track_total_hits": True,
        "_source": {"excludes": ["body"]},
        "query": {
            "function_score": {
                "query": {
                    "bool": {
                        "must": [matching],
                        "should": [
                            # Additive, unlike PostgreSQL's product: a rank_feature can only
                            # be read by this query. Boost 1.0 adds 1, 0.3 adds 0.46.
                            {
                                "rank_feature": {
                                    "field": "boost",
                                    "saturation": {"pivot": 1.0},
                                    "boost": 2.0,
                                }
                            }
                        ],
                        "filter": filters,
                    }
                },
                "functions": [
                    {
                        # Only the past ages: an agenda for next month is not "old", as in
                        # PostgreSQL's greatest(0, age). Undated entries keep their score.
                        "filter": {"range": {"published_at": {"lte": "now"}}},
                        "exp": {
                            "published_at": {
                                "origin": "now",
                                "scale": AGE_SCALE,
                                "decay": AGE_DECAY,
                            }
                        },
                    }
                ],
                "score_mode": "multiply",
                "boost_mode": "multiply",
            }
        },
        "highlight": {
            # Escapes the text around the marks: a document body must not inject markup.
            "encoder": "html",
            "pre_tags": ["<mark>"],
            "post_tags": ["</mark>"],
            "fields": {
                "summary": {"number_of_fragments": 0},
                "body": {"fragment_size": 180, "number_of_fragments": 2},
            },
        },
        "aggs": {
            "kind": {"terms": {"field": "kind", "size": 20}},
            "opd": {"terms": {"field": "opd", "size": 100}},
            "year": {"terms": {"field": "year", "size": 30, "order": {"_key": "desc"}}},
            # Indonesia has 514 regencies and cities: a national index lists them all.
            "regency_code": {"terms": {"field": "regency_code", "size": 600}},
        },
    }
