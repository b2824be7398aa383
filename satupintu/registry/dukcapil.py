"""Disdukcapil's per-field verification web service, as a `Verifier`.

The service is reached over the government network under a cooperation agreement (PKS); the
PKS annex, not public integration code, is the authority on its shape. What this adapter
relies on is written down once, in the README ("Disdukcapil web service: request/answer
contract") and in `satupintu.registry.testing`, the local fake that implements it.

Rules this module keeps, because the public integration code it replaces did not:

* TLS is always verified (`CA_BUNDLE` for the government network's private CA); plain http is
  refused unless the host is a loopback address (a local fake).
* Nothing is cached and nothing is stored here: the caller stores the `Verdict` only.
* An answer that is not exactly understood is an outage (`RegistryUnavailable`), never a match
  and never a guess. A "not found" is a no-match, not an outage.
* Logs carry the transaction id, the HTTP status and the error class; never a NIK, a name, a
  field value or the raw answer.

Failures are retried with exponential backoff and jitter only when a retry can help
(connection errors, timeouts, 502/503/504), inside a bounded total time. A circuit breaker kept
in Django's default cache, so every worker shares it, stops calling a service that keeps
failing and lets one probe through after the cooldown.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import re
import secrets
import time
import uuid
from dataclasses import dataclass
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from satupintu.identity.protection import normalise_name

from .base import Claim, RegistryNotConfigured, RegistryUnavailable, Verdict, Verifier

logger = logging.getLogger(__name__)

# Claim field -> the service's field name.
SERVICE_FIELDS = {
    "nik": "NIK",
    "full_name": "NAMA_LGKP",
    "birth_date": "TGL_LHR",
    "birth_place": "TMPT_LHR",
    "mother_name": "NAMA_LGKP_IBU",
}
# Sent so that the per-field answer tells domicile; never part of `Verdict.fields`.
DOMICILE_FIELDS = ("PROP_NAME", "KAB_NAME")
# Where an answer may carry the service's own transaction id (top level of the JSON object).
TRANSACTION_ID_KEYS = ("transaction_id", "TRANSACTION_ID", "trx_id", "TRX_ID")
REQUEST_ID_HEADER = "X-Request-ID"
# `RESPON` texts (after normalise_name) that mean "no such person": a no-match, not an outage.
# Any other `RESPON` (wrong credentials, unregistered IP, quota exhausted...) is an outage.
NOT_FOUND_RESPONSES = frozenset({"DATA TIDAK DITEMUKAN", "NIK TIDAK DITEMUKAN"})
RETRY_STATUSES = frozenset({502, 503, 504})
MAX_ANSWER_BYTES = 64 * 1024
_VERDICT = re.compile(r"^\s*(SESUAI|TIDAK\s+SESUAI)\s*(?:\(\s*\d{1,3}(?:[.,]\d+)?\s*\))?\s*$", re.I)
_TRANSACTION_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
_BREAKER_KEY = "registry:dukcapil:breaker:"
_random = secrets.SystemRandom()


@dataclass(frozen=True)
class _Config:
    url: str
    user_id: str
    password: str
    ip_user: str
    ca_bundle: str
    threshold: int
    connect_timeout: float
    read_timeout: float
    retries: int
    backoff: float
    backoff_max: float
    total_timeout: float
    breaker_failures: int
    breaker_cooldown: float
    prop_name: str
    kab_name: str

    def __repr__(self):  # The password must not reach a traceback.
        return f"_Config(url={self.url!r}, user_id={self.user_id!r}, password=<redacted>)"


def _config() -> _Config:
    """The settings, read per call so that a changed setting (or a test's) applies at once.

    Besides the keys in settings/base.py, SATUPINTU_DUKCAPIL may carry BACKOFF (first retry
    delay, seconds, default 0.5), BACKOFF_MAX (default 4), TOTAL_TIMEOUT (default: twice one
    attempt's connect + read timeout) and PROP_NAME/KAB_NAME (override `domicile_names`).
    """
    raw = getattr(settings, "SATUPINTU_DUKCAPIL", None) or {}
    url = (raw.get("URL") or "").strip()
    missing = [key for key in ("URL", "USER_ID", "PASSWORD", "IP_USER") if not raw.get(key)]
    if missing:
        logger.error("Dukcapil verifier not configured: missing %s", ", ".join(missing))
        raise RegistryNotConfigured("dukcapil: missing " + ", ".join(missing))
    _check_url(url)
    connect = float(raw.get("CONNECT_TIMEOUT", 3))
    read = float(raw.get("READ_TIMEOUT", 8))
    return _Config(
        url=url,
        user_id=str(raw["USER_ID"]),
        password=str(raw["PASSWORD"]),
        ip_user=str(raw["IP_USER"]),
        ca_bundle=raw.get("CA_BUNDLE") or "",
        threshold=int(raw.get("THRESHOLD", 90)),
        connect_timeout=connect,
        read_timeout=read,
        retries=max(0, int(raw.get("RETRIES", 2))),
        backoff=float(raw.get("BACKOFF", 0.5)),
        backoff_max=float(raw.get("BACKOFF_MAX", 4)),
        total_timeout=float(raw.get("TOTAL_TIMEOUT") or 2 * (connect + read)),
        breaker_failures=max(1, int(raw.get("BREAKER_FAILURES", 5))),
        breaker_cooldown=float(raw.get("BREAKER_COOLDOWN", 60)),
        prop_name=raw.get("PROP_NAME") or "",
        kab_name=raw.get("KAB_NAME") or "",
    )


def _check_url(url: str) -> None:
    """Credentials and identity data only travel encrypted, except to a fake on this machine."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.scheme == "https" and host:
        return
    if parts.scheme == "http" and _is_loopback(host):
        return
    logger.error(
        "Dukcapil verifier refused: SATUPINTU_DUKCAPIL URL must be https:// "
        "(plain http:// only to a loopback address); scheme=%s", parts.scheme or "-",
    )
    raise RegistryNotConfigured("dukcapil: URL must be https://")


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def domicile_names() -> tuple[str, str]:
    """This regency's PROP_NAME and KAB_NAME, in the form SIAK writes them.

    SIAK writes region names in upper case; a kabupaten by its bare name and a city with
    "KOTA" ("JAWA TIMUR", "LAMONGAN"; "KOTA SURABAYA"), DKI/DI provinces abbreviated ("DKI
    JAKARTA", "DI YOGYAKARTA"). Our names come from the Kemendagri dataset loaded by
    `init-regency`: `RegencySettings.province_name` and the regency's own `Region` row (its
    dataset name, "Kabupaten Lamongan"; `RegencySettings.name` is editable and may read
    "Pemerintah Kabupaten ..."). The service compares with a similarity score, so "KAB.
    LAMONGAN" against "LAMONGAN" would fail: if the PKS annex says otherwise, set PROP_NAME
    and KAB_NAME in SATUPINTU_DUKCAPIL rather than change this function.
    """
    from satupintu.regency.models import RegencySettings, Region

    config = RegencySettings.load()
    code = config.kemendagri_code
    region = (
        Region.objects.filter(kemendagri_code=code, level=Region.Level.REGENCY).first()
        if code else None
    )
    regency = region.name if region else config.name
    province = normalise_name(config.province_name)
    province = re.sub(r"^DAERAH KHUSUS IBUKOTA ", "DKI ", province)
    province = re.sub(r"^DAERAH KHUSUS ", "DK ", province)
    province = re.sub(r"^DAERAH ISTIMEWA ", "DI ", province)
    kab = normalise_name(regency)
    kab = re.sub(r"^(PEMERINTAH|PEMKAB|PEMKOT)\s+", "", kab)
    kab = re.sub(r"^(KABUPATEN|KAB)\s+(ADMINISTRASI\s+)?", "", kab)
    kab = re.sub(r"^KOTA\s+(ADMINISTRASI\s+)?", "KOTA ", kab)
    if not code or not province or not kab:
        logger.error("Dukcapil verifier not configured: run `satupintu init-regency` first")
        raise RegistryNotConfigured("dukcapil: regency not initialised")
    return province, kab


# --- circuit breaker -----------------------------------------------------------------------
# Keys in the default cache: FAILURES (consecutive failed calls), OPEN_UNTIL (wall-clock time,
# comparable across workers) and PROBE (held by the one call let through when half-open).


def _cache_call(operation, *args, default=None, **kwargs):
    """A broken cache must not break verification: the breaker then stays closed."""
    try:
        return operation(*args, **kwargs)
    except Exception as exc:  # any cache backend's error
        logger.warning("Dukcapil breaker state unavailable: error=%s", type(exc).__name__)
        return default


def breaker_state() -> dict:
    """For operators and tests: consecutive failures and when the breaker closes (or None)."""
    return {
        "failures": _cache_call(cache.get, _BREAKER_KEY + "failures", default=0) or 0,
        "open_until": _cache_call(cache.get, _BREAKER_KEY + "open_until"),
    }


def reset_breaker() -> None:
    _cache_call(
        cache.delete_many, [_BREAKER_KEY + key for key in ("failures", "open_until", "probe")]
    )


def _breaker_admit(cfg: _Config, transaction_id: str) -> bool:
    """Whether this call may reach the service; True also marks it as the half-open probe."""
    open_until = _cache_call(cache.get, _BREAKER_KEY + "open_until")
    if open_until is None:
        return False
    if time.time() < open_until:
        logger.warning(
            "Dukcapil verification unavailable: transaction=%s status=- error=BreakerOpen",
            transaction_id,
        )
        raise RegistryUnavailable("dukcapil: circuit breaker open")
    # Half-open: exactly one call goes through; the key expires should that call die.
    if _cache_call(
        cache.add, _BREAKER_KEY + "probe", transaction_id,
        timeout=int(cfg.total_timeout) + 5, default=True,
    ):
        return True
    logger.warning(
        "Dukcapil verification unavailable: transaction=%s status=- error=BreakerHalfOpen",
        transaction_id,
    )
    raise RegistryUnavailable("dukcapil: circuit breaker half-open, probe in flight")


def _breaker_success() -> None:
    if _cache_call(cache.get, _BREAKER_KEY + "failures") or _cache_call(
        cache.get, _BREAKER_KEY + "open_until"
    ):
        reset_breaker()


def _breaker_failure(cfg: _Config, probe: bool, transaction_id: str) -> None:
    key = _BREAKER_KEY + "failures"
    # Long enough to outlive the cooldown; a count this old no longer means "consecutive".
    keep = int(cfg.breaker_cooldown) * 10 + 3600
    _cache_call(cache.add, key, 0, timeout=keep)
    failures = _cache_call(cache.incr, key, default=None)
    if failures is None:
        return
    if probe or failures >= cfg.breaker_failures:
        _cache_call(
            cache.set, _BREAKER_KEY + "open_until", time.time() + cfg.breaker_cooldown,
            timeout=keep,
        )
        _cache_call(cache.delete, _BREAKER_KEY + "probe")
        logger.warning(
            "Dukcapil circuit breaker open for %ss after %d consecutive failures: transaction=%s",
            int(cfg.breaker_cooldown), failures, transaction_id,
        )


# --- one call --------------------------------------------------------------------------------


class _Failure(Exception):
    """An outage, described without any field value; `retry` when another try may help."""

    def __init__(self, error: str, status: int | None = None, retry: bool = False):
        super().__init__(error)
        self.error = error
        self.status = status
        self.retry = retry


class DukcapilVerifier(Verifier):
    name = "dukcapil"

    def verify(self, claim: Claim) -> Verdict:
        cfg = _config()
        prop_name, kab_name = (
            (cfg.prop_name, cfg.kab_name) if cfg.prop_name and cfg.kab_name else domicile_names()
        )
        request_id = uuid.uuid4().hex
        probe = _breaker_admit(cfg, request_id)
        sent = claim.sent_fields()
        payload = {
            "user_id": cfg.user_id,
            "password": cfg.password,
            "IP_USER": cfg.ip_user,
            "TRESHOLD": cfg.threshold,  # sic: the service's spelling
            **{SERVICE_FIELDS[name]: _service_value(claim, name) for name in sent},
            "PROP_NAME": prop_name,
            "KAB_NAME": kab_name,
        }
        try:
            answer, attempts = self._post(cfg, payload, request_id)
            transaction_id = _transaction_id(answer) or request_id
            fields, resident = _parse(answer, sent)
        except _Failure as failure:
            logger.warning(
                "Dukcapil verification unavailable: transaction=%s status=%s error=%s",
                request_id, failure.status or "-", failure.error,
            )
            _breaker_failure(cfg, probe, request_id)
            raise RegistryUnavailable(f"dukcapil: {failure.error}") from None
        _breaker_success()
        logger.info(
            "Dukcapil verification answered: transaction=%s attempts=%d", transaction_id, attempts
        )
        return Verdict(
            backend=self.name,
            transaction_id=transaction_id,
            checked_at=timezone.now(),
            fields=fields,
            resident=resident,
        )

    def _post(self, cfg: _Config, payload: dict, request_id: str) -> tuple[dict, int]:
        deadline = time.monotonic() + cfg.total_timeout
        attempt = 0
        with requests.Session() as session:
            # No proxies, netrc or REQUESTS_CA_BUNDLE from the environment: what is verified
            # and where the data goes is decided by these settings alone.
            session.trust_env = False
            while True:
                attempt += 1
                try:
                    return _answer(session, cfg, payload, request_id, deadline), attempt
                except _Failure as failure:
                    delay = _random.uniform(0.5, 1.0) * min(
                        cfg.backoff_max, cfg.backoff * 2 ** (attempt - 1)
                    )
                    out_of_time = (
                        time.monotonic() + delay + cfg.connect_timeout > deadline
                    )
                    if not failure.retry or attempt > cfg.retries or out_of_time:
                        raise
                    logger.info(
                        "Dukcapil verification retry: transaction=%s status=%s error=%s "
                        "attempt=%d", request_id, failure.status or "-", failure.error, attempt,
                    )
                    time.sleep(delay)


def _service_value(claim: Claim, name: str) -> str:
    if name == "nik":
        return claim.nik
    if name == "birth_date":
        return claim.birth_date.strftime("%d-%m-%Y")
    return normalise_name(getattr(claim, name))


def _answer(session, cfg: _Config, payload: dict, request_id: str, deadline: float) -> dict:
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise _Failure("DeadlineExceeded")
    timeout = (min(cfg.connect_timeout, remaining), min(cfg.read_timeout, remaining))
    status = None
    try:
        response = session.post(
            cfg.url,
            json=payload,
            headers={REQUEST_ID_HEADER: request_id, "Accept": "application/json"},
            timeout=timeout,
            verify=cfg.ca_bundle or True,
            allow_redirects=False,
            stream=True,
        )
        with response:
            status = response.status_code
            if status in RETRY_STATUSES:
                raise _Failure("HTTPError", status, retry=True)
            if status in (401, 403):
                raise _Failure("AuthenticationRefused", status)
            if status == 429:
                raise _Failure("QuotaExceeded", status)
            if status != 200:
                raise _Failure("HTTPError", status)
            body = bytearray()
            for chunk in response.iter_content(8192):
                body += chunk
                if len(body) > MAX_ANSWER_BYTES:
                    raise _Failure("AnswerTooLarge", status)
                if time.monotonic() > deadline:
                    raise _Failure("DeadlineExceeded", status)
    except requests.exceptions.SSLError:
        raise _Failure("SSLError", status) from None
    except (
        requests.exceptions.ConnectionError,
        requests.exceptions.Timeout,
        requests.exceptions.ChunkedEncodingError,
    ) as exc:
        raise _Failure(type(exc).__name__, status, retry=True) from None
    except requests.exceptions.RequestException as exc:
        raise _Failure(type(exc).__name__, status) from None
    try:
        answer = json.loads(bytes(body))
    except ValueError:  # JSON and Unicode errors; their text quotes the body, so drop it.
        raise _Failure("MalformedAnswer", status) from None
    if not isinstance(answer, dict):
        raise _Failure("UnexpectedAnswerShape", status)
    return answer


def _transaction_id(answer: dict) -> str:
    for key in TRANSACTION_ID_KEYS:
        value = answer.get(key)
        if isinstance(value, str | int) and not isinstance(value, bool):
            value = str(value)
            if _TRANSACTION_ID.match(value):
                return value
    return ""


def _parse(answer: dict, sent: list[str]) -> tuple[dict[str, bool], bool | None]:
    """Per-field booleans and residency, or _Failure for anything not exactly understood."""
    content = answer.get("content")
    if not isinstance(content, list) or len(content) != 1 or not isinstance(content[0], dict):
        raise _Failure("UnexpectedAnswerShape", 200)
    row = content[0]
    no_match = dict.fromkeys(sent, False)
    if "NIK" not in row:
        respon = row.get("RESPON")
        if not isinstance(respon, str):
            raise _Failure("UnexpectedAnswerShape", 200)
        if normalise_name(respon) in NOT_FOUND_RESPONSES:
            return no_match, None
        raise _Failure(_refusal(respon), 200)
    if _verdict(row["NIK"]) is False:
        # No such NIK: the other verdicts compare against nobody and mean nothing.
        return no_match, None
    fields = {name: _verdict(row.get(SERVICE_FIELDS[name])) for name in sent}
    domicile = [_verdict(row.get(key)) for key in DOMICILE_FIELDS]  # both must be valid
    return fields, all(domicile)


def _verdict(value) -> bool:
    if not isinstance(value, str):  # Missing (None) or not a verdict at all.
        raise _Failure("MissingOrUnknownVerdict", 200)
    match = _VERDICT.match(value)
    if not match:
        raise _Failure("MissingOrUnknownVerdict", 200)
    return match.group(1).upper() == "SESUAI"


def _refusal(respon: str) -> str:
    """A log-safe category of the service's refusal: its own text might quote what we sent."""
    text = normalise_name(respon)
    if "KUOTA" in text or "QUOTA" in text:
        return "QuotaExceeded"
    if any(word in text.split() for word in ("USER", "PASSWORD", "IP", "AKSES", "LOGIN")):
        return "AuthenticationRefused"
    return "ServiceRefusal"
