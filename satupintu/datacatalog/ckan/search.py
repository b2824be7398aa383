"""package_search over the published layer, with the paging rules CKAN harvesters rely on.

ckanext-harvest pages with `rows=100&start=N&sort=id asc`, advances `start` by what it asked
for, stops only on an empty page and never looks at the status: so `rows` is honoured exactly
(clamped at 1000), `start` past the end is a success with no results, `id asc` is a total order
(ids are unique), and nothing valid it sends can fail. Results are the stored package texts,
spliced into the response as they are (never parsed and re-encoded), and a call costs the same
few queries whatever `rows` is: count, page, facets, facet titles.
"""

import json

from django.db import connection
from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.utils.translation import gettext as _

from .. import licenses
from ..models import PublishedDataset, PublishedTerm, Topic
from . import fq as fqlib
from .errors import SearchError, SearchQueryError
from .params import as_bool, as_int, as_list
from .raw import RawJSON

MAX_ROWS = 1000
DEFAULT_ROWS = 10
DEFAULT_SORT = "score desc, metadata_modified desc"
SORTS = {
    "id": "pk",
    "name": "name",
    "title": "title",
    "title_string": "title",
    "metadata_modified": "metadata_modified",
    "metadata_created": "metadata_created",
    "license_id": "license_id",
    "score": "score",
}
# What CKAN's package_search accepts (its Solr parameters); anything else is refused, as
# CKAN does, so that a typo in a harvester's configuration shows up instead of being ignored.
KNOWN = {
    "q",
    "fq",
    "fq_list",
    "rows",
    "start",
    "sort",
    "facet",
    "facet.field",
    "facet.limit",
    "facet.mincount",
    "include_private",
    "include_drafts",
    "include_deleted",
    "use_default_schema",
    "fl",
    "qf",
    "wt",
    "bf",
    "boost",
    "tie",
    "defType",
    "mm",
    "df",
    "q.op",
}
FACET_TERMS = {"organization", "groups", "tags", "res_format"}


def package_search(data: dict, visible: Q) -> RawJSON:
    unknown = sorted(k for k in data if k not in KNOWN and not k.startswith("ext_"))
    if unknown:
        raise SearchQueryError(
            _("Parameter tidak dikenal: %(names)s") % {"names": ", ".join(unknown)[:200]}
        )
    rows = min(as_int(data, "rows", DEFAULT_ROWS), MAX_ROWS)
    start = as_int(data, "start", 0)
    sort_text = str(data.get("sort") or DEFAULT_SORT)
    text_terms: list[str] = []
    condition = visible
    q_filter = _q_filter(data.get("q"), text_terms)
    if q_filter is not None:
        condition &= q_filter
    fq_texts = []
    if data.get("fq"):
        fq_texts += as_list(data["fq"]) if isinstance(data["fq"], list) else [str(data["fq"])]
    if data.get("fq_list"):
        fq_texts += as_list(data["fq_list"])
    for text in fq_texts:
        try:
            condition &= fqlib.to_q(fqlib.parse(text))
        except fqlib.FqError as error:
            raise SearchError(str(error)) from error
    order = _order(sort_text, bool(text_terms))

    rows_qs = PublishedDataset.objects.filter(condition)
    count = rows_qs.count()
    texts = []
    if rows and start < count:
        # The page's keys first (narrow rows: the sort never carries package texts), then
        # their packages: one query either way.
        scored = "score" in [o.lstrip("-") for o in order]
        keys = rows_qs.annotate(score=_score(text_terms)) if scored else rows_qs
        keys = keys.order_by(*order).values("pk")[start : start + rows]
        page = PublishedDataset.objects.filter(pk__in=keys)
        if scored:
            page = page.annotate(score=_score(text_terms))
        texts = list(page.order_by(*order).values_list("package", flat=True))
        fields = _fl(data.get("fl"))
        if fields:
            texts = [_only(text, fields) for text in texts]

    facets, search_facets = {}, {}
    if as_bool(data, "facet", True):
        facet_fields = as_list(data.get("facet.field") or [])
        if facet_fields:
            facets, search_facets = _facets(
                rows_qs,
                facet_fields,
                limit=as_int(data, "facet.limit", 50, minimum=-1),
                mincount=as_int(data, "facet.mincount", 1),
            )
    return {
        "count": count,
        "facets": facets,
        "results": [RawJSON(text) for text in texts],
        "sort": sort_text,
        "search_facets": search_facets,
    }


