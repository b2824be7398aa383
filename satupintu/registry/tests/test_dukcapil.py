"""The Disdukcapil adapter against the local fake of the service (satupintu.registry.testing).

The session database has Lamongan (35.24) loaded, so this installation's domicile is JAWA
TIMUR / LAMONGAN. Timeouts and backoff come from `FakeDukcapil.settings()` and are small.
"""

import datetime
import logging
import time

import pytest
import time_machine

from satupintu.registry import dukcapil
from satupintu.registry.base import (
    Claim,
    RegistryNotConfigured,
    RegistryUnavailable,
    get_verifier,
)
from satupintu.registry.dukcapil import DukcapilVerifier, breaker_state, domicile_names
from satupintu.registry.testing import FakeDukcapil, fake_dukcapil

pytestmark = pytest.mark.django_db

SITI = Claim(
    nik="3524015708900001",
    full_name="Siti Aminah",
    birth_date=datetime.date(1990, 8, 17),
    birth_place="Lamongan",
    mother_name="Khadijah",
)
AHMAD = Claim("3524100101800003", "Ahmad Fauzi", datetime.date(1980, 1, 1))
DEWI = Claim("3578016505950004", "Dewi Lestari", datetime.date(1995, 5, 25))
UNKNOWN = Claim("3524019999990009", "Tidak Ada", datetime.date(1999, 9, 9))


@pytest.fixture
def fake(settings):
    with fake_dukcapil(settings) as running:
        yield running


def verify(claim=SITI):
    return DukcapilVerifier().verify(claim)


def configure(settings, **overrides):
    settings.SATUPINTU_DUKCAPIL = {**settings.SATUPINTU_DUKCAPIL, **overrides}


# --- answers -----------------------------------------------------------------------------


def test_match_and_the_request_contract(fake):
    verdict = verify()

    assert verdict.backend == "dukcapil"
    assert verdict.matched is True
    assert verdict.fields == dict.fromkeys(SITI.sent_fields(), True)
    assert verdict.resident is True
    assert verdict.domicile_code == ""
    assert len(verdict.transaction_id) == 32
    assert abs((verdict.checked_at - datetime.datetime.now(datetime.UTC)).total_seconds()) < 5
    sent = fake.last_request
    assert sent.headers["X-Request-ID"] == verdict.transaction_id
    assert sent.payload == {
        "user_id": fake.user_id,
        "password": fake.password,
        "IP_USER": "127.0.0.1",
        "TRESHOLD": 90,
        "NIK": "3524015708900001",
        "NAMA_LGKP": "SITI AMINAH",
        "TGL_LHR": "17-08-1990",
        "TMPT_LHR": "LAMONGAN",
        "NAMA_LGKP_IBU": "KHADIJAH",
        "PROP_NAME": "JAWA TIMUR",
        "KAB_NAME": "LAMONGAN",
    }


def test_optional_fields_are_sent_only_when_given(fake):
    verdict = verify(AHMAD)

    assert set(verdict.fields) == {"nik", "full_name", "birth_date"}
    assert "TMPT_LHR" not in fake.last_request.payload
    assert "NAMA_LGKP_IBU" not in fake.last_request.payload


def test_a_name_within_the_threshold_matches_with_its_score(fake):
    claim = Claim(nik=SITI.nik, full_name="Siti Amina", birth_date=SITI.birth_date)

    assert verify(claim).fields["full_name"] is True


def test_one_field_mismatch_gives_booleans_only(fake):
    claim = Claim(
        nik=SITI.nik, full_name=SITI.full_name, birth_date=SITI.birth_date,
        birth_place=SITI.birth_place, mother_name="Maimunah",
    )
    verdict = verify(claim)

    assert verdict.matched is False
    assert verdict.fields == {
        "nik": True, "full_name": True, "birth_date": True, "birth_place": True,
        "mother_name": False,
    }
    assert all(type(value) is bool for value in verdict.fields.values())
    assert verdict.resident is True


def test_wrong_birth_date_is_a_mismatch(fake):
    claim = Claim(nik=SITI.nik, full_name=SITI.full_name, birth_date=datetime.date(1990, 8, 18))

    assert verify(claim).fields == {"nik": True, "full_name": True, "birth_date": False}


