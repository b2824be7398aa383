"""The SIAK extract importer, its commands and the synthetic generator.

Everyone here is invented (satupintu.registry.synthetic); the tests still treat them as real
people: no NIK or name may appear in clear in the database or in a report.
"""

import csv
import datetime
import hashlib
import io
import re
import zipfile

import pytest
from django.core.management import CommandError, ManagementUtility, call_command
from django.db import connection

from satupintu.identity import nik as nik_rules
from satupintu.identity.protection import keyed_hash
from satupintu.registry import synthetic
from satupintu.registry.base import Claim
from satupintu.registry.importer import (
    RegistryFileError,
    import_registry,
    parse_date,
)
from satupintu.registry.local import LocalRegistryVerifier
from satupintu.registry.models import RegistryExtract, RegistryRecord

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()
HEADER = list(synthetic.COLUMNS)


@pytest.fixture(autouse=True)
def _hash_key(settings):
    settings.SATUPINTU_IDENTITY_HASH_KEYS = ["registry-test-key"]


def people(rows=30, seed=7):
    return list(synthetic.iter_people("35.24", rows, seed, TODAY))


def csv_text(rows, header=HEADER, delimiter=","):
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        if isinstance(row, dict):
            row = [row.get(column, "") for column in header]
        writer.writerow(row)
    return out.getvalue()


