"""datastore_search and the bulk dumps (`/datastore/dump/<resource_id>`), over the table of the
version the caller may see (the verified one for the public).

Deep pages: a table's `_id` runs 1..N without gaps (it is loaded once, all or nothing, and never
changed), so an unfiltered page in `_id` order starting at `offset` is read as `_id > offset`
from the primary key: page 10,000 costs what page 1 costs. Dumps read the table in `_id`
batches (or with PostgreSQL's COPY for CSV) and stream, so a million rows never sit in memory.
"""

import csv
import datetime
import decimal
import io
import json
from urllib.parse import urlencode

from django.db import connection
from django.utils.translation import gettext as _

from .. import datastore, query
from . import access
from .errors import ValidationError
from .params import as_bool, as_dict, as_int, as_list
from .raw import RawJSON

FORMATS = ("objects", "lists", "csv", "tsv")
DUMP_BATCH = 5000


def parse_sort(value) -> list[tuple[str, bool]]:
    """CKAN's sort: "a, b desc" or a list of such parts; a column may be quoted."""
    parts = []
    for item in as_list(value):
        parts += str(item).split(",")
    result = []
    for part in parts:
        text = part.strip()
        if not text:
            continue
        descending = False
        lowered = text.lower()
        if lowered.endswith(" desc"):
            descending, text = True, text[:-5].strip()
        elif lowered.endswith(" asc"):
            text = text[:-4].strip()
        if len(text) > 1 and text[0] == text[-1] == '"':
            text = text[1:-1]
        result.append((text, descending))
    return result


def _check(names, known, key):
    for name in names:
        if name not in known:
            raise ValidationError(
                {key: [_("Kolom “%(name)s” tidak ada.") % {"name": str(name)[:60]}]}
            )


def search(caller, data):
    resource_id = data.get("resource_id") or data.get("id")
    if not resource_id:
        raise ValidationError({"resource_id": [_("Wajib diisi.")]})
    version = access.table(caller, resource_id)
    known = {"_id"} | {c["id"] for c in version.columns}
    filters = as_dict(data, "filters")
    _check(filters, known, "filters")
    q = data.get("q")
    if isinstance(q, str) and q.strip().startswith("{"):
        q = as_dict(data, "q")
    if isinstance(q, dict):
        _check(q, known, "q")
    elif q is not None and not isinstance(q, str):
        raise ValidationError({"q": [_("Harus teks atau objek JSON.")]})
    fields = [f for item in as_list(data.get("fields")) for f in str(item).split(",") if f.strip()]
    fields = [f.strip() for f in fields]
    _check(fields, known, "fields")
    sort = parse_sort(data.get("sort"))
    _check([name for name, _d in sort], known, "sort")
    limit = min(as_int(data, "limit", 100), query.MAX_LIMIT)
    offset = as_int(data, "offset", 0)
    include_total = as_bool(data, "include_total", True)
    records_format = str(data.get("records_format") or "objects")
    if records_format not in FORMATS:
        raise ValidationError({"records_format": [_("Pilih objects, lists atau csv.")]})
    if as_bool(data, "distinct", False):
        raise ValidationError({"distinct": [_("Tidak didukung.")]})

    after_id = None
    keyset = (
        offset
        and not filters
        and not q
        and sort in ([], [("_id", False)])
        and version.row_count is not None
    )
    if keyset:
        after_id, offset = offset, 0  # _id is dense: the offset-th row follows _id = offset
    try:
        result = query.search(
            version.key,
            version.columns,
            filters=filters,
            q=q or None,
            sort=sort,
            limit=limit,
            offset=offset,
            fields=fields or None,
            include_total=include_total and not keyset,
            after_id=after_id,
            row_count=version.row_count,
        )
    except query.QueryError as error:
        raise ValidationError({"filters": [str(error)]}) from error
    offset = after_id if after_id is not None else offset
    types = [f["type"] for f in result.fields]
    names = [f["id"] for f in result.fields]
    if records_format in ("csv", "tsv"):
        out = io.StringIO()
        writer = csv.writer(out, delimiter="," if records_format == "csv" else "\t")
        for record in result.records:
            writer.writerow(
                ["" if v is None else _text(k, v) for k, v in zip(types, record, strict=True)]
            )
        records = out.getvalue()
    elif records_format == "lists":
        records = RawJSON("[" + ",".join(_json_list(types, r) for r in result.records) + "]")
    else:
        keys = [json.dumps(n, ensure_ascii=False) + ":" for n in names]
        records = RawJSON(
            "["
            + ",".join(
                "{"
                + ",".join(k + _json_value(t, v) for k, t, v in zip(keys, types, r, strict=True))
                + "}"
                for r in result.records
            )
            + "]"
        )
    out = {
        "resource_id": str(resource_id),
        "fields": [
            {"id": f["id"], "type": "int" if f["id"] == "_id" else f["type"]} for f in result.fields
        ],
        "records": records,
        "records_format": records_format,
        "limit": limit,
        "offset": offset,
        "include_total": include_total,
        "_links": _links(data, offset, limit),
    }
    if sort:
        out["sort"] = ", ".join(f'"{n}"' + (" desc" if d else "") for n, d in sort)
    if filters:
        out["filters"] = filters
    if q:
        out["q"] = q
    if include_total:
        out["total"] = version.row_count if keyset else result.total
        out["total_was_estimated"] = False
    return out


