"""The datastore: a tabular file (CSV, or XLSX turned into CSV) loaded into one database table,
with types, all or nothing, and a report of the bad rows by line number.

On PostgreSQL the file goes straight into a staging table of text columns with `COPY ... FROM
STDIN` (PostgreSQL parses the CSV in C), is checked with one query per typed column, and is
then converted in place with one `ALTER TABLE`; nothing is parsed row by row in Python, which
is what makes CKAN's loaders slow. Any error rolls the whole load back. On SQLite (the
embedded mode) the same checks run in Python.

Tables live in the `datastore` schema on PostgreSQL (a `datastore_` prefix on SQLite), apart
from the application's tables; their names are generated, never taken from user input.
Column names come from the file's header: they are kept as given (quoted), made unique and
cut to PostgreSQL's 63 bytes, and `_id` is reserved for the row number.
"""

import codecs
import csv
import io
import re
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils.translation import gettext as _

from satupintu.core.zipguard import too_inflated

TEXT, INTEGER, NUMERIC, DATE, TIMESTAMP = "text", "int8", "numeric", "date", "timestamp"
TYPES = [TEXT, INTEGER, NUMERIC, DATE, TIMESTAMP]

# What a value must look like to be loaded as each type (empty = NULL for every type).
PATTERNS = {
    INTEGER: r"^\s*[-+]?[0-9]{1,18}\s*$",
    NUMERIC: r"^\s*[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)?\s*$",
    DATE: r"^\s*[0-9]{4}-[0-9]{2}-[0-9]{2}\s*$",
    TIMESTAMP: r"^\s*[0-9]{4}-[0-9]{2}-[0-9]{2}([ T][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?)?\s*$",
}
COMPILED = {kind: re.compile(pattern) for kind, pattern in PATTERNS.items()}

MAX_COLUMNS = 500
MAX_ERRORS_LISTED = 100
SAMPLE_ROWS = 1000
SCHEMA = "datastore"
INDEX_MAX_COLUMNS = 20
INDEX_TEXT_WIDTH = 64  # average bytes of a text column worth an index (codes, names)


class LoadError(Exception):
    """The file cannot be read as a table at all (encoding, structure, size)."""


@dataclass
class Column:
    id: str
    type: str = TEXT


@dataclass
class Report:
    rows: int = 0
    errors: list = field(default_factory=list)  # (row number, column, value, message)
    error_count: int = 0

    @property
    def ok(self) -> bool:
        return self.error_count == 0


@dataclass
class Dialect:
    encoding: str
    delimiter: str
    header: list


# --- Reading the file --------------------------------------------------------------------------


