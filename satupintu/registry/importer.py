"""Import a SIAK extract into the local verification table, all or nothing.

The file is personal data of a whole regency (about 1.4 million people for Lamongan), so:

* it is read as a stream, one row at a time: memory stays flat whatever the file's size, and
  duplicate NIKs are found by the database (a GROUP BY over the loaded rows), not by a set of
  hashes in Python;
* only keyed hashes of the matching fields and the domicile region code are kept; every other
  column (family card number, address, ...) is read past and dropped;
* errors name the line, the column and the reason, never a value from the row: the report is
  printed on a console, mailed and kept in logs, where a NIK or a name must not appear;
* rows go into a new extract that stays LOADING until every row has been checked. One bad row
  and nothing changes (the loaded rows are deleted, the extract is marked FAILED with its
  counts); otherwise the old extract is replaced in one short transaction, so a lookup sees
  either the whole old extract or the whole new one.

PostgreSQL gets the rows through COPY (psycopg 3), the only way to reach tens of thousands of
rows per second; SQLite (the embedded mode) through batched inserts, each in its own short
transaction so editors working at the same time are not locked out for the whole import.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import operator
import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from satupintu.identity import nik as nik_rules
from satupintu.identity.protection import IdentityKeyError, keyed_hash, normalise_name

from .models import RegistryExtract, RegistryRecord

REQUIRED = ("NIK", "NAMA_LGKP", "TGL_LHR")
# Verified when present. JENIS_KLMIN is recognised too but not kept: no claim carries it.
OPTIONAL = ("TMPT_LHR", "NAMA_LGKP_IBU", "NO_PROP", "NO_KAB", "NO_KEC", "NO_KEL")
DELIMITERS = (",", ";", "|", "\t")
# Errors kept in memory for the caller; every error goes to `report` as it is found.
KEPT_ERRORS = 1000
BATCH = 2000  # rows per bulk_create on SQLite
SNIFF_BYTES = 64 * 1024

# Names as SIAK writes them (upper case ASCII, single spaces) are already normalised: checking
# that is several times cheaper than normalising, and most rows are like that.
_CLEAN_NAME = re.compile(r"[A-Z0-9]+(?: [A-Z0-9]+)*")
_DMY = re.compile(r"([0-9]{1,2})([-/])([0-9]{1,2})\2([0-9]{4})")
_YMD = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
_DIGITS = re.compile(r"[0-9]+")

# Magic numbers of the files an operator most often picks by mistake instead of the CSV.
_NOT_CSV = (
    (b"PK\x03\x04", "XLSX/ZIP"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "XLS"),
    (b"%PDF", "PDF"),
    (b"\x1f\x8b", "GZIP"),
    (b"7z\xbc\xaf\x27\x1c", "7Z"),
    (b"Rar!", "RAR"),
    (b"SQLite format 3", "SQLite"),
)


class RegistryFileError(ValueError):
    """The file as a whole cannot be imported (not CSV text, required columns missing)."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class RowError:
    line: int
    column: str  # a header name, or "" when the row as a whole is wrong
    message: str

    def __str__(self):
        if self.column:
            return _("baris %(line)d, kolom %(column)s: %(message)s") % {
                "line": self.line,
                "column": self.column,
                "message": self.message,
            }
        return _("baris %(line)d: %(message)s") % {"line": self.line, "message": self.message}


@dataclass
class ImportResult:
    extract: RegistryExtract
    rows: int = 0  # data rows read
    loaded: int = 0  # rows that passed the row checks (before the duplicate check)
    error_count: int = 0
    errors: list[RowError] = field(default_factory=list)  # the first KEPT_ERRORS
    missing_optional: list[str] = field(default_factory=list)
    delimiter: str = ","
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)  # seconds per phase

    @property
    def ok(self) -> bool:
        return self.extract.status == RegistryExtract.Status.ACTIVE

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0