def test_unknown_nik_is_a_no_match_not_an_outage(fake):
    verdict = verify(UNKNOWN)

    assert verdict.matched is False
    assert verdict.fields == {"nik": False, "full_name": False, "birth_date": False}
    assert verdict.resident is None
    assert breaker_state()["failures"] == 0


def test_nik_tidak_sesuai_is_a_no_match(fake):
    fake.set_mode(FakeDukcapil.FIXED, body={"content": [{"NIK": "Tidak Sesuai"}]})

    verdict = verify()

    assert verdict.fields == dict.fromkeys(SITI.sent_fields(), False)
    assert verdict.resident is None


def test_domicile_is_told_by_the_registry_not_by_the_nik_prefix(fake):
    first_registered_here = verify(AHMAD)  # 3524..., lives in Surabaya
    moved_here = verify(DEWI)  # 3578..., lives in Lamongan

    assert first_registered_here.matched and first_registered_here.resident is False
    assert moved_here.matched and moved_here.resident is True
    assert "PROP_NAME" not in moved_here.fields and "KAB_NAME" not in moved_here.fields


def test_transaction_id_from_the_answer_when_it_carries_one(settings):
    with fake_dukcapil(settings, transaction_ids=True):
        assert verify().transaction_id == "FAKE-000001"


def test_domicile_names_overridden_in_settings(fake, settings):
    configure(settings, PROP_NAME="JAWA TIMUR", KAB_NAME="KAB. LAMONGAN")

    verdict = verify()

    assert fake.last_request.payload["KAB_NAME"] == "KAB. LAMONGAN"
    assert verdict.resident is False  # the fake's SIAK form is the bare name


# --- domicile names ----------------------------------------------------------------------


def test_domicile_names_of_this_regency():
    assert domicile_names() == ("JAWA TIMUR", "LAMONGAN")


def test_domicile_names_of_a_city_and_a_special_region():
    from satupintu.regency.models import RegencySettings

    config = RegencySettings.load()
    config.kemendagri_code = "34.71"  # no Region row: falls back to the configured name
    config.name = "Kota Yogyakarta"
    config.province_name = "Daerah Istimewa Yogyakarta"
    config.save()

    assert domicile_names() == ("DI YOGYAKARTA", "KOTA YOGYAKARTA")


def test_uninitialised_regency_is_not_configured(fake):
    from satupintu.regency.models import RegencySettings

    config = RegencySettings.load()
    config.province_name = ""
    config.save()

    with pytest.raises(RegistryNotConfigured):
        verify()
    assert fake.request_count == 0


# --- outages -----------------------------------------------------------------------------


def test_slow_service_is_unavailable_within_the_timeout_budget(fake, settings):
    fake.set_mode(FakeDukcapil.SLOW)
    config = settings.SATUPINTU_DUKCAPIL
    budget = 2 * (config["CONNECT_TIMEOUT"] + config["READ_TIMEOUT"])

    started = time.monotonic()
    with pytest.raises(RegistryUnavailable):
        verify()
    elapsed = time.monotonic() - started

    assert elapsed < budget + 0.5
    assert fake.request_count == 3  # timeouts are retried (RETRIES=2)


def test_total_timeout_bounds_the_retries(fake, settings):
    configure(settings, RETRIES=10, TOTAL_TIMEOUT=1.2)
    fake.set_mode(FakeDukcapil.SLOW)

    started = time.monotonic()
    with pytest.raises(RegistryUnavailable):
        verify()

    assert time.monotonic() - started < 1.2 + 0.5
    assert fake.request_count < 11


def test_500_is_not_retried(fake):
    fake.set_mode(FakeDukcapil.ERROR, status=500)

    with pytest.raises(RegistryUnavailable):
        verify()
    assert fake.request_count == 1


@pytest.mark.parametrize("status", [502, 503, 504])
def test_gateway_errors_are_retried_then_unavailable(fake, status):
    fake.set_mode(FakeDukcapil.ERROR, status=status)

    with pytest.raises(RegistryUnavailable):
        verify()
    assert fake.request_count == 3


def test_a_503_then_success_succeeds(fake):
    fake.set_mode(FakeDukcapil.ERROR, status=503, times=1)

    verdict = verify()

    assert verdict.matched is True
    assert fake.request_count == 2
    assert breaker_state()["failures"] == 0


def test_dropped_connection_is_retried(fake):
    fake.set_mode(FakeDukcapil.DROP, times=1)

    assert verify().matched is True
    assert fake.request_count == 2


