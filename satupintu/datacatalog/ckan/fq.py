"""The subset of Solr's query syntax CKAN clients send in `q` and `fq`, turned into filters on
the published layer.

Grammar (what ckanext-harvest, ckanapi and CKAN's own pages send): `field:value`,
`field:"quoted value"`, `+clause`, `-clause`, `NOT clause`, `field:(a OR b)`, `a OR b`,
`a AND b`, whitespace = AND, `( ... )`, ranges `field:[X TO Y]` / `{X TO Y}` with `*`, `NOW`
and date math (`NOW-1DAY`, `NOW/DAY`), `*` and `?` wildcards in values, `*:*`. A bare word
searches the dataset's text. Every field is a column of PublishedDataset or one indexed
subquery on PublishedTerm, so a filter costs the same whatever it combines. A field that is
not filterable, or a query that cannot be read, raises FqError (a 409 Search Error), never a
server error.
"""

import datetime
import re
import uuid

from django.db.models import Q
from django.utils.translation import gettext as _

from ..models import PublishedTerm

ALL = Q(pk__isnull=False)
NONE = Q(pk__isnull=True)

COLUMNS = {"name": "name", "license_id": "license_id"}
TERMS = {"tags", "groups", "organization", "res_format"}
DATES = {"metadata_created": "metadata_created", "metadata_modified": "metadata_modified"}
FIELD = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-]*(?=:)")
UNITS = {
    "YEAR": "years",
    "MONTH": "months",
    "DAY": "days",
    "HOUR": "hours",
    "MINUTE": "minutes",
    "SECOND": "seconds",
    "MILLI": "milliseconds",
    "MILLISECOND": "milliseconds",
}
DATE_MATH = re.compile(r"([-+/])(\d*)([A-Z]+?)S?(?=[-+/]|$)")
MAX_DEPTH = 20
MAX_CLAUSES = 200


class FqError(ValueError):
    """A query that cannot be read or names a field that cannot be filtered."""


def filterable(field: str) -> bool:
    return (
        field in COLUMNS
        or field in TERMS
        or field in DATES
        or field.startswith("extras_")
        or field
        in {
            "id",
            "title",
            "text",
            "notes",
            "owner_org",
            "capacity",
            "state",
            "type",
            "dataset_type",
        }
    )


# --- Parsing ------------------------------------------------------------------------------------