def write(tmp_path, text, name="siak.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding) if isinstance(text, str) else text)
    return path


def run(tmp_path, rows, **kwargs):
    report = io.StringIO()
    result = import_registry(write(tmp_path, csv_text(rows, **kwargs)), report=report)
    return result, report.getvalue()


def active():
    return RegistryExtract.objects.filter(status=RegistryExtract.Status.ACTIVE).first()


claim = synthetic.claim_for


def every_stored_text():
    """Everything the registry tables hold, as text (hashes as hex and as raw bytes)."""
    texts = []
    for row in RegistryRecord.objects.values():
        for value in row.values():
            if isinstance(value, bytes | memoryview):
                raw = bytes(value)
                texts += [raw.hex(), raw.decode("latin-1")]
            else:
                texts.append(str(value))
    for row in RegistryExtract.objects.values():
        texts += [str(v) for v in row.values()]
    return "\n".join(texts)


def errors_of(result):
    return [(e.line, e.column) for e in result.errors]


# --- A good import --------------------------------------------------------------------------------
def test_good_import_activates_the_extract(tmp_path):
    rows = people(30)
    path = write(tmp_path, csv_text(rows))
    result = import_registry(path, imported_by="operator")
    assert result.ok, [str(e) for e in result.errors]
    assert (result.rows, result.loaded, result.error_count) == (30, 30, 0)
    assert result.missing_optional == []
    extract = RegistryExtract.objects.get()
    assert extract == result.extract
    assert extract.status == RegistryExtract.Status.ACTIVE
    assert (extract.rows, extract.errors, extract.imported_by) == (30, 0, "operator")
    assert extract.source_name == "siak.csv"
    assert extract.source_sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert extract.finished_at is not None
    assert RegistryRecord.objects.filter(extract=extract).count() == 30


def test_records_hold_keyed_hashes_and_the_domicile(tmp_path):
    rows = people(10)
    result, _report = run(tmp_path, rows)
    budi = rows[0]
    record = RegistryRecord.objects.get(
        extract=result.extract, nik_hash=bytes.fromhex(keyed_hash("nik", budi["NIK"]))
    )
    assert bytes(record.name_hash).hex() == keyed_hash("name", "BUDI SANTOSO")
    assert bytes(record.birth_date_hash).hex() == keyed_hash("birth_date", "1985-03-12")
    assert bytes(record.birth_place_hash).hex() == keyed_hash("birth_place", "LAMONGAN")
    assert bytes(record.mother_name_hash).hex() == keyed_hash("mother_name", "SUMIATI")
    # NO_PROP 35, NO_KAB 24, NO_KEC 1 (SIAK writes no leading zero), NO_KEL 2001.
    assert record.domicile_code == "35.24.01.2001"
    assert record.line == 2


def test_domicile_codes_are_real_desa_of_the_regency(tmp_path):
    from satupintu.regency.models import Region

    result, _report = run(tmp_path, people(40))
    codes = set(RegistryRecord.objects.values_list("domicile_code", flat=True))
    assert codes <= set(Region.objects.values_list("kemendagri_code", flat=True))
    assert all(code.startswith("35.24.") for code in codes)


@pytest.mark.parametrize("delimiter", [",", ";", "|", "\t"])
def test_delimiters_are_detected(tmp_path, delimiter):
    result, _report = run(tmp_path, people(8), delimiter=delimiter)
    assert result.ok and result.rows == 8
    assert result.delimiter == delimiter


def test_bom_crlf_and_header_case_and_spaces(tmp_path):
    rows = [[row[c] for c in HEADER] for row in people(5)]
    header = [f" {c.lower()} " if i % 2 else c.title() for i, c in enumerate(HEADER)]
    text = csv_text(rows, header=header).replace("\n", "\r\n")
    result = import_registry(write(tmp_path, "\ufeff" + text))
    assert result.ok and result.rows == 5
    assert RegistryRecord.objects.filter(domicile_code="35.24.01.2001").exists()


@pytest.mark.parametrize("written", ["1985-03-12", "12-03-1985", "12/03/1985", "12/3/1985"])
def test_date_formats(tmp_path, written):
    row = {**people(1)[0], "TGL_LHR": written}
    result, _report = run(tmp_path, [row])
    assert result.ok
    record = RegistryRecord.objects.get(extract=result.extract)
    assert bytes(record.birth_date_hash).hex() == keyed_hash("birth_date", "1985-03-12")


def test_names_are_normalised_before_hashing(tmp_path):
    row = {**people(1)[0], "NAMA_LGKP": "  Budi   Santoso ", "NAMA_LGKP_IBU": "Sumiati."}
    result, _report = run(tmp_path, [row])
    record = RegistryRecord.objects.get(extract=result.extract)
    assert bytes(record.name_hash).hex() == keyed_hash("name", "BUDI SANTOSO")
    assert bytes(record.mother_name_hash).hex() == keyed_hash("mother_name", "SUMIATI")


def test_nik_with_separators_is_normalised(tmp_path):
    row = {**people(1)[0], "NIK": "3524 0112 0385 0001"}
    result, _report = run(tmp_path, [row])
    assert result.ok
    assert RegistryRecord.objects.filter(
        nik_hash=bytes.fromhex(keyed_hash("nik", "3524011203850001"))
    ).exists()


def test_optional_columns_may_be_absent(tmp_path):
    header = ["NIK", "NAMA_LGKP", "TGL_LHR"]
    result, _report = run(tmp_path, people(5), header=header)
    assert result.ok
    assert set(result.missing_optional) == {
        "TMPT_LHR", "NAMA_LGKP_IBU", "NO_PROP", "NO_KAB", "NO_KEC", "NO_KEL"
    }
    record = RegistryRecord.objects.filter(extract=result.extract).first()
    assert bytes(record.birth_place_hash) == b"" and bytes(record.mother_name_hash) == b""
    assert record.domicile_code == ""


def test_kecamatan_code_when_no_kel(tmp_path):
    header = [c for c in HEADER if c != "NO_KEL"]
    result, _report = run(tmp_path, people(3), header=header)
    assert result.ok
    assert set(RegistryRecord.objects.values_list("domicile_code", flat=True)) <= {
        f"35.24.{n:02d}" for n in range(1, 30)
    }


def test_empty_domicile_values_give_no_domicile(tmp_path):
    row = {**people(1)[0], "NO_PROP": "", "NO_KAB": "", "NO_KEC": "", "NO_KEL": ""}
    result, _report = run(tmp_path, [row])
    assert result.ok
    assert RegistryRecord.objects.get().domicile_code == ""


def test_blank_lines_are_skipped(tmp_path):
    rows = people(3)
    text = csv_text(rows).replace("\n", "\n\n", 1) + "\n,,,,,,,,,,,,,\n\n"
    result = import_registry(write(tmp_path, text))
    assert result.ok and result.rows == 3


def test_extra_columns_are_never_stored(tmp_path):
    rows = people(20)
    result, _report = run(tmp_path, rows)
    assert result.ok
    stored = every_stored_text()
    for row in rows:
        for column in ("NO_KK", "ALAMAT", "NIK", "NAMA_LGKP", "NAMA_LGKP_IBU", "TGL_LHR"):
            assert row[column] not in stored, column
    columns = {f.name for f in RegistryRecord._meta.get_fields()}
    assert columns == {
        "id", "extract", "nik_hash", "name_hash", "birth_date_hash", "birth_place_hash",
        "mother_name_hash", "domicile_code", "line",
    }


def test_file_object_and_text_stream_are_accepted(tmp_path):
    text = csv_text(people(4))
    assert import_registry(io.BytesIO(text.encode())).ok
    assert import_registry(io.StringIO(text)).ok
    assert RegistryExtract.objects.filter(status=RegistryExtract.Status.ACTIVE).count() == 1


# --- Bad rows -------------------------------------------------------------------------------------
def bad_file_rows():
    rows = people(12)
    rows[1] = {**rows[1], "NIK": "3524011203850"}  # line 3: too short
    rows[2] = {**rows[2], "NIK": "3524014003850001"}  # line 4: day 40
    rows[3] = {**rows[3], "NIK": "3524011213850001"}  # line 5: month 13
    rows[4] = {**rows[4], "NIK": "0024011203850001"}  # line 6: province 00
    rows[5] = {**rows[5], "NIK": "3524011203850000"}  # line 7: serial 0000
    rows[6] = {**rows[6], "NAMA_LGKP": "  "}  # line 8: no name
    rows[7] = {**rows[7], "TGL_LHR": "31-02-1990"}  # line 9: impossible date
    rows[8] = {**rows[8], "TGL_LHR": "1990.02.01"}  # line 10: unknown format
    future = TODAY + datetime.timedelta(days=1)
    rows[9] = {**rows[9], "TGL_LHR": future.isoformat()}  # line 11: future
    rows[10] = {**rows[10], "NIK": rows[0]["NIK"]}  # line 12: duplicate of line 2
    rows[11] = {**rows[11], "NO_KEC": "1X"}  # line 13: bad region code
    return rows


def test_every_kind_of_bad_row_is_reported_with_line_and_column(tmp_path):
    rows = bad_file_rows()
    result, report = run(tmp_path, rows)
    assert not result.ok
    assert errors_of(result) == [
        (3, "NIK"),
        (4, "NIK"),
        (5, "NIK"),
        (6, "NIK"),
        (7, "NIK"),
        (8, "NAMA_LGKP"),
        (9, "TGL_LHR"),
        (10, "TGL_LHR"),
        (11, "TGL_LHR"),
        (13, "NO_KEC"),
        (12, "NIK"),  # duplicates are found once the rows are loaded
    ]
    messages = [str(e) for e in result.errors]
    assert messages[0].startswith("baris 3, kolom NIK: NIK harus terdiri atas 16 angka")
    assert "masa depan" in messages[8]
    assert messages[-1] == "baris 12, kolom NIK: NIK sama dengan NIK di baris 2."
    assert report.splitlines() == messages
    assert result.error_count == 11
    assert result.rows == 12


def test_failed_import_keeps_counts_and_no_rows(tmp_path):
    result, _report = run(tmp_path, bad_file_rows())
    extract = RegistryExtract.objects.get()
    assert extract.status == RegistryExtract.Status.FAILED
    assert (extract.rows, extract.errors) == (12, 11)
    assert extract.finished_at is not None
    assert not RegistryRecord.objects.exists()
    assert active() is None


def test_reports_never_show_a_nik_or_a_name(tmp_path):
    rows = bad_file_rows()
    result, report = run(tmp_path, rows)
    assert report
    for row in rows:
        for column in ("NIK", "NAMA_LGKP", "NAMA_LGKP_IBU", "NO_KK"):
            value = row[column].strip()
            if value:
                assert value not in report, column
                assert all(value not in str(e) for e in result.errors)
    assert not re.search(r"\d{16}", report)


def test_only_duplicates(tmp_path):
    rows = people(6)
    rows += [rows[1], rows[1], rows[3]]
    result, _report = run(tmp_path, rows)
    assert [str(e) for e in result.errors] == [
        "baris 8, kolom NIK: NIK sama dengan NIK di baris 3.",
        "baris 9, kolom NIK: NIK sama dengan NIK di baris 3.",
        "baris 10, kolom NIK: NIK sama dengan NIK di baris 5.",
    ]


def test_same_nik_written_differently_is_a_duplicate(tmp_path):
    rows = people(3)
    rows.append({**rows[0], "NIK": "3524-0112-0385-0001"})
    result, _report = run(tmp_path, rows)
    assert errors_of(result) == [(5, "NIK")]


def test_row_with_wrong_column_count(tmp_path):
    text = csv_text(people(3)) + "3524011203850009,BUDI\n"
    result = import_registry(write(tmp_path, text))
    assert [str(e) for e in result.errors] == [
        "baris 5: Baris ini berisi 2 kolom, padahal header berisi 14."
    ]


def test_empty_nik_and_date(tmp_path):
    rows = people(2)
    rows[1] = {**rows[1], "NIK": "", "TGL_LHR": ""}
    result, _report = run(tmp_path, rows)
    assert [str(e) for e in result.errors] == [
        "baris 3, kolom NIK: NIK kosong.",
        "baris 3, kolom TGL_LHR: Tanggal lahir kosong.",
    ]


def test_bytes_that_are_not_utf8(tmp_path):
    text = csv_text(people(3)).replace("SITI AMINAH,PEREMPUAN", "SITI AMÏNAH,PEREMPUAN")
    result = import_registry(write(tmp_path, text, encoding="latin-1"))
    assert errors_of(result) == [(3, "NAMA_LGKP")]
    assert "UTF-8" in result.errors[0].message


def test_quoted_fields_spanning_lines_count_physical_lines(tmp_path):
    rows = people(3)
    rows[0] = {**rows[0], "ALAMAT": "DUSUN KRAJAN\nRT 1"}
    rows[2] = {**rows[2], "NIK": "123"}
    result, _report = run(tmp_path, rows)
    assert errors_of(result) == [(5, "NIK")]


def test_errors_kept_in_memory_are_capped_but_all_reported(tmp_path, monkeypatch):
    from satupintu.registry import importer

    monkeypatch.setattr(importer, "KEPT_ERRORS", 5)
    rows = [{**row, "NIK": "1"} for row in people(20)]
    result, report = run(tmp_path, rows)
    assert result.error_count == 20
    assert len(result.errors) == 5
    assert len(report.splitlines()) == 20


# --- Whole-file problems --------------------------------------------------------------------------
def xlsx_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (xlsx_bytes(), "XLSX"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "XLS"),
        (b"%PDF-1.7\n", "PDF"),
        (b"\x1f\x8b\x08\x00", "GZIP"),
        ("NIK,NAMA_LGKP,TGL_LHR\n".encode("utf-16"), "UTF-16"),
        (b"", "kosong"),
    ],
    # Named by kind: the XLSX bytes carry the time they were made, and test ids that differ
    # between pytest-xdist workers stop the run before it starts.
    ids=["xlsx", "xls", "pdf", "gzip", "utf16", "kosong"],
)
def test_files_that_are_not_csv_text_are_refused(tmp_path, content, expected):
    with pytest.raises(RegistryFileError) as caught:
        import_registry(write(tmp_path, content, name="siak.xlsx"))
    assert expected in caught.value.message
    assert not RegistryExtract.objects.exists()