def test_dropped_connections_end_unavailable(fake):
    fake.set_mode(FakeDukcapil.DROP)

    with pytest.raises(RegistryUnavailable):
        verify()
    assert fake.request_count == 3


@pytest.mark.parametrize(
    ("mode", "status"),
    [
        (FakeDukcapil.MALFORMED, None),
        (FakeDukcapil.WRONG_SHAPE, None),
        (FakeDukcapil.AUTH_REFUSED, None),
        (FakeDukcapil.QUOTA, None),
        (FakeDukcapil.ERROR, 400),
        (FakeDukcapil.ERROR, 401),
        (FakeDukcapil.ERROR, 403),
        (FakeDukcapil.ERROR, 429),
        (FakeDukcapil.ERROR, 302),
    ],
)
def test_refusals_and_bad_answers_are_unavailable_without_retry(fake, mode, status):
    fake.set_mode(mode, status=status or 500)

    with pytest.raises(RegistryUnavailable):
        verify()
    assert fake.request_count == 1


@pytest.mark.parametrize(
    "overrides",
    [{"PASSWORD": "salah"}, {"USER_ID": "orang-lain"}, {"IP_USER": "10.0.0.9"}],
)
def test_credentials_refused_by_the_service(fake, settings, overrides):
    configure(settings, **overrides)

    with pytest.raises(RegistryUnavailable):
        verify()


FULL_ROW = {
    "NIK": "Sesuai", "NAMA_LGKP": "Sesuai", "TGL_LHR": "Sesuai", "TMPT_LHR": "Sesuai",
    "NAMA_LGKP_IBU": "Sesuai", "PROP_NAME": "Sesuai", "KAB_NAME": "Sesuai",
}


def without(key):
    return {k: v for k, v in FULL_ROW.items() if k != key}


@pytest.mark.parametrize(
    "body",
    [
        [FULL_ROW],
        {"content": []},
        {"content": [FULL_ROW, FULL_ROW]},
        {"content": ["Sesuai"]},
        {"content": [without("NAMA_LGKP_IBU")]},
        {"content": [without("KAB_NAME")]},
        {"content": [{**FULL_ROW, "TGL_LHR": "Cocok"}]},
        {"content": [{**FULL_ROW, "NAMA_LGKP": True}]},
        {"content": [{**FULL_ROW, "PROP_NAME": "Sesuai sebagian"}]},
        {"content": [{**FULL_ROW, "NIK": "Mungkin"}]},
        {"content": [{"RESPON": "Terjadi kesalahan"}]},
        {"content": [{"RESPON": "User tidak ditemukan"}]},
        {"content": [{"RESPON": 5}]},
        {"content": [{}]},
    ],
    ids=[
        "list", "empty", "two-rows", "row-not-object", "missing-sent-field", "missing-domicile",
        "unknown-verdict", "boolean-verdict", "almost-verdict", "unknown-nik-verdict",
        "unknown-respon", "user-not-found", "respon-not-text", "empty-row",
    ],
)
def test_answers_not_exactly_understood_are_unavailable(fake, body):
    fake.set_mode(FakeDukcapil.FIXED, body=body)

    with pytest.raises(RegistryUnavailable):
        verify()
    assert fake.request_count == 1


def test_scores_and_case_in_verdicts_are_understood(fake):
    fake.set_mode(
        FakeDukcapil.FIXED,
        body={
            "content": [
                {
                    **FULL_ROW, "NAMA_LGKP": "Sesuai (96)", "TMPT_LHR": "TIDAK SESUAI (59)",
                    "NAMA_LGKP_IBU": "tidak sesuai", "KAB_NAME": "Sesuai(100)",
                }
            ]
        },
    )

    verdict = verify()

    assert verdict.fields == {
        "nik": True, "full_name": True, "birth_date": True, "birth_place": False,
        "mother_name": False,
    }
    assert verdict.resident is True


def test_verdicts_for_fields_not_sent_are_ignored(fake):
    fake.set_mode(FakeDukcapil.FIXED, body={"content": [FULL_ROW]})

    assert verify(AHMAD).fields == {"nik": True, "full_name": True, "birth_date": True}


# --- circuit breaker ---------------------------------------------------------------------


