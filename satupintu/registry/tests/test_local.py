"""The local registry verifier: per-field verdicts from the imported extract's hashes.

Everyone here is invented (satupintu.registry.synthetic).
"""

import datetime
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from satupintu.registry import synthetic
from satupintu.registry.base import (
    Claim,
    RegistryUnavailable,
    Verdict,
    get_verifier,
)
from satupintu.registry.importer import import_registry, parse_date
from satupintu.registry.local import LocalRegistryVerifier
from satupintu.registry.models import RegistryCheck, RegistryExtract

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()
DEMO = synthetic.demo_people("35.24", TODAY)
BUDI, SITI, AHMAD, RATNA, EKO, DIMAS = DEMO
STRANGER = "3524011203770009"  # well-formed, in no extract


@pytest.fixture(autouse=True)
def _hash_key(settings):
    settings.SATUPINTU_IDENTITY_HASH_KEYS = ["registry-test-key"]
    return settings


def extract_csv(rows, columns=synthetic.COLUMNS):
    lines = [",".join(columns)]
    lines += [",".join(row[c] for c in columns) for row in rows]
    return "\n".join(lines) + "\n"


def load(rows=None, columns=synthetic.COLUMNS):
    rows = rows if rows is not None else list(synthetic.iter_people("35.24", 40, 3, TODAY))
    result = import_registry(io.StringIO(extract_csv(rows, columns)))
    assert result.ok, [str(e) for e in result.errors]
    return result.extract


@pytest.fixture
def registry():
    return load()


claim = synthetic.claim_for


def verify(c):
    return LocalRegistryVerifier().verify(c)


# --- Matches --------------------------------------------------------------------------------------
def test_full_match(registry):
    verdict = verify(claim(BUDI))
    assert isinstance(verdict, Verdict)
    assert verdict.backend == "local"
    assert verdict.fields == {
        "nik": True,
        "full_name": True,
        "birth_date": True,
        "birth_place": True,
        "mother_name": True,
    }
    assert verdict.matched
    assert verdict.resident is True
    assert verdict.domicile_code == "35.24.01.2001"
    assert re.fullmatch(r"[0-9a-f]{32}", verdict.transaction_id)
    assert abs((verdict.checked_at - datetime.datetime.now(datetime.UTC)).total_seconds()) < 60


def test_only_the_required_fields(registry):
    verdict = verify(claim(SITI, birth_place="", mother_name=""))
    assert verdict.fields == {"nik": True, "full_name": True, "birth_date": True}
    assert verdict.matched and verdict.resident is True


def test_name_is_compared_in_normal_form(registry):
    verdict = verify(claim(SITI, full_name="  siti   Aminah ", mother_name="Suparmi."))
    assert verdict.matched


def test_nik_with_separators(registry):
    verdict = verify(claim(BUDI, nik="3524 0112 0385 0001"))
    assert verdict.matched


def test_resident_with_a_surabaya_nik(registry):
    # EKO's NIK was first issued in Surabaya; the extract says where he lives now.
    verdict = verify(claim(EKO))
    assert EKO["NIK"].startswith("3578")
    assert verdict.matched and verdict.resident is True
    assert verdict.domicile_code == f"35.24.{int(EKO['NO_KEC']):02d}.{EKO['NO_KEL']}"


def test_transaction_ids_are_unique(registry):
    assert verify(claim(BUDI)).transaction_id != verify(claim(BUDI)).transaction_id


def test_verdict_can_be_recorded(registry):
    check = RegistryCheck.record(verify(claim(BUDI, full_name="BUDI SANTOSA")))
    check.refresh_from_db()
    assert check.fields["full_name"] is False and check.matched is False


# --- Mismatches -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("full_name", "BUDI SANTOSA"),
        ("birth_date", datetime.date(1985, 3, 13)),
        ("birth_place", "SURABAYA"),
        ("mother_name", "SUMINAH"),
    ],
)
def test_mismatch_per_field(registry, field, value):
    verdict = verify(claim(BUDI, **{field: value}))
    expected = {f: f != field for f in ("nik", "full_name", "birth_date", "birth_place",
                                        "mother_name")}
    assert verdict.fields == expected
    assert not verdict.matched
    # Nothing about domicile unless everything matched.
    assert verdict.resident is None
    assert verdict.domicile_code == ""


def test_unknown_nik_every_sent_field_false(registry):
    verdict = verify(claim(BUDI, nik=STRANGER))
    assert verdict.fields == dict.fromkeys(
        ("nik", "full_name", "birth_date", "birth_place", "mother_name"), False
    )
    assert not verdict.matched
    assert verdict.resident is None and verdict.domicile_code == ""
    short = verify(Claim(STRANGER, "BUDI SANTOSO", datetime.date(1985, 3, 12)))
    assert short.fields == {"nik": False, "full_name": False, "birth_date": False}