def test_missing_required_columns(tmp_path):
    text = csv_text([["3524011203850001", "BUDI"]], header=["NIK", "NAMA"])
    with pytest.raises(RegistryFileError) as caught:
        import_registry(write(tmp_path, text))
    assert "NAMA_LGKP, TGL_LHR" in caught.value.message
    assert not RegistryExtract.objects.exists()


def test_header_only_fails(tmp_path):
    result = import_registry(write(tmp_path, csv_text([])))
    assert not result.ok
    assert "tidak berisi satu baris data" in str(result.errors[0])


def test_duplicate_header_column(tmp_path):
    with pytest.raises(RegistryFileError):
        import_registry(write(tmp_path, "NIK,NAMA_LGKP,TGL_LHR,NIK\n"))


# --- Activation -----------------------------------------------------------------------------------
def test_failed_import_leaves_the_previous_extract_answering(tmp_path):
    rows = people(10)
    first, _report = run(tmp_path, rows)
    assert first.ok
    second, _report = run(tmp_path, bad_file_rows())
    assert not second.ok
    assert active() == first.extract
    assert RegistryRecord.objects.filter(extract=first.extract).count() == 10
    assert not RegistryRecord.objects.filter(extract=second.extract).exists()
    verdict = LocalRegistryVerifier().verify(claim(rows[3]))
    assert verdict.matched