def _q_filter(q, text_terms) -> Q | None:
    """`q` as CKAN reads it (edismax): fielded clauses work, anything unreadable is searched
    as plain words rather than refused. None: no condition."""
    text = " ".join(as_list(q)) if isinstance(q, list) else str(q or "").strip()
    if not text or text == "*:*":
        return None
    try:
        return fqlib.to_q(fqlib.parse(text), text_terms)
    except fqlib.FqError:
        del text_terms[:]
        condition = None
        for word in text.split():
            word = word.strip('"()+-').lower()
            if word:
                text_terms.append(word)
                found = Q(search_text__contains=word)
                condition = found if condition is None else condition & found
        return condition


def _score(text_terms):
    """Datasets whose name or title holds the words come first (CKAN weights them highest)."""
    score = Value(0)
    for term in text_terms[:10]:
        score = score + Case(
            When(Q(name__contains=term) | Q(title__icontains=term), then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
    return score


def _order(sort_text: str, scored: bool) -> list[str]:
    order = []
    for part in sort_text.split(","):
        words = part.split()
        if not words:
            continue
        if len(words) > 2 or words[0] not in SORTS:
            raise SearchQueryError(
                _("Urutan “%(sort)s” tidak didukung.") % {"sort": part.strip()[:60]}
            )
        direction = words[1].lower() if len(words) == 2 else "asc"
        if direction not in ("asc", "desc"):
            raise SearchQueryError(
                _("Arah urutan harus asc atau desc, bukan “%(dir)s”.") % {"dir": words[1][:20]}
            )
        column = SORTS[words[0]]
        if column == "score" and not scored:
            continue  # every result scores the same without search words
        order.append(("-" if direction == "desc" else "") + column)
    if not any(o.lstrip("-") == "pk" for o in order):
        order.append("pk")  # a total order: the same page for the same start, every time
    return order


def _fl(value):
    fields = [f for part in as_list(value or []) for f in part.replace(",", " ").split()]
    return [] if not fields or "*" in fields else fields


def _only(text, fields):
    package = json.loads(text)
    return json.dumps({k: package[k] for k in fields if k in package}, ensure_ascii=False)


def _facets(rows_qs, facet_fields, *, limit, mincount):
    fields = []
    for field in facet_fields:
        field = str(field)
        if field not in FACET_TERMS and field != "license_id" and not field.startswith("extras_"):
            raise SearchError(_("Faset “%(field)s” tidak didukung.") % {"field": field[:60]})
        if field not in fields:
            fields.append(field)
    counts = {field: {} for field in fields}
    term_fields = [f for f in fields if f != "license_id"]
    if term_fields:
        # Distinct (dataset, field, value) first, then counted: both hashed, where a
        # COUNT(DISTINCT ...) per group would sort every term by its text.
        terms = PublishedTerm.objects.filter(
            dataset__in=rows_qs.values("pk"), field__in=term_fields
        ).values_list("dataset_id", "field", "value")
        inner, params = terms.distinct().order_by().query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT t.field, t.value, COUNT(*) FROM ({inner}) t "  # noqa: S608
                "GROUP BY t.field, t.value",
                params,
            )
            for field, value, n in cursor.fetchall():
                counts[field][value] = n
    if "license_id" in fields:
        grouped = rows_qs.values_list("license_id").annotate(n=Count("pk")).order_by()
        counts["license_id"] = dict(grouped)
    titles = _titles(counts)
    facets, search_facets = {}, {}
    for field in fields:
        items = sorted(
            ((v, n) for v, n in counts[field].items() if n >= max(mincount, 0)),
            key=lambda item: (-item[1], item[0]),
        )
        if limit >= 0:
            items = items[:limit]
        facets[field] = dict(items)
        search_facets[field] = {
            "title": field,
            "items": [
                {"name": v, "display_name": titles.get((field, v), v), "count": n} for v, n in items
            ],
        }
    return facets, search_facets


def _titles(counts) -> dict:
    """Display names, as CKAN shows them: an OPD's name, a topic's title, a licence's title."""
    from satupintu.opd.models import OPD

    titles = {}
    if counts.get("organization"):
        for slug, name in OPD.objects.filter(slug__in=list(counts["organization"])).values_list(
            "slug", "name"
        ):
            titles[("organization", slug)] = name
    if counts.get("groups"):
        for name, title in Topic.objects.filter(name__in=list(counts["groups"])).values_list(
            "name", "title"
        ):
            titles[("groups", name)] = title
    for license_id in counts.get("license_id", {}):
        titles[("license_id", license_id)] = licenses.get(license_id).title
    return titles