def test_someone_elses_details_do_not_match(registry):
    # SITI's details with BUDI's NIK: the NIK is known, only their shared birthplace agrees.
    verdict = verify(claim(SITI, nik=BUDI["NIK"]))
    assert verdict.fields == {
        "nik": True,
        "full_name": False,
        "birth_date": False,
        "birth_place": True,
        "mother_name": False,
    }
    assert not verdict.matched and verdict.resident is None


def test_field_absent_from_the_extract_cannot_match():
    load(DEMO, columns=("NIK", "NAMA_LGKP", "TGL_LHR", "NO_PROP", "NO_KAB", "NO_KEC", "NO_KEL"))
    verdict = verify(claim(BUDI))
    assert verdict.fields["birth_place"] is False and verdict.fields["mother_name"] is False
    assert verdict.fields["full_name"] is True
    assert verify(claim(BUDI, birth_place="", mother_name="")).matched


def test_extract_without_domicile_still_says_resident():
    load(DEMO, columns=("NIK", "NAMA_LGKP", "TGL_LHR"))
    verdict = verify(claim(BUDI, birth_place="", mother_name=""))
    assert verdict.matched and verdict.resident is True and verdict.domicile_code == ""


# --- Availability ---------------------------------------------------------------------------------
def test_no_extract_is_unavailable():
    with pytest.raises(RegistryUnavailable):
        verify(claim(BUDI))


def test_only_failed_or_loading_extracts_is_unavailable():
    RegistryExtract.objects.create(source_name="a.csv", status=RegistryExtract.Status.FAILED)
    RegistryExtract.objects.create(source_name="b.csv")  # loading
    RegistryExtract.objects.create(source_name="c.csv", status=RegistryExtract.Status.REPLACED)
    with pytest.raises(RegistryUnavailable):
        verify(claim(BUDI))


def test_unavailable_message_is_indonesian():
    assert "tidak tersedia" in str(RegistryUnavailable.message)


def test_backend_setting_selects_the_local_verifier(settings):
    settings.SATUPINTU_REGISTRY_BACKEND = "local"
    verifier = get_verifier()
    assert isinstance(verifier, LocalRegistryVerifier)
    assert verifier.name == "local" and verifier.accepts_typed_claims


# --- No leaks through the query count -------------------------------------------------------------
def test_same_queries_whether_or_not_the_nik_exists(registry):
    counts = []
    for c in (claim(BUDI), claim(BUDI, nik=STRANGER), claim(BUDI, full_name="X")):
        with CaptureQueriesContext(connection) as queries:
            verify(c)
        counts.append(len(queries))
    assert counts == [1, 1, 1]


def test_claim_values_never_reach_the_sql(registry):
    with CaptureQueriesContext(connection) as queries:
        verify(claim(BUDI))
    sql = " ".join(q["sql"] for q in queries)
    assert BUDI["NIK"] not in sql and "BUDI" not in sql and "SUMIATI" not in sql


# --- Hash key rotation ----------------------------------------------------------------------------
def test_lookup_with_a_second_hash_key(settings):
    load(DEMO)  # hashed under registry-test-key
    settings.SATUPINTU_IDENTITY_HASH_KEYS = ["new-key", "registry-test-key"]
    verdict = verify(claim(BUDI))
    assert verdict.matched, verdict.fields
    assert verify(claim(BUDI, full_name="BUDI SANTOSA")).fields["full_name"] is False
    assert not verify(claim(BUDI, nik=STRANGER)).matched
    # Once the old key is dropped the old extract is unreadable: import again.
    settings.SATUPINTU_IDENTITY_HASH_KEYS = ["new-key"]
    assert not verify(claim(BUDI)).matched
    load(DEMO)
    assert verify(claim(BUDI)).matched


def test_extract_imported_under_the_new_key_answers_during_rotation(settings):
    settings.SATUPINTU_IDENTITY_HASH_KEYS = ["new-key", "registry-test-key"]
    load(DEMO)
    assert verify(claim(AHMAD)).matched
    settings.SATUPINTU_IDENTITY_HASH_KEYS = ["new-key"]
    assert verify(claim(AHMAD)).matched


# --- The demo people ------------------------------------------------------------------------------
def test_demo_people_verify_against_a_generated_extract(tmp_path):
    path = tmp_path / "sintetis.csv"
    synthetic.write_csv(path, "35.24", 200, seed=9, today=TODAY)
    assert import_registry(path).ok
    for person in DEMO:
        assert verify(claim(person)).matched, person["NAMA_LGKP"]
    child = verify(claim(DIMAS))
    assert child.matched  # the age rule is the sign-up's business, not the registry's
    assert parse_date(DIMAS["TGL_LHR"]) > TODAY.replace(year=TODAY.year - 17)
    assert verify(claim(RATNA)).domicile_code.startswith("35.24.")