def open_breaker(fake, settings):
    configure(settings, RETRIES=0, BREAKER_FAILURES=3, BREAKER_COOLDOWN=30)
    fake.set_mode(FakeDukcapil.ERROR, status=500)
    for _ in range(3):
        with pytest.raises(RegistryUnavailable):
            verify()
    assert fake.request_count == 3


def test_breaker_opens_after_consecutive_failures_and_fails_fast(fake, settings):
    open_breaker(fake, settings)
    fake.set_mode(FakeDukcapil.NORMAL)

    started = time.monotonic()
    for _ in range(5):
        with pytest.raises(RegistryUnavailable):
            verify()

    assert time.monotonic() - started < 0.5
    assert fake.request_count == 3  # nothing reached the service


def test_breaker_lets_one_probe_through_after_the_cooldown_and_closes(fake, settings):
    open_breaker(fake, settings)
    fake.set_mode(FakeDukcapil.NORMAL)

    with time_machine.travel(time.time() + 31):
        assert verify().matched is True
        assert fake.request_count == 4
        assert breaker_state() == {"failures": 0, "open_until": None}
        assert verify().matched is True
        assert fake.request_count == 5


def test_a_failed_probe_opens_the_breaker_again(fake, settings):
    open_breaker(fake, settings)

    with time_machine.travel(time.time() + 31):
        with pytest.raises(RegistryUnavailable):
            verify()
        assert fake.request_count == 4
        fake.set_mode(FakeDukcapil.NORMAL)
        with pytest.raises(RegistryUnavailable):
            verify()
        assert fake.request_count == 4


def test_half_open_lets_only_one_call_through(fake, settings):
    open_breaker(fake, settings)
    cache_key = dukcapil._BREAKER_KEY + "probe"
    from django.core.cache import cache

    with time_machine.travel(time.time() + 31):
        cache.add(cache_key, "another-worker", timeout=10)  # a probe already in flight
        with pytest.raises(RegistryUnavailable):
            verify()
    assert fake.request_count == 3


def test_success_resets_the_failure_count(fake, settings):
    configure(settings, RETRIES=0, BREAKER_FAILURES=3)
    fake.set_mode(FakeDukcapil.ERROR, status=500, times=2)
    for _ in range(2):
        with pytest.raises(RegistryUnavailable):
            verify()
    assert breaker_state()["failures"] == 2

    verify()
    fake.set_mode(FakeDukcapil.ERROR, status=500, times=2)
    for _ in range(2):
        with pytest.raises(RegistryUnavailable):
            verify()

    assert verify().matched is True  # two failures after a success do not open it
    assert fake.request_count == 6


def test_no_matches_do_not_open_the_breaker(fake, settings):
    configure(settings, BREAKER_FAILURES=2)
    for _ in range(4):
        assert verify(UNKNOWN).matched is False
    assert fake.request_count == 4


# --- TLS and configuration ---------------------------------------------------------------


def test_tls_with_the_ca_bundle_works(settings):
    with fake_dukcapil(settings, https=True) as fake:
        assert fake.url.startswith("https://127.0.0.1:")
        assert verify().matched is True


def test_tls_certificate_not_in_the_bundle_is_unavailable(settings, caplog):
    with fake_dukcapil(settings, https=True, config={"CA_BUNDLE": ""}) as fake:
        with (
            caplog.at_level(logging.WARNING, logger="satupintu.registry.dukcapil"),
            pytest.raises(RegistryUnavailable),
        ):
            verify()
        assert fake.request_count == 0
    assert any("error=SSLError" in record.getMessage() for record in caplog.records)


@pytest.mark.parametrize(
    "url",
    [
        "http://dukcapil.example.go.id/verify",
        "http://10.1.2.3/verify",
        "http://127.0.0.1.example.com/verify",
        "ftp://127.0.0.1/verify",
        "dukcapil.example.go.id/verify",
        "https:///verify",
    ],
)
def test_unencrypted_url_to_a_remote_host_is_refused(fake, settings, url, caplog):
    configure(settings, URL=url)

    with pytest.raises(RegistryNotConfigured):
        verify()
    assert fake.request_count == 0
    assert any(record.levelno == logging.ERROR for record in caplog.records)


@pytest.mark.parametrize("host", ["localhost", "[::1]", "127.0.0.1"])
def test_plain_http_to_loopback_is_allowed(host):
    dukcapil._check_url(f"http://{host}:8000/verify")


