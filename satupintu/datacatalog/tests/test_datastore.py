"""Loading tabular files into the datastore: types, all or nothing, bad rows by line number.
Runs the PostgreSQL path (COPY) in CI's PostgreSQL run and the generic path on SQLite."""

import io
import uuid

import pytest
from django.db import connection

from satupintu.datacatalog import datastore

pytestmark = pytest.mark.django_db(transaction=False)


def _csv(text, encoding="utf-8"):
    return io.BytesIO(text.encode(encoding))


def _rows(key, columns="*"):
    with connection.cursor() as cursor:
        table = datastore.table_name(key)
        cursor.execute(f"SELECT {columns} FROM {table} ORDER BY _id")  # noqa: S608 (test's own)
        return cursor.fetchall()


def _exists(key):
    table = datastore.table_name(key)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT to_regclass(%s)", [table])
            return cursor.fetchone()[0] is not None
        cursor.execute("SELECT name FROM sqlite_master WHERE name = %s", [table])
        return cursor.fetchone() is not None


POPULATION = (
    "kode,kecamatan,penduduk,luas_km2,tanggal\n"
    "35.24.01,Sukorame,18100,41.5,2025-12-31\n"
    "35.24.02,Bluluk,21050,55.04,2025-12-31\n"
    "35.24.03,Ngimbang,,68.9,\n"
)


def test_types_are_inferred_and_the_table_loaded():
    data = _csv(POPULATION)
    dialect = datastore.sniff(data)
    assert dialect.header == ["kode", "kecamatan", "penduduk", "luas_km2", "tanggal"]
    columns = datastore.infer_columns(data, dialect)
    assert [c.type for c in columns] == ["text", "text", "int8", "numeric", "date"]
    key = uuid.uuid4().hex
    report = datastore.load(data, key, columns, dialect)
    assert report.ok and report.rows == 3
    rows = _rows(key, '_id, "kecamatan", "penduduk"')
    assert [(r[0], r[1], r[2]) for r in rows] == [
        (1, "Sukorame", 18100),
        (2, "Bluluk", 21050),
        (3, "Ngimbang", None),
    ]
    datastore.drop(key)
    assert not _exists(key)


def test_bad_rows_are_listed_by_line_and_nothing_is_loaded():
    text = (
        POPULATION + "35.24.04,Sambeng,dua puluh,12,2025-13-01\n35.24.05,Mantup,9000,x,2025-12-31\n"
    )
    data = _csv(text)
    dialect = datastore.sniff(data)
    columns = [
        datastore.Column("kode"),
        datastore.Column("kecamatan"),
        datastore.Column("penduduk", "int8"),
        datastore.Column("luas_km2", "numeric"),
        datastore.Column("tanggal", "date"),
    ]
    key = uuid.uuid4().hex
    report = datastore.load(data, key, columns, dialect)
    assert not report.ok
    listed = {(line, column) for line, column, _value, _message in report.errors}
    assert (5, "penduduk") in listed and (6, "luas_km2") in listed
    assert not _exists(key)


def test_a_ragged_row_is_reported_and_nothing_is_loaded():
    data = _csv(POPULATION + "35.24.09,Kembangbahu,100\n")
    dialect = datastore.sniff(data)
    key = uuid.uuid4().hex
    report = datastore.load(data, key, datastore.infer_columns(data, dialect), dialect)
    assert not report.ok
    assert report.errors[0][0] == 5 and "kolom" in report.errors[0][3]
    assert not _exists(key)


def test_semicolons_windows_1252_and_awkward_headers():
    text = "Kecamatan;Jumlah;Jumlah;_id;\nBabat;10;11;x;\nSugio;12;13;y;\n"
    data = _csv(text.replace("Babat", "Babat é"), encoding="cp1252")
    dialect = datastore.sniff(data)
    assert dialect.delimiter == ";" and dialect.encoding == "cp1252"
    assert dialect.header == ["Kecamatan", "Jumlah", "Jumlah_2", "kolom_id", "kolom_5"]
    key = uuid.uuid4().hex
    report = datastore.load(data, key, datastore.infer_columns(data, dialect), dialect)
    assert report.ok, report.errors
    assert _rows(key, '"Kecamatan"')[0][0] == "Babat é"
    datastore.drop(key)


def test_hostile_column_names_stay_names():
    data = _csv('"a""; DROP TABLE x; --",b\n1,2\n')
    dialect = datastore.sniff(data)
    key = uuid.uuid4().hex
    assert datastore.load(data, key, datastore.infer_columns(data, dialect), dialect).ok
    assert len(_rows(key)) == 1
    datastore.drop(key)


@pytest.mark.parametrize("content", [b"", b"   \n", b"\x00\x01binary"])
def test_empty_or_binary_files_are_refused(content):
    with pytest.raises(datastore.LoadError):
        datastore.sniff(io.BytesIO(content))


def test_xlsx_values_not_formulas():
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["kecamatan", "penduduk", "catatan"])
    sheet.append(["Babat", 90123, '=HYPERLINK("http://x")'])
    sheet.append(["Sugio", 61000.0, None])
    source = io.BytesIO()
    book.save(source)
    source.seek(0)
    target = io.BytesIO()
    assert datastore.xlsx_to_csv(source, target) == 2
    dialect = datastore.sniff(target)
    columns = datastore.infer_columns(target, dialect)
    assert [c.type for c in columns] == ["text", "int8", "text"]
    key = uuid.uuid4().hex
    assert datastore.load(target, key, columns, dialect).ok
    assert _rows(key, '"penduduk"') == [(90123,), (61000,)]
    datastore.drop(key)


def test_table_names_come_only_from_uuids():
    with pytest.raises(ValueError):
        datastore.table_name("x; DROP TABLE auth_user")
