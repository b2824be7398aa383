"""Reading a datastore table: filter, search, sort and page, for the public preview and for
`datastore_search`.

Column names come from the version's stored column list, never from the request: a name the
table does not have is refused before any SQL is built, and every value travels as a query
parameter. Deep pages can use keyset paging on `_id` (`after_id`), which costs the same at
row 10 and at row 999,990.
"""

import datetime
import decimal
from dataclasses import dataclass

from django.db import connection
from django.utils.translation import gettext as _

from . import datastore

MAX_LIMIT = 32000


class QueryError(ValueError):
    """A request the table cannot answer (unknown column, bad value); the message is for
    the user."""


@dataclass
class Result:
    fields: list  # [{"id": ..., "type": ...}], "_id" first
    records: list  # tuples in the order of `fields`
    total: int | None


def _convert(kind: str, value):
    """A filter value as the column's type (so an index can be used), or QueryError."""
    text = str(value).strip()
    try:
        if kind == datastore.INTEGER:
            return int(text)
        if kind == datastore.NUMERIC:
            return decimal.Decimal(text)
        if kind == datastore.DATE:
            return datetime.date.fromisoformat(text)
        if kind == datastore.TIMESTAMP:
            return datetime.datetime.fromisoformat(text)
    except (ValueError, decimal.InvalidOperation) as error:
        raise QueryError(
            _("Nilai “%(value)s” tidak cocok dengan tipe kolom.") % {"value": text[:50]}
        ) from error
    return str(value)


def _sqlite_value(kind, value):
    # The embedded loader keeps every non-integer column as text (ISO dates sort as text).
    if kind in (datastore.NUMERIC, datastore.DATE, datastore.TIMESTAMP):
        return str(value)
    return value


def search(
    key: str,
    columns: list[dict],
    *,
    filters: dict | None = None,
    q=None,
    sort: list[tuple[str, bool]] | None = None,
    limit: int = 100,
    offset: int = 0,
    fields: list[str] | None = None,
    include_total: bool = True,
    after_id: int | None = None,
    row_count: int | None = None,
) -> Result:
    """`columns` is the version's [{"id", "type"}]; `filters` {column: value or [values]};
    `q` a text searched in every column, or {column: text}; `sort` [(column, descending)].
    `row_count` (the loaded row count) answers `total` without counting when nothing filters."""
    table = datastore.table_name(key)
    types = {"_id": datastore.INTEGER} | {c["id"]: c["type"] for c in columns}
    postgres = connection.vendor == "postgresql"

    def column(name):
        if name not in types:
            raise QueryError(_("Kolom “%(name)s” tidak ada.") % {"name": str(name)[:60]})
        return datastore.quote_column(name)

    selected = ["_id"] + [c["id"] for c in columns]
    if fields:
        for name in fields:
            column(name)
        selected = [name for name in selected if name in fields]
    where, params = [], []
    for name, value in (filters or {}).items():
        sql = column(name)
        values = value if isinstance(value, list) else [value]
        if not values:
            continue
        converted = [_convert(types[name], v) for v in values]
        if not postgres:
            converted = [_sqlite_value(types[name], v) for v in converted]
        if len(converted) == 1:
            where.append(f"{sql} = %s")
        else:
            where.append(f"{sql} IN ({', '.join(['%s'] * len(converted))})")
        params.extend(converted)
    like = "ILIKE" if postgres else "LIKE"
    if isinstance(q, dict):
        for name, text in q.items():
            sql = column(name)
            where.append(f"CAST({sql} AS TEXT) {like} %s ESCAPE '\\'")
            params.append(f"%{_escape_like(str(text))}%")
    elif q:
        searched = [datastore.quote_column(c["id"]) for c in columns if c["type"] == datastore.TEXT]
        if searched:
            where.append("(" + " OR ".join(f"{c} {like} %s ESCAPE '\\'" for c in searched) + ")")
            params.extend([f"%{_escape_like(str(q))}%"] * len(searched))
        else:
            where.append("1 = 0")
    if after_id is not None:
        where.append("_id > %s")
        params.append(int(after_id))
    order = []
    for name, descending in sort or []:
        order.append(f"{column(name)} {'DESC' if descending else 'ASC'}")
    if not any(name == "_id" for name, _d in sort or []):
        # Ties follow the last sort's direction, so that one (column, _id) index, read
        # forwards or backwards, gives the whole order: the search indexes are built that way.
        last_descending = bool(sort) and sort[-1][1]
        order.append(f"_id {'DESC' if last_descending else 'ASC'}")
    limit = max(0, min(int(limit), MAX_LIMIT))
    offset = max(0, int(offset))
    where_sql = (" WHERE " + " AND ".join(where)) if where else ""
    select = ", ".join(datastore.quote_column(name) for name in selected)
    sql = (
        f"SELECT {select} FROM {table}{where_sql} "  # noqa: S608 (names checked, values bound)
        f"ORDER BY {', '.join(order)} LIMIT %s OFFSET %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, limit, offset])
        records = cursor.fetchall()
        total = None
        if include_total:
            if not where and row_count is not None:
                total = row_count
            else:
                cursor.execute(f"SELECT count(*) FROM {table}{where_sql}", params)  # noqa: S608
                total = cursor.fetchone()[0]
    return Result(
        fields=[{"id": name, "type": types[name]} for name in selected],
        records=records,
        total=total,
    )


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