# --- Reading the file -------------------------------------------------------------------------
class _HashingReader(io.RawIOBase):
    """The sniffed head, then the rest of the file, hashing every byte on the way: the source's
    SHA-256 comes out of the same single pass as the rows."""

    def __init__(self, head: bytes, rest):
        self._head = head
        self._rest = rest
        self.sha256 = hashlib.sha256(head)

    def readable(self):
        return True

    def readinto(self, buffer):
        if self._head:
            n = min(len(buffer), len(self._head))
            buffer[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        chunk = self._rest.read(len(buffer))
        if not chunk:
            return 0
        self.sha256.update(chunk)
        buffer[: len(chunk)] = chunk
        return len(chunk)


def _sniff(head: bytes) -> None:
    for magic, kind in _NOT_CSV:
        if head.startswith(magic):
            raise RegistryFileError(
                _(
                    "Berkas ini bukan CSV teks (tampaknya %(kind)s). Simpan ekstrak sebagai "
                    "CSV (UTF-8) lalu impor lagi."
                )
                % {"kind": kind}
            )
    if b"\x00" in head:
        raise RegistryFileError(
            _(
                "Berkas ini bukan CSV teks (berisi byte biner; mungkin UTF-16 atau berkas "
                "biner). Simpan ekstrak sebagai CSV (UTF-8) lalu impor lagi."
            )
        )
    if not head.strip():
        raise RegistryFileError(_("Berkas kosong."))


def _choose_delimiter(header_line: str) -> str:
    """The delimiter that splits the header into the most columns among the accepted ones.

    csv.Sniffer guesses from the data and guesses wrong on names with commas; the header is
    known to hold at least NIK, NAMA_LGKP and TGL_LHR, so it decides reliably.
    """
    counts = {d: header_line.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _open(path_or_file):
    """(binary stream, display name, whether we opened it ourselves)."""
    if isinstance(path_or_file, str | os.PathLike):
        path = Path(path_or_file)
        return open(path, "rb"), path.name, True  # noqa: SIM115 (closed by the caller)
    name = Path(str(getattr(path_or_file, "name", "") or "ekstrak.csv")).name
    if isinstance(path_or_file, io.TextIOBase):
        # Already decoded (tests, small extracts built in memory): read whole, as UTF-8 again.
        text = path_or_file.read()
        return io.BytesIO(text.encode("utf-8")), name, True
    return path_or_file, name, False


# --- Checking one row ---------------------------------------------------------------------------
def parse_date(value: str) -> datetime.date | None:
    """YYYY-MM-DD, DD-MM-YYYY or DD/MM/YYYY; None for anything else or an impossible date."""
    value = value.strip()
    try:
        if match := _YMD.fullmatch(value):
            return datetime.date(int(match[1]), int(match[2]), int(match[3]))
        if match := _DMY.fullmatch(value):
            return datetime.date(int(match[4]), int(match[3]), int(match[1]))
    except ValueError:
        return None
    return None


def _region_part(value: str, width: int) -> str | None:
    """A SIAK region number (often written without leading zeros: NO_KEC "1") padded to its
    width; None when it is not such a number."""
    value = value.strip()
    if not _DIGITS.fullmatch(value) or len(value) > width or int(value) == 0:
        return None
    return value.zfill(width)


class _BoundedCache(dict):
    """A dict that stops growing at `limit` entries: values that repeat across a population
    (birth dates, places, mothers' names, desa codes) are computed once, and memory stays flat
    however long the file."""

    def __init__(self, limit: int):
        super().__init__()
        self.limit = limit

    def put(self, key, value):
        if len(self) < self.limit:
            self[key] = value
        return value


_DATE_ERROR_BAD = "bad"
_DATE_ERROR_FUTURE = "future"


class _RowChecker:
    """Turns one CSV row into a record tuple, or into errors. Built once per import."""

    def __init__(self, header: list[str], hash_key: bytes, today: datetime.date):
        self.width = len(header)
        index = {name: i for i, name in enumerate(header)}
        self.i_nik, self.i_name, self.i_date = (index[n] for n in REQUIRED)
        self.i_place = index.get("TMPT_LHR")
        self.i_mother = index.get("NAMA_LGKP_IBU")
        # itemgetter builds the (NO_PROP, NO_KAB, NO_KEC[, NO_KEL]) key in C: it runs per row.
        # With three or four columns it always returns a tuple.
        self.domicile_columns = tuple(
            n for n in ("NO_PROP", "NO_KAB", "NO_KEC", "NO_KEL") if n in index
        )
        self.domicile_key = (
            operator.itemgetter(*(index[n] for n in self.domicile_columns))
            if all(n in index for n in ("NO_PROP", "NO_KAB", "NO_KEC"))
            else None
        )
        self.key = hash_key
        self.today = today
        self.places = _BoundedCache(10_000)
        self.mothers = _BoundedCache(50_000)
        self.dates = _BoundedCache(50_000)
        self.domiciles = _BoundedCache(20_000)

    def _hash_name(self, label: str, value: str) -> str:
        value = value.strip()
        if not _CLEAN_NAME.fullmatch(value):
            value = normalise_name(value)
        return keyed_hash(label, value, self.key) if value else ""

    def _cached_name(self, cache, label, value):
        found = cache.get(value)
        return found if found is not None else cache.put(value, self._hash_name(label, value))

    def _date(self, raw: str):
        """The birth date's hash, or one of the _DATE_ERROR_* markers."""
        found = self.dates.get(raw)
        if found is None:
            birth_date = parse_date(raw)
            if birth_date is None:
                found = _DATE_ERROR_BAD
            elif birth_date > self.today:
                found = _DATE_ERROR_FUTURE
            else:
                found = keyed_hash("birth_date", birth_date.isoformat(), self.key)
            self.dates.put(raw, found)
        return found

    def check(self, row: list[str], line: int):
        """(nik_hash, name_hash, birth_date_hash, place_hash, mother_hash, domicile), errors.

        The hashes are protection.keyed_hash's hex digests ("" for an absent optional field);
        each loader turns them into the 32 bytes the table stores in its own way.
        """
        if len(row) != self.width:
            return None, [
                RowError(
                    line,
                    "",
                    _("Baris ini berisi %(found)d kolom, padahal header berisi %(expected)d.")
                    % {"found": len(row), "expected": self.width},
                )
            ]
        errors = []
        raw_nik = row[self.i_nik]
        nik_hash = ""
        if not raw_nik.strip():
            errors.append(RowError(line, "NIK", _("NIK kosong.")))
        else:
            try:
                nik_hash = keyed_hash("nik", nik_rules.parse(raw_nik).digits, self.key)
            except nik_rules.InvalidNIK as exc:
                errors.append(RowError(line, "NIK", str(exc.message)))
        name = row[self.i_name]
        name_hash = self._hash_name("name", name)
        if not name_hash:
            errors.append(RowError(line, "NAMA_LGKP", _("Nama lengkap kosong.")))
        raw_date = row[self.i_date].strip()
        date_hash = self._date(raw_date) if raw_date else ""
        if not raw_date:
            errors.append(RowError(line, "TGL_LHR", _("Tanggal lahir kosong.")))
        elif date_hash is _DATE_ERROR_BAD:
            errors.append(
                RowError(
                    line,
                    "TGL_LHR",
                    _(
                        "Tanggal lahir tidak dikenali atau tidak mungkin (format yang "
                        "diterima: YYYY-MM-DD, DD-MM-YYYY, DD/MM/YYYY)."
                    ),
                )
            )
        elif date_hash is _DATE_ERROR_FUTURE:
            errors.append(RowError(line, "TGL_LHR", _("Tanggal lahir di masa depan.")))
        place = row[self.i_place] if self.i_place is not None else ""
        mother = row[self.i_mother] if self.i_mother is not None else ""
        if "\ufffd" in name or "\ufffd" in place or "\ufffd" in mother:
            # Bytes that were not UTF-8 became U+FFFD: hashing them would never match.
            for column, value in (("NAMA_LGKP", name), ("TMPT_LHR", place),
                                  ("NAMA_LGKP_IBU", mother)):
                if "\ufffd" in value:
                    errors.append(
                        RowError(
                            line,
                            column,
                            _("Berisi karakter yang bukan UTF-8; simpan berkas sebagai CSV "
                              "UTF-8."),
                        )
                    )
        domicile = ""
        if self.domicile_key is not None:
            key = self.domicile_key(row)
            found = self.domiciles.get(key)
            if found is None:
                found = self.domiciles.put(key, _domicile(key, self.domicile_columns))
            domicile, bad_column = found
            if bad_column:
                errors.append(RowError(line, bad_column, _("Kode wilayah tidak sah.")))
        if errors:
            return None, errors
        return (
            nik_hash,
            name_hash,
            date_hash,
            self._cached_name(self.places, "birth_place", place),
            self._cached_name(self.mothers, "mother_name", mother),
            domicile,
        ), ()


def _domicile(values, columns) -> tuple[str, str]:
    """(Kemendagri code, "") or ("", the column that is wrong). No values: no domicile, and
    the verdict will not claim one; NO_KEL empty: the kecamatan is still an answer."""
    if not any(v.strip() for v in values):
        return "", ""
    parts = []
    for name, value, width in zip(columns, values, (2, 2, 2, 4)[: len(columns)], strict=True):
        if name == "NO_KEL" and not value.strip():
            break
        part = _region_part(value, width)
        if part is None:
            return "", name
        parts.append(part)
    return ".".join(parts), ""


# --- Loading --------------------------------------------------------------------------------------
_COLUMNS = (
    "extract_id",
    "nik_hash",
    "name_hash",
    "birth_date_hash",
    "birth_place_hash",
    "mother_name_hash",
    "domicile_code",
    "line",
)


class _SqliteLoader:
    """bulk_create in batches, each committed on its own: SQLite has one writer at a time,
    and editors saving pages during an import must not wait for the whole file."""

    def __init__(self, extract):
        self.extract_id = extract.pk
        self.batch = []

    def __enter__(self):
        return self

    def add(self, line, record):
        nik_hash, name_hash, date_hash, place_hash, mother_hash, domicile = record
        self.batch.append(
            RegistryRecord(
                extract_id=self.extract_id,
                nik_hash=bytes.fromhex(nik_hash),
                name_hash=bytes.fromhex(name_hash),
                birth_date_hash=bytes.fromhex(date_hash),
                birth_place_hash=bytes.fromhex(place_hash),
                mother_name_hash=bytes.fromhex(mother_hash),
                domicile_code=domicile,
                line=line,
            )
        )
        if len(self.batch) >= BATCH:
            self.flush()

    def flush(self):
        if self.batch:
            with transaction.atomic():
                RegistryRecord.objects.bulk_create(self.batch)
            self.batch = []

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            self.flush()
        return False


class _PostgresLoader:
    """COPY FROM STDIN in one transaction, the rows written as COPY text lines.

    The values need no escaping (hex digests, digits and dots), so each line is one format
    string: about a quarter of the time psycopg's generic write_row() spends per row, which
    on a 2-core server is the difference between the importing process or PostgreSQL being
    the bottleneck. Lines go out in blocks through a queued writer: a worker thread waits on
    the socket (releasing the GIL) while the next rows are checked and hashed.
    """

    BLOCK = 1000  # rows per write

    def __init__(self, extract):
        self.extract_id = extract.pk
        self.lines = []

    def __enter__(self):
        from psycopg.copy import QueuedLibpqWriter  # only needed (and loaded) on PostgreSQL

        self.atomic = transaction.atomic()
        self.atomic.__enter__()
        connection.ensure_connection()
        self.cursor = connection.connection.cursor()
        columns = ", ".join(connection.ops.quote_name(c) for c in _COLUMNS)
        table = connection.ops.quote_name(RegistryRecord._meta.db_table)
        self.copy_cm = self.cursor.copy(
            f"COPY {table} ({columns}) FROM STDIN", writer=QueuedLibpqWriter(self.cursor)
        )
        self.copy = self.copy_cm.__enter__()
        return self

    def add(self, line, record):
        nik_hash, name_hash, date_hash, place_hash, mother_hash, domicile = record
        # bytea in hex input form, "\x<hex>"; in COPY text the backslash is doubled.
        self.lines.append(
            f"{self.extract_id}\t\\\\x{nik_hash}\t\\\\x{name_hash}\t\\\\x{date_hash}\t"
            f"\\\\x{place_hash}\t\\\\x{mother_hash}\t{domicile}\t{line}\n"
        )
        if len(self.lines) >= self.BLOCK:
            self.copy.write("".join(self.lines))
            self.lines = []

    def __exit__(self, exc_type, exc, tb):
        try:
            if exc_type is None and self.lines:
                self.copy.write("".join(self.lines))
            self.copy_cm.__exit__(exc_type, exc, tb)  # sends the end (or the abort) of COPY
            self.cursor.close()
        except BaseException as error:
            self.atomic.__exit__(type(error), error, error.__traceback__)  # rolls back
            raise
        self.atomic.__exit__(exc_type, exc, tb)
        return False


def _loader(extract):
    return _PostgresLoader(extract) if connection.vendor == "postgresql" else _SqliteLoader(extract)


def _analyze() -> None:
    """A million new rows: without fresh statistics PostgreSQL's planner guesses badly for
    every lookup until autovacuum gets round to the table."""
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(RegistryRecord._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {table}")


def _duplicates(extract):
    """(line, first line) of every row whose NIK appeared on an earlier line, in line order.

    The database sorts the hashes (on disk if it must); Python only sees the duplicates. A
    window function rather than a GROUP BY joined back to the table: one pass, and no plan
    that a table without fresh statistics could turn quadratic.
    """
    table = connection.ops.quote_name(RegistryRecord._meta.db_table)
    sql = (
        "SELECT line, first_line FROM ("  # noqa: S608 (no user input in the SQL)
        "  SELECT line, MIN(line) OVER (PARTITION BY nik_hash) AS first_line"
        f"  FROM {table} WHERE extract_id = %s"
        ") numbered WHERE line <> first_line ORDER BY line"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [extract.pk])
        while rows := cursor.fetchmany(1000):
            yield from rows


def _delete_records(extract_id) -> None:
    """One DELETE statement: the ORM's delete() may load every row to send signals."""
    table = connection.ops.quote_name(RegistryRecord._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE extract_id = %s", [extract_id])  # noqa: S608


def _sweep() -> None:
    """Delete the records of every replaced or failed extract: the one just replaced, and any
    an earlier import left behind when it was interrupted after its switch."""
    for extract_id in RegistryExtract.objects.filter(
        status__in=[RegistryExtract.Status.REPLACED, RegistryExtract.Status.FAILED],
        records__isnull=False,
    ).values_list("pk", flat=True).distinct():
        _delete_records(extract_id)


def _activate(extract) -> None:
    """Replace the active extract by this one in one transaction."""
    with transaction.atomic():
        old = (
            RegistryExtract.objects.select_for_update()
            .filter(status=RegistryExtract.Status.ACTIVE)
            .first()
        )
        if old is not None:
            old.status = RegistryExtract.Status.REPLACED
            old.save(update_fields=["status"])
        extract.status = RegistryExtract.Status.ACTIVE
        extract.finished_at = timezone.now()
        extract.save(update_fields=["status", "rows", "errors", "source_sha256", "finished_at"])


def _current_hash_key() -> bytes:
    """The key new hashes are made with (protection.keyed_hash's default), fetched once: the
    settings lookup would otherwise cost more than the hash itself, five times a row."""
    keys = settings.SATUPINTU_IDENTITY_HASH_KEYS
    if not keys:
        raise IdentityKeyError("SATUPINTU_IDENTITY_HASH_KEYS is empty.")
    return keys[0].encode() if isinstance(keys[0], str) else keys[0]


def import_registry(path_or_file, *, imported_by="", report=None, today=None) -> ImportResult:
    """Import a SIAK extract (CSV); see the module docstring for the guarantees.

    `report` is a writable text stream that receives every error, one per line, as it is found
    (an error-only file can hold 1.4 million lines; the result keeps the first KEPT_ERRORS).
    Raises RegistryFileError, before anything is written, when the file is not a usable CSV.
    """
    started = time.perf_counter()
    today = today or timezone.localdate()
    stream, source_name, owned = _open(path_or_file)
    try:
        head = stream.read(SNIFF_BYTES)
        _sniff(head)
        raw = _HashingReader(head, stream)
        text = io.TextIOWrapper(
            io.BufferedReader(raw, buffer_size=1 << 20),
            encoding="utf-8-sig",
            errors="replace",
            newline="",
        )
        header_line = text.readline(SNIFF_BYTES)
        if len(header_line) >= SNIFF_BYTES and not header_line.endswith("\n"):
            raise RegistryFileError(
                _("Baris judul tidak ditemukan: baris pertama berkas terlalu panjang.")
            )
        delimiter = _choose_delimiter(header_line)
        header = [
            h.strip().upper()
            for h in next(csv.reader([header_line], delimiter=delimiter), [])
        ]
        missing = [name for name in REQUIRED if name not in header]
        if missing:
            raise RegistryFileError(
                _(
                    "Kolom wajib tidak ada di baris judul: %(columns)s. Baris pertama berkas "
                    "harus berisi nama kolom (NIK, NAMA_LGKP, TGL_LHR, ...)."
                )
                % {"columns": ", ".join(missing)}
            )
        duplicated = sorted({h for h in header if h and header.count(h) > 1})
        if duplicated:
            raise RegistryFileError(
                _("Kolom berikut muncul lebih dari sekali di baris judul: %(columns)s.")
                % {"columns": ", ".join(duplicated)}
            )
        hash_key = _current_hash_key()
        extract = RegistryExtract.objects.create(
            source_name=source_name[:255], imported_by=imported_by[:150]
        )
        result = ImportResult(
            extract=extract,
            delimiter=delimiter,
            missing_optional=[name for name in OPTIONAL if name not in header],
        )

        def error(err: RowError):
            result.error_count += 1
            if len(result.errors) < KEPT_ERRORS:
                result.errors.append(err)
            if report is not None:
                report.write(f"{err}\n")

        checker = _RowChecker(header, hash_key, today)
        reader = csv.reader(text, delimiter=delimiter)
        reader_line_offset = 1  # the header was read before the csv reader started
        lap = time.perf_counter()

        def phase(name):
            nonlocal lap
            now = time.perf_counter()
            result.timings[name] = now - lap
            lap = now

        try:
            with _loader(extract) as loader:
                try:
                    for row in reader:
                        if not row:
                            continue  # blank lines
                        line = reader.line_num + reader_line_offset
                        record, errors = checker.check(row, line)
                        if record is None:
                            if not "".join(row).strip():
                                continue  # Excel's ",,,,," lines below the data
                            result.rows += 1
                            for err in errors:
                                error(err)
                            continue
                        result.rows += 1
                        loader.add(line, record)
                        result.loaded += 1
                except csv.Error:
                    # A NUL byte or a runaway quoted field: nothing after it can be trusted.
                    error(
                        RowError(
                            reader.line_num + reader_line_offset,
                            "",
                            _(
                                "Baris ini tidak dapat dibaca sebagai CSV (byte NUL atau tanda "
                                "kutip yang tidak ditutup); pembacaan berhenti di sini."
                            ),
                        )
                    )
            phase("load")
            _analyze()
            phase("analyze")
            for line, first_line in _duplicates(extract):
                error(
                    RowError(
                        line,
                        "NIK",
                        _("NIK sama dengan NIK di baris %(first)d.") % {"first": first_line},
                    )
                )
            phase("duplicates")
            extract.rows = result.rows
            extract.errors = result.error_count
            extract.source_sha256 = raw.sha256.hexdigest()
            if result.error_count or not result.rows:
                if not result.rows:
                    error(RowError(1, "", _("Berkas tidak berisi satu baris data pun.")))
                _fail(extract, result)
                phase("cleanup")
                result.seconds = time.perf_counter() - started
                return result
            _activate(extract)
            phase("switch")
        except BaseException:
            _fail(extract, result)
            raise
        # The switch is committed: from here on a failure must not touch the new extract.
        _sweep()
        phase("cleanup")
        result.seconds = time.perf_counter() - started
        return result
    finally:
        if owned:
            stream.close()


def _fail(extract, result) -> None:
    _delete_records(extract.pk)
    extract.status = RegistryExtract.Status.FAILED
    extract.rows = result.rows
    extract.errors = result.error_count
    extract.finished_at = timezone.now()
    extract.save(update_fields=["status", "rows", "errors", "source_sha256", "finished_at"])