def test_reimport_replaces_atomically(tmp_path):
    old_rows = people(10, seed=1)
    first, _report = run(tmp_path, old_rows)
    new_rows = people(15, seed=2)
    second, _report = run(tmp_path, new_rows)
    assert second.ok
    first.extract.refresh_from_db()
    assert first.extract.status == RegistryExtract.Status.REPLACED
    assert active() == second.extract
    assert not RegistryRecord.objects.filter(extract=first.extract).exists()
    assert RegistryRecord.objects.filter(extract=second.extract).count() == 15
    verifier = LocalRegistryVerifier()
    assert verifier.verify(claim(new_rows[-1])).matched
    gone = old_rows[-1]
    assert gone["NIK"] not in {r["NIK"] for r in new_rows}
    assert not verifier.verify(claim(gone)).matched


def test_switch_happens_in_one_transaction(tmp_path, monkeypatch):
    """A failure during the switch leaves the old extract active and the new one unused."""
    first, _report = run(tmp_path, people(5))
    saved = RegistryExtract.save

    def failing_save(self, *args, **kwargs):
        if self.status == RegistryExtract.Status.ACTIVE and self.pk != first.extract.pk:
            raise RuntimeError("power cut")
        return saved(self, *args, **kwargs)

    monkeypatch.setattr(RegistryExtract, "save", failing_save)
    with pytest.raises(RuntimeError):
        import_registry(write(tmp_path, csv_text(people(6, seed=3))))
    monkeypatch.setattr(RegistryExtract, "save", saved)
    first.extract.refresh_from_db()
    assert first.extract.status == RegistryExtract.Status.ACTIVE
    assert RegistryRecord.objects.filter(extract=first.extract).count() == 5
    # The new extract is marked failed and its rows are gone.
    new = RegistryExtract.objects.exclude(pk=first.extract.pk).get()
    assert new.status == RegistryExtract.Status.FAILED
    assert not RegistryRecord.objects.filter(extract=new).exists()