def detect_encoding(head: bytes) -> str:
    """UTF-8 (with or without BOM) when the bytes decode as UTF-8, else Windows-1252, which is
    what Excel in Indonesian locales writes."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.start < len(head) - 4:  # not just a character cut at the end of the sample
            return "cp1252"
    return "utf-8"


def unique_ids(header) -> list[str]:
    ids, seen = [], set()
    for index, raw in enumerate(header, start=1):
        name = " ".join(str(raw or "").split())
        name = name.encode("utf-8")[:60].decode("utf-8", "ignore") or f"kolom_{index}"
        if name.startswith("_"):
            name = "kolom" + name
        base, n = name, 2
        while name.lower() in seen:
            name = f"{base}_{n}"
            n += 1
        seen.add(name.lower())
        ids.append(name)
    return ids


# A field longer than csv's limit (128 KiB) or a broken quote: the file's fault, not a crash.
_BROKEN_CSV = _("Ada isian yang terlalu panjang atau baris CSV yang rusak.")

# What an XLSX may unpack to. A real spreadsheet's XML compresses 5-30 times; a zip bomb
# (kilobytes that unpack to gigabytes) would exhaust memory inside openpyxl.
XLSX_MAX_UNPACKED = 1024 * 1024 * 1024
XLSX_MAX_RATIO = 200


def check_xlsx_archive(binary) -> None:
    """Refuse an XLSX whose members would unpack to too much, before openpyxl opens it."""
    import zipfile

    try:
        with zipfile.ZipFile(binary) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise LoadError(_("Berkas XLSX tidak dapat dibaca.")) from error
    finally:
        binary.seek(0)
    total = 0
    for member in members:
        total += member.file_size
        if too_inflated(member, XLSX_MAX_RATIO) or total > XLSX_MAX_UNPACKED:
            raise LoadError(
                _("Berkas XLSX ini terlalu besar setelah dibuka (kemungkinan bom zip).")
            )


def sniff(binary) -> Dialect:
    """Encoding, delimiter and header of a CSV file object opened in binary mode."""
    head = binary.read(64 * 1024)
    binary.seek(0)
    if not head.strip():
        raise LoadError(_("Berkas kosong."))
    if b"\x00" in head:
        raise LoadError(_("Berkas ini bukan teks CSV."))
    encoding = detect_encoding(head)
    text = head.decode(encoding, errors="replace")
    first_line = text.splitlines()[0] if text.splitlines() else ""
    counts = {d: first_line.count(d) for d in (",", ";", "\t", "|")}
    delimiter = max(counts, key=counts.get) if any(counts.values()) else ","
    try:
        header = next(csv.reader(io.StringIO(text), delimiter=delimiter))
    except csv.Error as error:
        raise LoadError(_BROKEN_CSV) from error
    if len(header) > MAX_COLUMNS:
        raise LoadError(
            _("Terlalu banyak kolom (%(n)s; batas %(max)s).")
            % {"n": len(header), "max": MAX_COLUMNS}
        )
    return Dialect(encoding=encoding, delimiter=delimiter, header=unique_ids(header))


def text_stream(binary, dialect: Dialect):
    return io.TextIOWrapper(binary, encoding=dialect.encoding, newline="")


def infer_columns(binary, dialect: Dialect, sample=SAMPLE_ROWS) -> list[Column]:
    """The narrowest type every sampled value fits (integer < numeric; date < timestamp);
    text when in doubt. The publisher can change them before loading."""
    stream = text_stream(binary, dialect)
    try:
        reader = csv.reader(stream, delimiter=dialect.delimiter)
        next(reader, None)
        candidates = [[INTEGER, NUMERIC, DATE, TIMESTAMP] for _ in dialect.header]
        seen = [False] * len(dialect.header)
        for number, row in enumerate(reader):
            if number >= sample:
                break
            for index, value in enumerate(row[: len(candidates)]):
                if not value.strip():
                    continue
                seen[index] = True
                candidates[index] = [k for k in candidates[index] if COMPILED[k].match(value)]
    except csv.Error as error:
        raise LoadError(_BROKEN_CSV) from error
    finally:
        stream.detach()
        binary.seek(0)
    return [
        Column(name, (kinds[0] if kinds and seen[i] else TEXT))
        for i, (name, kinds) in enumerate(zip(dialect.header, candidates, strict=True))
    ]


def xlsx_to_csv(binary, target, max_rows=2_000_000):
    """The first sheet of an XLSX workbook as CSV text (values, never formulas), written to
    the binary file object `target`. Returns the number of data rows."""
    from openpyxl import load_workbook

    check_xlsx_archive(binary)
    try:
        book = load_workbook(binary, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds on a broken or hostile file
        raise LoadError(_("Berkas XLSX tidak dapat dibaca.")) from error
    sheet = book.worksheets[0]
    text = io.TextIOWrapper(target, encoding="utf-8", newline="")
    writer = csv.writer(text)
    rows = 0
    for row in sheet.iter_rows(values_only=True):
        if rows > max_rows:
            raise LoadError(_("Terlalu banyak baris."))
        writer.writerow(["" if v is None else _xlsx_text(v) for v in row])
        rows += 1
    text.flush()
    text.detach()
    book.close()
    target.seek(0)
    return max(rows - 1, 0)


def _xlsx_text(value):
    import datetime

    if isinstance(value, datetime.datetime):
        return (
            value.isoformat(sep=" ")
            if value.time() != datetime.time()
            else value.date().isoformat()
        )
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# --- Loading -----------------------------------------------------------------------------------


def table_name(key: str) -> str:
    if not re.fullmatch(r"[a-f0-9]{32}", key):
        raise ValueError("datastore tables are named by a UUID hex")
    return f"{SCHEMA}.t_{key}" if connection.vendor == "postgresql" else f"datastore_{key}"


def _quote(name: str) -> str:
    return (
        connection.ops.quote_name(name)
        if "." not in name
        else ".".join(connection.ops.quote_name(part) for part in name.split("."))
    )


def quote_column(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def load(binary, key: str, columns: list[Column], dialect: Dialect, index: bool = True) -> Report:
    """Load the CSV into table `key` (a UUID hex) with these column types. The table exists
    afterwards only if every row was valid; the report lists what was not. On PostgreSQL the
    loaded table gets indexes for searching in the same transaction; `index=False` leaves them
    to `build_indexes` (the upload view builds them after commit, in the background)."""
    if [c.id for c in columns] != dialect.header:
        raise ValueError("columns must follow the file's header")
    for column in columns:
        if column.type not in TYPES:
            raise ValueError(f"unknown type {column.type}")
    loader = _load_postgresql if connection.vendor == "postgresql" else _load_generic
    with transaction.atomic():
        report = loader(binary, table_name(key), columns, dialect, index)
        if not report.ok:
            transaction.set_rollback(True)
    return report


def _load_postgresql(binary, table, columns, dialect, index=True) -> Report:
    from psycopg import errors as pg_errors

    report = Report()
    staging = ", ".join(f"{quote_column(c.id)} text" for c in columns)
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE SCHEMA IF NOT EXISTS {SCHEMA}")
        cursor.execute(f"CREATE TABLE {table} (_id bigserial PRIMARY KEY, {staging})")
        names = ", ".join(quote_column(c.id) for c in columns)
        delimiter = dialect.delimiter.replace("'", "''")
        encoding = "WIN1252" if dialect.encoding == "cp1252" else "UTF8"
        copy_sql = (
            f"COPY {table} ({names}) FROM STDIN WITH (FORMAT csv, HEADER true, "
            f"DELIMITER '{delimiter}', ENCODING '{encoding}')"
        )
        raw = cursor.cursor  # psycopg's own cursor, for COPY
        try:
            with raw.copy(copy_sql) as copy:
                if dialect.encoding == "utf-8-sig":
                    binary.read(3)
                while chunk := binary.read(1024 * 1024):
                    copy.write(chunk)
        except (
            pg_errors.BadCopyFileFormat,
            pg_errors.CharacterNotInRepertoire,
            pg_errors.UntranslatableCharacter,
            pg_errors.InvalidTextRepresentation,
        ) as error:
            report.error_count = 1
            line = _copy_line(error)
            report.errors.append((line, "", "", _structure_message(error)))
            return report
        cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 (generated name)
        report.rows = cursor.fetchone()[0]
        for column in columns:
            if column.type == TEXT:
                continue
            condition = f"{quote_column(column.id)} <> '' AND {quote_column(column.id)} !~ %s"
            cursor.execute(
                f"SELECT count(*) FROM {table} WHERE {condition}",  # noqa: S608 (quoted names)
                [PATTERNS[column.type]],
            )
            bad = cursor.fetchone()[0]
            if bad:
                report.error_count += bad
                cursor.execute(
                    f"SELECT _id, {quote_column(column.id)} FROM {table} "  # noqa: S608 (quoted names)
                    f"WHERE {condition} ORDER BY _id LIMIT {MAX_ERRORS_LISTED}",
                    [PATTERNS[column.type]],
                )
                for row_id, value in cursor.fetchall():
                    report.errors.append(
                        (row_id + 1, column.id, value[:100], _type_message(column.type))
                    )
        if not report.ok:
            report.errors.sort()
            del report.errors[MAX_ERRORS_LISTED:]
            return report
        changes = [
            f"ALTER COLUMN {quote_column(c.id)} TYPE {c.type} "
            f"USING NULLIF(trim({quote_column(c.id)}), '')::{c.type}"
            for c in columns
            if c.type != TEXT
        ]
        if changes:
            try:
                cursor.execute(f"ALTER TABLE {table} " + ", ".join(changes))
            except pg_errors.DataException as error:
                # A value the pattern let through but the type refuses (e.g. 2026-02-30).
                report.error_count = 1
                report.errors.append((None, "", "", str(error).splitlines()[0]))
                return report
        if index:
            _index_postgresql(cursor, table, columns)
    return report


def _index_postgresql(cursor, table, columns):
    """Btree indexes for what datastore_search filters and sorts on: every typed column, and
    text columns of short values (codes, names), chosen from the statistics ANALYZE gathers
    from a sample, not from a scan of the table. Long free text is left alone (an index would
    cost more than it saves), as are columns holding one value only. Each index is on
    (column, _id): `_id` is the tie-break of every sort (query.search), so a filtered or sorted
    page is read in index order and stops after `limit` rows."""
    schema, name = table.split(".")
    cursor.execute(f"ANALYZE {table}")
    cursor.execute(
        "SELECT attname, avg_width, n_distinct FROM pg_stats "
        "WHERE schemaname = %s AND tablename = %s",
        [schema, name],
    )
    stats = {row[0]: (row[1], row[2]) for row in cursor.fetchall()}
    chosen = []
    for column in columns:
        width, distinct = stats.get(column.id, (None, None))
        if distinct is not None and distinct == 1:
            continue
        if column.type != TEXT or (width is not None and width <= INDEX_TEXT_WIDTH):
            chosen.append(column)
    cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
    for number, column in enumerate(chosen[:INDEX_MAX_COLUMNS], start=1):
        quoted = quote_column(column.id)
        cursor.execute(f"CREATE INDEX IF NOT EXISTS {name}_i{number} ON {table} ({quoted}, _id)")


def build_indexes(key: str, columns: list[Column]) -> None:
    """The search indexes of a loaded table, in their own transaction (idempotent). Rows are
    already readable without them; they make filtered and sorted pages of large tables fast.
    Building them costs about as much again as loading a million rows, so an upload does not
    wait for it."""
    if connection.vendor != "postgresql":
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)", [table_name(key)])
        if cursor.fetchone()[0] is None:  # deleted meanwhile
            return
        _index_postgresql(cursor, table_name(key), columns)


def build_indexes_in_background(key: str, columns: list[Column]) -> None:
    """Start `build_indexes` on a thread with its own database connection. If the process
    stops first, the table stays correct and readable, only slower to filter;
    `satupintu build-datastore-indexes` builds what is missing."""
    import logging
    import threading

    from django.db import connections

    if connection.vendor != "postgresql":
        return

    def work():
        try:
            build_indexes(key, columns)
        except Exception:  # logged, never raised into a dead thread silently
            logging.getLogger(__name__).exception("datastore index build failed for %s", key)
        finally:
            connections.close_all()

    threading.Thread(target=work, name=f"datastore-index-{key[:8]}", daemon=True).start()


def _copy_line(error):
    context = getattr(getattr(error, "diag", None), "context", "") or ""
    match = re.search(r"line (\d+)", context)
    return int(match.group(1)) if match else None


def _structure_message(error):
    primary = getattr(getattr(error, "diag", None), "message_primary", "") or str(error)
    if "extra data" in primary or "missing data" in primary:
        return _("Jumlah kolom di baris ini tidak sama dengan judul kolom.")
    if "encoding" in primary or "character" in primary:
        return _("Ada karakter yang tidak dapat dibaca; simpan berkas sebagai CSV UTF-8.")
    return _("Baris ini tidak dapat dibaca sebagai CSV.")


def _type_message(kind):
    return {
        INTEGER: _("bukan bilangan bulat"),
        NUMERIC: _("bukan angka (pakai titik untuk desimal, tanpa pemisah ribuan)"),
        DATE: _("bukan tanggal TTTT-BB-HH"),
        TIMESTAMP: _("bukan waktu TTTT-BB-HH JJ:MM:DD"),
    }[kind]


def _load_generic(binary, table, columns, dialect, index=True) -> Report:
    report = Report()
    definitions = ", ".join(
        f"{quote_column(c.id)} {'integer' if c.type == INTEGER else 'text'}" for c in columns
    )
    stream = text_stream(binary, dialect)
    try:
        reader = csv.reader(stream, delimiter=dialect.delimiter)
        next(reader, None)
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE TABLE {table} (_id integer PRIMARY KEY, {definitions})")
            placeholders = ", ".join(["%s"] * (len(columns) + 1))
            insert = f"INSERT INTO {table} VALUES ({placeholders})"  # noqa: S608 (generated name)
            batch = []
            for number, row in enumerate(reader, start=1):
                line = number + 1
                if len(row) != len(columns):
                    report.error_count += 1
                    if len(report.errors) < MAX_ERRORS_LISTED:
                        report.errors.append(
                            (
                                line,
                                "",
                                "",
                                _("Jumlah kolom di baris ini tidak sama dengan judul kolom."),
                            )
                        )
                    continue
                values = [number]
                for column, value in zip(columns, row, strict=True):
                    stripped = value.strip()
                    if column.type != TEXT and stripped and not _valid(column.type, stripped):
                        report.error_count += 1
                        if len(report.errors) < MAX_ERRORS_LISTED:
                            report.errors.append(
                                (line, column.id, value[:100], _type_message(column.type))
                            )
                    values.append(stripped or None if column.type != TEXT else value)
                batch.append(values)
                if len(batch) >= 5000:
                    cursor.executemany(insert, batch)
                    batch = []
                report.rows = number
            if batch and report.ok:
                cursor.executemany(insert, batch)
    except UnicodeDecodeError as error:
        raise LoadError(
            _("Ada karakter yang tidak dapat dibaca; simpan berkas sebagai CSV UTF-8.")
        ) from error
    except csv.Error as error:
        raise LoadError(_("Berkas ini tidak dapat dibaca sebagai CSV.")) from error
    finally:
        stream.detach()
    return report


def _valid(kind, value) -> bool:
    import datetime

    if not COMPILED[kind].match(value):
        return False
    try:
        if kind == DATE:
            datetime.date.fromisoformat(value)
        elif kind == TIMESTAMP:
            datetime.datetime.fromisoformat(value)
    except ValueError:
        return False
    return True


def drop(key: str):
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {table_name(key)}")