@pytest.mark.parametrize(
    "config",
    [
        {},
        {"URL": "", "USER_ID": "", "PASSWORD": "", "IP_USER": ""},
        {"URL": "https://dukcapil.example.go.id/verify", "USER_ID": "u", "IP_USER": "10.0.0.1"},
        {"USER_ID": "u", "PASSWORD": "p", "IP_USER": "10.0.0.1"},
    ],
)
def test_missing_settings_are_not_configured(settings, config):
    settings.SATUPINTU_DUKCAPIL = config

    with pytest.raises(RegistryNotConfigured):
        verify()


def test_get_verifier_selects_this_adapter(settings):
    settings.SATUPINTU_REGISTRY_BACKEND = "dukcapil"

    assert isinstance(get_verifier(), DukcapilVerifier)


def test_nothing_is_cached(fake):
    verify()
    verify()

    assert fake.request_count == 2


# --- logs --------------------------------------------------------------------------------

SECRETS = (
    SITI.nik, "SITI AMINAH", "Siti Aminah", "KHADIJAH", "Khadijah", "17-08-1990", "1990-08-17",
    "kata-sandi-uji", "Maimunah", "MAIMUNAH",
)


def scenario_breaker(fake, settings):
    configure(settings, RETRIES=0, BREAKER_FAILURES=1)
    fake.set_mode(FakeDukcapil.ERROR, status=503)
    for _ in range(2):
        with pytest.raises(RegistryUnavailable):
            verify()


SCENARIOS = {
    "match": lambda fake, settings: verify(),
    "mismatch": lambda fake, settings: verify(
        Claim(nik=SITI.nik, full_name="Siti Aminah", birth_date=SITI.birth_date,
              mother_name="Maimunah")
    ),
    "not-found": lambda fake, settings: verify(
        Claim(nik=SITI.nik[:-1] + "8", full_name="Siti Aminah", birth_date=SITI.birth_date)
    ),
    "slow": (FakeDukcapil.SLOW, None),
    "500": (FakeDukcapil.ERROR, 500),
    "503": (FakeDukcapil.ERROR, 503),
    "malformed": (FakeDukcapil.MALFORMED, None),
    "wrong-shape": (FakeDukcapil.WRONG_SHAPE, None),
    "auth": (FakeDukcapil.AUTH_REFUSED, None),
    "quota": (FakeDukcapil.QUOTA, None),
    "drop": (FakeDukcapil.DROP, None),
    "echoing-refusal": (
        FakeDukcapil.FIXED, {"content": [{"RESPON": "NIK 3524015708900001 SITI AMINAH diblokir"}]}
    ),
    "breaker": scenario_breaker,
}


@pytest.mark.parametrize("name", SCENARIOS)
def test_no_field_value_in_any_log_record(fake, settings, caplog, name):
    scenario = SCENARIOS[name]
    caplog.set_level(logging.DEBUG)
    if callable(scenario):
        scenario(fake, settings)
    else:
        mode, extra = scenario
        fake.set_mode(mode, status=extra if isinstance(extra, int) else 500,
                      body=extra if isinstance(extra, dict) else None)
        with pytest.raises(RegistryUnavailable) as raised:
            verify()
        text = f"{raised.value!s} {raised.value!r} {raised.value.__cause__!r}"
        assert not [secret for secret in SECRETS if secret in text]

    assert caplog.records
    for record in caplog.records:
        rendered = f"{record.getMessage()} {record.args!r} {record.exc_text or ''}"
        leaked = [secret for secret in SECRETS if secret in rendered]
        assert not leaked, (record.name, leaked)
    if name not in ("match", "mismatch", "not-found"):
        assert any(
            record.levelno == logging.WARNING and "transaction=" in record.getMessage()
            for record in caplog.records
        )


@pytest.mark.django_db
def test_serve_fake_dukcapil_prints_the_settings_for_the_demo(monkeypatch, portal):
    import io

    from django.core.management import call_command

    from satupintu.registry.management.commands import serve_fake_dukcapil

    def stop(_seconds):
        raise KeyboardInterrupt

    monkeypatch.setattr(serve_fake_dukcapil.time, "sleep", stop)
    out = io.StringIO()
    call_command("serve_fake_dukcapil", "--port", "0", stdout=out)
    text = out.getvalue()
    assert "SATUPINTU_DUKCAPIL_URL=http://127.0.0.1:" in text
    assert "(6 people)" in text