def test_records_left_by_an_interrupted_cleanup_are_swept(tmp_path):
    first, _report = run(tmp_path, people(5))
    stale = RegistryExtract.objects.create(
        source_name="old.csv", status=RegistryExtract.Status.REPLACED
    )
    RegistryRecord.objects.create(
        extract=stale, nik_hash=b"x" * 32, name_hash=b"y" * 32, birth_date_hash=b"z" * 32
    )
    second, _report = run(tmp_path, people(6, seed=4))
    assert second.ok
    assert set(RegistryRecord.objects.values_list("extract", flat=True)) == {second.extract.pk}


def test_loading_extract_is_invisible_to_lookups(tmp_path):
    rows = people(5)
    first, _report = run(tmp_path, rows)
    loading = RegistryExtract.objects.create(source_name="half.csv")
    RegistryRecord.objects.create(
        extract=loading,
        nik_hash=bytes.fromhex(keyed_hash("nik", "3524011203770009")),
        name_hash=bytes.fromhex(keyed_hash("name", "ORANG BARU")),
        birth_date_hash=bytes.fromhex(keyed_hash("birth_date", "1977-03-12")),
    )
    verdict = LocalRegistryVerifier().verify(
        Claim("3524011203770009", "ORANG BARU", datetime.date(1977, 3, 12))
    )
    assert not verdict.matched


def test_interrupted_load_marks_the_extract_failed(tmp_path, monkeypatch):
    from satupintu.registry import importer

    def broken(self, row, line):
        raise KeyboardInterrupt

    monkeypatch.setattr(importer._RowChecker, "check", broken)
    with pytest.raises(KeyboardInterrupt):
        import_registry(write(tmp_path, csv_text(people(3))))
    assert RegistryExtract.objects.get().status == RegistryExtract.Status.FAILED
    assert not RegistryRecord.objects.exists()


def test_sqlite_batches(tmp_path, monkeypatch):
    from satupintu.registry import importer

    monkeypatch.setattr(importer, "BATCH", 7)
    result, _report = run(tmp_path, people(30))
    assert result.ok
    assert RegistryRecord.objects.count() == 30