class Parser:
    """Recursive descent over the query text. Nodes: ("and", [...]), ("or", [...]),
    ("not", node), ("term", field, value, quoted), ("range", field, low, high, low_inclusive,
    high_inclusive), ("all",). A term without a field has field None (text search)."""

    def __init__(self, text: str):
        self.text = text
        self.pos = 0
        self.clauses = 0

    def error(self, message=None):
        raise FqError(
            message or _("Kueri tidak dapat dibaca di posisi %(pos)s.") % {"pos": self.pos}
        )

    def skip(self):
        while self.pos < len(self.text) and self.text[self.pos].isspace():
            self.pos += 1

    def peek_word(self, *words) -> str | None:
        for word in words:
            end = self.pos + len(word)
            if self.text[self.pos : end] == word and (
                end >= len(self.text) or self.text[end].isspace() or self.text[end] == "("
            ):
                return word
        return None

    def parse(self):
        node = self.query(None, 0)
        self.skip()
        if self.pos < len(self.text):
            self.error()
        return node

    def query(self, field, depth):
        if depth > MAX_DEPTH:
            self.error(_("Kueri terlalu bertingkat."))
        groups = []
        while True:
            self.skip()
            if self.pos >= len(self.text) or self.text[self.pos] == ")":
                break
            if word := self.peek_word("AND", "&&"):
                self.pos += len(word)
                continue
            items = [self.clause(field, depth)]
            while True:
                self.skip()
                word = self.peek_word("OR", "||")
                if not word:
                    break
                self.pos += len(word)
                items.append(self.clause(field, depth))
            groups.append(items[0] if len(items) == 1 else ("or", items))
        if not groups:
            return ("all",)
        return groups[0] if len(groups) == 1 else ("and", groups)

    def clause(self, field, depth):
        self.clauses += 1
        if self.clauses > MAX_CLAUSES:
            self.error(_("Kueri terlalu panjang."))
        self.skip()
        if self.pos >= len(self.text):
            self.error()
        negate = False
        char = self.text[self.pos]
        if char in "+-":
            negate = char == "-"
            self.pos += 1
        elif self.peek_word("NOT"):
            negate = True
            self.pos += 3
            self.skip()
        node = self.positive(field, depth)
        return ("not", node) if negate else node

    def positive(self, field, depth):
        if self.pos >= len(self.text):
            self.error()
        if self.text[self.pos] == "(":
            self.pos += 1
            node = self.query(field, depth + 1)
            if self.pos >= len(self.text) or self.text[self.pos] != ")":
                self.error(_("Kurung tidak ditutup."))
            self.pos += 1
            return node
        if self.text.startswith("*:*", self.pos):
            self.pos += 3
            return ("all",)
        match = FIELD.match(self.text, self.pos)
        if match:
            name = match.group(0)
            if not filterable(name):
                raise FqError(
                    _("Kolom “%(field)s” tidak dapat dipakai untuk menyaring.")
                    % {"field": name[:60]}
                )
            self.pos = match.end() + 1
            if self.pos < len(self.text) and self.text[self.pos] in "[{":
                return self.range(name)
            if self.pos < len(self.text) and self.text[self.pos] == "(":
                self.pos += 1
                node = self.query(name, depth + 1)
                if self.pos >= len(self.text) or self.text[self.pos] != ")":
                    self.error(_("Kurung tidak ditutup."))
                self.pos += 1
                return node
            value, quoted = self.value()
            return ("term", name, value, quoted)
        value, quoted = self.value()
        return ("term", field, value, quoted)

    def value(self, stop=""):
        if self.pos < len(self.text) and self.text[self.pos] == '"':
            self.pos += 1
            out = []
            while self.pos < len(self.text) and self.text[self.pos] != '"':
                if self.text[self.pos] == "\\" and self.pos + 1 < len(self.text):
                    self.pos += 1
                out.append(self.text[self.pos])
                self.pos += 1
            if self.pos >= len(self.text):
                self.error(_("Tanda kutip tidak ditutup."))
            self.pos += 1
            return "".join(out), True
        out = []
        while self.pos < len(self.text):
            char = self.text[self.pos]
            if char.isspace() or char in "()" or char in stop:
                break
            if char == "\\" and self.pos + 1 < len(self.text):
                self.pos += 1
                out.append("\\" + self.text[self.pos])  # kept escaped: not a wildcard
            else:
                out.append(char)
            self.pos += 1
        if not out:
            self.error()
        return "".join(out), False

    def range(self, field):
        low_inclusive = self.text[self.pos] == "["
        self.pos += 1
        self.skip()
        low, _q = self.value(stop="]}")
        self.skip()
        if not self.text.startswith("TO", self.pos):
            self.error(_("Rentang harus berbentuk [X TO Y]."))
        self.pos += 2
        self.skip()
        high, _q = self.value(stop="]}")
        self.skip()
        if self.pos >= len(self.text) or self.text[self.pos] not in "]}":
            self.error(_("Rentang tidak ditutup."))
        high_inclusive = self.text[self.pos] == "]"
        self.pos += 1
        return ("range", field, _unescape(low), _unescape(high), low_inclusive, high_inclusive)


def parse(text: str):
    return Parser(text).parse()


def _unescape(value: str) -> str:
    return re.sub(r"\\(.)", r"\1", value)


def _wildcard(value: str) -> str | None:
    """A regular expression for a value with unescaped * or ?, else None."""
    if not re.search(r"(?<!\\)[*?]", value):
        return None
    parts = []
    for piece in re.findall(r"\\.|[*?]|[^\\*?]+", value):
        if piece == "*":
            parts.append(".*")
        elif piece == "?":
            parts.append(".")
        else:
            parts.append(re.escape(_unescape(piece)))
    return "^" + "".join(parts) + "$"


# --- Dates --------------------------------------------------------------------------------------


def parse_time(value: str, now=None) -> datetime.datetime:
    """A Solr date (`2026-05-01T02:13:44.512345Z`, with or without Z, fraction or time), or
    NOW with date math, as an aware UTC datetime."""
    text = value.strip()
    if text.upper().startswith("NOW"):
        moment = now or datetime.datetime.now(datetime.UTC)
        rest = text[3:].upper()
        for sign, amount, unit in DATE_MATH.findall(rest):
            if unit not in UNITS:
                raise FqError(_("Satuan waktu “%(unit)s” tidak dikenal.") % {"unit": unit})
            if sign == "/":
                moment = _round(moment, unit)
                continue
            if not amount:
                raise FqError(_("Waktu “%(value)s” tidak dapat dibaca.") % {"value": text})
            moment = _shift(moment, UNITS[unit], int(amount) * (-1 if sign == "-" else 1))
        if DATE_MATH.sub("", rest):
            raise FqError(_("Waktu “%(value)s” tidak dapat dibaca.") % {"value": text})
        return moment
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            parsed = datetime.datetime.fromisoformat(text + "T00:00:00")
        else:
            parsed = datetime.datetime.fromisoformat(text.replace("z", "Z"))
    except ValueError as error:
        raise FqError(_("Waktu “%(value)s” tidak dapat dibaca.") % {"value": text[:40]}) from error
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=datetime.UTC)  # CKAN's times are UTC
    return parsed.astimezone(datetime.UTC)