def _links(data, offset, limit):
    base = "/api/3/action/datastore_search"
    params = {}
    for key, value in data.items():
        if key == "offset":
            continue
        params[key] = (
            json.dumps(value, ensure_ascii=False) if isinstance(value, dict | list) else value
        )
    start = base + "?" + urlencode(params)
    following = base + "?" + urlencode({**params, "offset": offset + limit})
    return {"start": start, "next": following}


def info(caller, data):
    resource_id = data.get("id") or data.get("resource_id")
    if not resource_id:
        raise ValidationError({"id": [_("Wajib diisi.")]})
    version = access.table(caller, resource_id)
    return {
        "meta": {"count": version.row_count, "id": str(resource_id)},
        "fields": [
            {"id": c["id"], "type": c["type"], "schema": {"native_type": c["type"]}}
            for c in version.columns
        ],
    }


# --- Values -------------------------------------------------------------------------------------


def _text(kind, value) -> str:
    if kind == datastore.NUMERIC and not isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    return str(value)


def _json_value(kind, value) -> str:
    if value is None:
        return "null"
    if kind in ("int", datastore.INTEGER):
        return str(int(value))
    if kind == datastore.NUMERIC:
        try:
            return str(decimal.Decimal(str(value)))
        except decimal.InvalidOperation:
            return json.dumps(str(value))
    if isinstance(value, datetime.datetime | datetime.date):
        return '"' + value.isoformat() + '"'
    if kind == datastore.TIMESTAMP and isinstance(value, str):
        try:
            return '"' + datetime.datetime.fromisoformat(value).isoformat() + '"'
        except ValueError:
            pass
    return json.dumps(value if isinstance(value, str) else str(value), ensure_ascii=False)


def _json_list(types, record) -> str:
    return "[" + ",".join(_json_value(t, v) for t, v in zip(types, record, strict=True)) + "]"


# --- Dumps --------------------------------------------------------------------------------------


def dump_chunks(version, fmt: str, bom: bool):
    """The whole table, header first, as byte chunks."""
    table = datastore.table_name(version.key)
    names = ["_id"] + [c["id"] for c in version.columns]
    types = ["int"] + [c["type"] for c in version.columns]
    select = ", ".join(datastore.quote_column(n) for n in names)
    if bom and fmt in ("csv", "tsv"):
        yield b"\xef\xbb\xbf"
    if fmt in ("csv", "tsv") and connection.vendor == "postgresql":
        delimiter = "E'\\t'" if fmt == "tsv" else "','"
        sql = (
            f"COPY (SELECT {select} FROM {table} ORDER BY _id) TO STDOUT "  # noqa: S608
            f"WITH (FORMAT csv, HEADER true, DELIMITER {delimiter})"
        )
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            for data in copy:
                yield bytes(data)
        return
    if fmt in ("csv", "tsv"):
        out = io.StringIO()
        writer = csv.writer(out, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        writer.writerow(names)
        for batch in _batches(table, select):
            for record in batch:
                writer.writerow(
                    ["" if v is None else _text(k, v) for k, v in zip(types, record, strict=True)]
                )
            yield out.getvalue().encode("utf-8")
            out.seek(0)
            out.truncate()
        if out.tell():  # an empty table: the header alone
            yield out.getvalue().encode("utf-8")
        return
    fields = json.dumps(
        [{"id": n, "type": t} for n, t in zip(names, types, strict=True)], ensure_ascii=False
    )
    yield ('{"fields":' + fields + ',"records":[').encode("utf-8")
    first = True
    for batch in _batches(table, select):
        text = ",".join(_json_list(types, r) for r in batch)
        yield (("" if first else ",") + text).encode("utf-8")
        first = False
    yield b"]}"


def _batches(table, select):
    last = 0
    while True:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {select} FROM {table} WHERE _id > %s ORDER BY _id LIMIT %s",  # noqa: S608
                [last, DUMP_BATCH],
            )
            rows = cursor.fetchall()
        if not rows:
            return
        yield rows
        last = rows[-1][0]