def test_postgresql_uses_copy(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        result, _report = run(tmp_path, people(50))
    assert result.ok
    # COPY goes through the raw connection: no INSERT of records through the ORM.
    assert not any("INSERT INTO \"registry_registryrecord\"" in q["sql"] for q in queries)


# --- Commands -------------------------------------------------------------------------------------
def test_import_command_success(tmp_path):
    path = write(tmp_path, csv_text(people(12)))
    out = io.StringIO()
    call_command("import_registry", str(path), stdout=out)
    text = out.getvalue()
    assert "12 baris data dibaca, 0 kesalahan" in text
    assert f"Ekstrak #{active().pk} aktif: 12 penduduk." in text


def test_import_command_failure_prints_errors_and_writes_the_report(tmp_path):
    rows = [{**row, "NIK": "1"} for row in people(60)]
    path = write(tmp_path, csv_text(rows))
    report = tmp_path / "laporan.txt"
    out = io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("import_registry", str(path), report=str(report), stdout=out)
    assert "Impor gagal" in str(caught.value)
    text = out.getvalue()
    assert "60 baris data dibaca, 60 kesalahan" in text
    assert text.count("kolom NIK:") == 50  # the first 50 on screen
    assert "... dan 10 kesalahan lain." in text
    assert len(report.read_text(encoding="utf-8").splitlines()) == 60
    for row in rows:
        assert row["NAMA_LGKP"] not in text
        assert row["NAMA_LGKP"] not in report.read_text(encoding="utf-8")


def test_import_command_exit_codes(tmp_path, capsys, monkeypatch):
    # run_from_argv closes the connections when done, which would end the test's transaction.
    monkeypatch.setattr("django.db.connections.close_all", lambda: None)
    good = write(tmp_path, csv_text(people(3)), name="good.csv")
    ManagementUtility(["satupintu", "import_registry", str(good)]).execute()
    bad = write(tmp_path, csv_text([{**people(1)[0], "NIK": "1"}]), name="bad.csv")
    with pytest.raises(SystemExit) as caught:
        ManagementUtility(["satupintu", "import_registry", str(bad)]).execute()
    assert caught.value.code == 1
    with pytest.raises(SystemExit) as caught:
        ManagementUtility(["satupintu", "import_registry", str(tmp_path / "none.csv")]).execute()
    assert caught.value.code == 1
    xlsx = write(tmp_path, xlsx_bytes(), name="siak.xlsx")
    with pytest.raises(SystemExit) as caught:
        ManagementUtility(["satupintu", "import_registry", str(xlsx)]).execute()
    assert caught.value.code == 1
    assert "bukan CSV" in capsys.readouterr().err


def test_cli_maps_the_dashed_name(tmp_path, monkeypatch):
    from satupintu import cli

    seen = {}
    monkeypatch.setattr(
        "django.core.management.execute_from_command_line", lambda argv: seen.setdefault("a", argv)
    )
    cli.main(["satupintu", "import-registry", "x.csv"])
    assert seen["a"][1] == "import_registry"


def test_generate_command(tmp_path):
    out_path = tmp_path / "sintetis.csv"
    out = io.StringIO()
    call_command("generate_registry", str(out_path), rows=50, seed=3, regency="35.24", stdout=out)
    lines = out_path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 51
    text = out.getvalue()
    assert "50 baris sintetis" in text
    for person in synthetic.demo_people("35.24"):
        assert person["NIK"] in text and person["NAMA_LGKP"] in text
    result = import_registry(out_path)
    assert result.ok and result.rows == 50


def test_generate_command_default_regency_and_bad_rows(tmp_path):
    out_path = tmp_path / "sintetis.csv"
    call_command("generate_registry", str(out_path), rows=8, stdout=io.StringIO())
    assert out_path.read_text().splitlines()[1].split(",")[1].startswith("3524")
    with pytest.raises(CommandError):
        call_command("generate_registry", str(out_path), rows=0, stdout=io.StringIO())
    with pytest.raises(CommandError):
        call_command(
            "generate_registry", str(out_path), rows=5, regency="99.99", stdout=io.StringIO()
        )


# --- The synthetic generator ----------------------------------------------------------------------
def test_generator_is_deterministic(tmp_path):
    a, b, c = tmp_path / "a.csv", tmp_path / "b.csv", tmp_path / "c.csv"
    synthetic.write_csv(a, "35.24", 500, seed=11, today=TODAY)
    synthetic.write_csv(b, "35.24", 500, seed=11, today=TODAY)
    synthetic.write_csv(c, "35.24", 500, seed=12, today=TODAY)
    assert a.read_bytes() == b.read_bytes()
    assert a.read_bytes() != c.read_bytes()
    # The demo people open every file, whatever the seed.
    assert a.read_text().splitlines()[:7] == c.read_text().splitlines()[:7]


def test_generated_niks_are_valid_unique_and_mixed():
    rows = list(synthetic.iter_people("35.24", 30_000, seed=5, today=TODAY))
    niks = [row["NIK"] for row in rows]
    assert len(set(niks)) == len(niks) == 30_000
    parsed = [nik_rules.parse(n) for n in niks]
    for row, nik in zip(rows, parsed, strict=True):
        birth = parse_date(row["TGL_LHR"])
        assert nik.matches_birth_date(birth)
        assert nik.sex == ("L" if row["JENIS_KLMIN"] == "LAKI-LAKI" else "P")
        assert 1 <= int(nik.serial) <= 9999
    generated = parsed[len(synthetic.DEMO_PEOPLE):]
    share = {
        "surabaya": sum(n.regency_code == "35.78" for n in generated) / len(generated),
        "retired": sum(n.district_code == "35.24.99" for n in generated) / len(generated),
        "papua": sum(n.regency_code == "91.01" for n in generated),
    }
    assert 0.04 < share["surabaya"] < 0.06
    assert 0.007 < share["retired"] < 0.013
    assert 3 <= share["papua"] <= 40
    births = [parse_date(row["TGL_LHR"]) for row in rows[len(synthetic.DEMO_PEOPLE):]]
    assert min(births) >= datetime.date(1940, 1, 1)
    assert max(births) <= datetime.date(2008, 12, 31)


def test_generated_domiciles_and_names_look_like_siak():
    rows = list(synthetic.iter_people("35.24", 2000, seed=5, today=TODAY))
    for row in rows:
        assert row["NAMA_LGKP"] == row["NAMA_LGKP"].upper().strip()
        assert re.fullmatch(r"[A-Z]+( [A-Z]+)*", row["NAMA_LGKP"])
        assert re.fullmatch(r"[A-Z]+( [A-Z]+)*", row["NAMA_LGKP_IBU"])
        assert (row["NO_PROP"], row["NO_KAB"]) == ("35", "24")
        assert re.fullmatch(r"\d{16}", row["NO_KK"])
    assert len({row["NAMA_LGKP"] for row in rows}) > 500


def test_generator_works_for_another_regency():
    rows = list(synthetic.iter_people("33.74", 300, seed=1, today=TODAY))  # Kota Semarang
    assert {(r["NO_PROP"], r["NO_KAB"]) for r in rows} == {("33", "74")}
    assert all(nik_rules.parse(r["NIK"]) for r in rows)
    assert rows[0]["TMPT_LHR"] == "SEMARANG"


def test_demo_people():
    demo = synthetic.demo_people("35.24", today=datetime.date(2026, 11, 27))
    assert [p["NAMA_LGKP"] for p in demo] == [
        "BUDI SANTOSO", "SITI AMINAH", "AHMAD FAUZI", "RATNA WULANDARI", "EKO PRASETYO",
        "DIMAS ARYA PRATAMA",
    ]
    assert [p["NIK"] for p in demo[:5]] == [
        "3524011203850001",
        "3524026507900002",
        "3524030211720003",
        "3524047001010004",
        "3578051708880005",  # moved in from Surabaya
    ]
    assert {p["JENIS_KLMIN"] for p in demo} == {"LAKI-LAKI", "PEREMPUAN"}
    child = demo[-1]
    assert child["TGL_LHR"] == "01-01-2010"
    assert child["NAMA_LGKP_IBU"] == "SITI AMINAH"


def test_demo_child_is_under_17_whenever_the_demo_runs():
    days = (datetime.date(2026, 1, 1), datetime.date(2026, 11, 27), datetime.date(2031, 12, 31))
    for today in days:
        child = synthetic.demo_people("35.24", today=today)[-1]
        birth = parse_date(child["TGL_LHR"])
        age = today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))
        assert 15 <= age < 17
        assert nik_rules.parse(child["NIK"]).matches_birth_date(birth)


def test_fewer_rows_than_demo_people():
    assert len(list(synthetic.iter_people("35.24", 2, seed=0))) == 2


def test_runaway_quoted_field_stops_the_import(tmp_path):
    text = csv_text(people(3)) + '3524011203770009,"BUDI' + "X" * 200_000 + "\n"
    result = import_registry(write(tmp_path, text))
    assert not result.ok
    assert errors_of(result) == [(5, "")]
    assert "tidak dapat dibaca sebagai CSV" in result.errors[0].message
    assert not RegistryRecord.objects.exists()


def test_first_line_without_end_is_not_a_header(tmp_path):
    with pytest.raises(RegistryFileError):
        import_registry(write(tmp_path, "NIK," + "X" * 70_000))