def _shift(moment, unit, amount):
    if unit == "years":
        return _month_shift(moment, 12 * amount)
    if unit == "months":
        return _month_shift(moment, amount)
    return moment + datetime.timedelta(**{unit: amount})


def _month_shift(moment, months):
    import calendar

    index = moment.year * 12 + moment.month - 1 + months
    year, month = divmod(index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def _round(moment, unit):
    fields = ["month", "day", "hour", "minute", "second", "microsecond"]
    keep = {"YEAR": 0, "MONTH": 1, "DAY": 2, "HOUR": 3, "MINUTE": 4, "SECOND": 5}.get(unit, 6)
    reset = {"month": 1, "day": 1, "hour": 0, "minute": 0, "second": 0, "microsecond": 0}
    return moment.replace(**{f: reset[f] for f in fields[keep:]})


# --- Filters ------------------------------------------------------------------------------------


def to_q(node, text_terms=None) -> Q:
    """The node as a filter on PublishedDataset. Bare words are collected in `text_terms`
    (for scoring)."""
    kind = node[0]
    if kind == "all":
        return ALL
    if kind in ("and", "or"):
        parts = [to_q(child, text_terms) for child in node[1]]
        result = parts[0]
        for part in parts[1:]:
            result = (result & part) if kind == "and" else (result | part)
        return result
    if kind == "not":
        return ~to_q(node[1], None)
    if kind == "range":
        return _range(*node[1:])
    _kind, field, value, quoted = node
    if field is None or field in ("text", "notes"):
        plain = _unescape(value)
        if plain == "*":
            return ALL
        if text_terms is not None:
            text_terms.append(plain.lower())
        return Q(search_text__contains=plain.lower())
    return _term(field, value, quoted)


def _term(field, value, quoted) -> Q:
    pattern = None if quoted else _wildcard(value)
    plain = value if quoted else _unescape(value)
    if not quoted and value == "*":
        if field in TERMS or field.startswith("extras_"):
            return Q(pk__in=PublishedTerm.objects.filter(field=field).values("dataset_id"))
        return ALL
    if field == "id":
        if pattern:
            return ALL if pattern == "^.*$" else NONE
        try:
            return Q(pk=uuid.UUID(plain))
        except ValueError:
            return NONE
    if field == "owner_org":
        try:
            return Q(opd__uuid=uuid.UUID(plain))
        except ValueError:
            return NONE
    if field in ("capacity",):
        return Q(private=False) if plain == "public" else Q(private=True)
    if field == "state":
        return ALL if plain == "active" else NONE
    if field in ("type", "dataset_type"):
        return ALL if plain == "dataset" else NONE
    if field == "title":
        if pattern:
            return Q(title__iregex=pattern)
        return Q(title__icontains=plain)
    if field in COLUMNS:
        column = COLUMNS[field]
        return Q(**{f"{column}__regex": pattern}) if pattern else Q(**{column: plain})
    if field in DATES:
        if plain and re.fullmatch(r"\d{4}-\d{2}-\d{2}", plain):
            start = parse_time(plain)
            return _range(field, start, start + datetime.timedelta(days=1), True, False)
        moment = parse_time(plain)
        return Q(**{DATES[field]: moment})
    if field == "res_format":
        plain = plain.upper()
        pattern = pattern.upper() if pattern else None
    terms = PublishedTerm.objects.filter(field=field)
    terms = terms.filter(value__regex=pattern) if pattern else terms.filter(value=plain)
    return Q(pk__in=terms.values("dataset_id"))


def _range(field, low, high, low_inclusive, high_inclusive) -> Q:
    if field not in DATES:
        raise FqError(_("Rentang hanya dapat dipakai pada metadata_created dan metadata_modified."))
    column = DATES[field]
    result = ALL
    if not isinstance(low, datetime.datetime) and low != "*":
        low = parse_time(low)
    if not isinstance(high, datetime.datetime) and high != "*":
        high = parse_time(high)
    if low != "*":
        result &= Q(**{f"{column}__{'gte' if low_inclusive else 'gt'}": low})
    if high != "*":
        result &= Q(**{f"{column}__{'lte' if high_inclusive else 'lt'}": high})
    return result
