"""Signing in at an upstream OpenID provider (INApas or another) as one more way to prove who
someone is, keyed on (issuer, subject).

The provider has checked the person against the population registry, so what it asserts (the
NIK, the name, the birth date) is registry-grade evidence, and its `sub` is a stable key for the
person at that provider. The rules below exist because each one closes a known hole:

* the provider is found through its discovery document, and that document must name exactly the
  configured issuer (OpenID Connect Discovery 4.3), so a compromised or mistyped URL cannot hand
  us another provider's endpoints; TLS is always verified (a private CA goes in `CA_BUNDLE`) and
  plain http is allowed for loopback hosts only, which is what the tests need;
* authorization code flow with PKCE S256, `state` and `nonce` kept in our session: a code stolen
  on the way back is useless without the verifier, a callback we did not start is refused
  (login CSRF), and an id_token replayed from another sign-in fails the nonce;
* the id_token's signature is checked against the provider's JWKS with asymmetric algorithms
  only (never `none`, never HMAC with a shared secret), then `iss`, `aud`, `azp`, `exp`, `iat`;
* the NIK is kept out of URLs, logs and messages, and between the callback and the consent page
  the verified claims wait in the session encrypted with the identity key, never the id_token;
* an account that already exists for the NIK but was never linked to this provider may have been
  opened by someone who only knew the leaked NIK, name and birth date: linking it is a reclaim,
  which ends every other session and tells the account's confirmed contact.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
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
from authlib.integrations.base_client import OAuthError
from authlib.integrations.requests_client import OAuth2Session
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice
from joserfc import jwt
from joserfc.errors import InvalidKeyIdError, JoseError
from joserfc.jwk import KeySet

from satupintu.identity import nik as nik_rules
from satupintu.identity import protection
from satupintu.registry.base import Verdict
from satupintu.registry.models import RegistryCheck

from . import accounts, audit, codes, sessions
from .models import Citizen, KnownDevice, SecurityEvent, UpstreamIdentity

log = logging.getLogger(__name__)

AUTH_SESSION = "satupintu_upstream_auth"
CONSENT_SESSION = "satupintu_upstream_consent"
# How long a started sign-in (and a consent page) stays usable.
LIFETIME = 10 * 60
# Discovery document and keys: short enough that a key rotation at the provider is picked up
# within minutes, long enough that a burst of sign-ins costs one fetch.
CACHE_SECONDS = 5 * 60
TIMEOUT = (3, 10)
# Clock skew tolerated on exp/iat.
LEEWAY = 60
AMR = ["fed"]
# Asymmetric only: with HMAC the client secret would become a signing key.
ALGORITHMS = [
    "RS256",
    "RS384",
    "RS512",
    "PS256",
    "PS384",
    "PS512",
    "ES256",
    "ES384",
    "ES512",
    "EdDSA",
    "Ed25519",
]
_ERROR_CODE = re.compile(r"[a-z_]{1,40}")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class UpstreamError(Exception):
    """A sign-in that must not go on. `code` names the reason for logs and tests and never
    carries personal data; `message` is what the citizen reads; `status` is the HTTP status."""

    def __init__(self, code: str, message: str, status: int = 400):
        super().__init__(code)
        self.code = code
        self.message = message
        self.status = status

    def __str__(self):
        return self.code


# --- Configuration --------------------------------------------------------------------------


def _config() -> dict:
    return settings.SATUPINTU_UPSTREAM_OIDC


def is_configured() -> bool:
    config = _config()
    return bool(config.get("ISSUER") and config.get("CLIENT_ID"))


def provider_name() -> str:
    return _config().get("NAME") or "INApas"


def identity_source(issuer: str) -> str:
    return f"upstream:{issuer}"


def _verify():
    return _config().get("CA_BUNDLE") or True


def _allowed_url(url) -> bool:
    """https everywhere; http only for loopback hosts (a provider run by the tests)."""
    if not isinstance(url, str):
        return False
    parts = urlsplit(url)
    if not parts.hostname:
        return False
    if parts.scheme == "https":
        return True
    if parts.scheme != "http":
        return False
    if parts.hostname == "localhost":
        return True
    try:
        return ipaddress.ip_address(parts.hostname).is_loopback
    except ValueError:
        return False


def redirect_uri(request) -> str:
    """Always the unprefixed (Indonesian) address: the provider compares it exactly with the
    one registered, so it must not change with the interface language."""
    with translation.override(settings.LANGUAGE_CODE):
        return request.build_absolute_uri(reverse("citizens:upstream_callback"))


# --- Messages -------------------------------------------------------------------------------


def _unavailable(code):
    return UpstreamError(
        code,
        _("%(name)s sedang tidak dapat dihubungi. Silakan coba lagi beberapa saat lagi.")
        % {"name": provider_name()},
        status=502,
    )


def _failed(code):
    return UpstreamError(
        code,
        _(
            "Masuk melalui %(name)s tidak berhasil karena jawaban dari %(name)s tidak dapat "
            "dipastikan keasliannya. Silakan coba lagi."
        )
        % {"name": provider_name()},
    )


def expired_error(code="state_missing"):
    return UpstreamError(
        code,
        _(
            "Proses masuk tidak dikenali atau sudah kedaluwarsa. Silakan mulai lagi dari "
            "halaman masuk."
        ),
    )


def unexpected_error():
    return UpstreamError(
        "unexpected",
        _("Terjadi kesalahan saat masuk melalui %(name)s. Silakan coba lagi.")
        % {"name": provider_name()},
        status=500,
    )


# --- Discovery and keys ---------------------------------------------------------------------


def _cache_key(kind: str, issuer: str) -> str:
    return f"upstream-oidc:{kind}:{hashlib.sha256(issuer.encode()).hexdigest()[:32]}"


def _fetch_json(url: str, code: str) -> dict:
    try:
        response = requests.get(
            url,
            timeout=TIMEOUT,
            verify=_verify(),
            allow_redirects=False,
            headers={"Accept": "application/json"},
        )
        if response.status_code != 200:
            raise _unavailable(f"{code}_status_{response.status_code}")
        data = response.json()
    except requests.RequestException as exc:
        raise _unavailable(f"{code}_{type(exc).__name__}") from None
    except ValueError:
        raise _unavailable(f"{code}_not_json") from None
    if not isinstance(data, dict):
        raise _unavailable(f"{code}_not_object")
    return data


def metadata() -> dict:
    """The provider's discovery document, checked, from the cache when fresh."""
    issuer = _config()["ISSUER"]
    if not _allowed_url(issuer):
        raise _unavailable("issuer_not_https")
    key = _cache_key("meta", issuer)
    meta = cache.get(key)
    if meta is None:
        meta = _fetch_json(f"{issuer.rstrip('/')}/.well-known/openid-configuration", "discovery")
        if meta.get("issuer") != issuer:
            raise _unavailable("discovery_issuer_mismatch")
        for name in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
            if not _allowed_url(meta.get(name)):
                raise _unavailable(f"discovery_{name}")
        if meta.get("userinfo_endpoint") and not _allowed_url(meta["userinfo_endpoint"]):
            raise _unavailable("discovery_userinfo_endpoint")
        cache.set(key, meta, CACHE_SECONDS)
    return meta


def signing_keys(meta: dict, refresh: bool = False) -> KeySet:
    """The provider's public signing keys. `refresh` skips the cache: an unknown `kid` means
    the provider has rotated its keys since we last looked."""
    key = _cache_key("jwks", _config()["ISSUER"])
    data = None if refresh else cache.get(key)
    if data is None:
        data = _fetch_json(meta["jwks_uri"], "jwks")
        cache.set(key, data, CACHE_SECONDS)
    keys = [
        k
        for k in data.get("keys") or []
        if isinstance(k, dict) and k.get("kty") in ("RSA", "EC", "OKP") and k.get("use") != "enc"
    ]
    try:
        return KeySet.import_key_set({"keys": keys})
    except (JoseError, ValueError, TypeError):
        raise _unavailable("jwks_unusable") from None


def _decode_signed(value: str, meta: dict):
    try:
        try:
            return jwt.decode(value, signing_keys(meta), algorithms=ALGORITHMS).claims
        except InvalidKeyIdError:
            return jwt.decode(value, signing_keys(meta, refresh=True), algorithms=ALGORITHMS).claims
    except JoseError as exc:
        raise _failed(f"signature_{type(exc).__name__}") from None
    except (ValueError, TypeError):
        raise _failed("signature_malformed") from None


# --- The sign-in round trip -----------------------------------------------------------------


def _client(request, meta: dict) -> OAuth2Session:
    config = _config()
    secret = config.get("CLIENT_SECRET") or None
    method = "none"
    if secret:
        supported = meta.get("token_endpoint_auth_methods_supported") or ["client_secret_basic"]
        method = (
            "client_secret_post"
            if "client_secret_basic" not in supported and "client_secret_post" in supported
            else "client_secret_basic"
        )
    scopes = (config.get("SCOPE") or "openid").split()
    if "openid" not in scopes:
        scopes.insert(0, "openid")
    return OAuth2Session(
        client_id=config["CLIENT_ID"],
        client_secret=secret,
        token_endpoint_auth_method=method,
        scope=" ".join(scopes),
        redirect_uri=redirect_uri(request),
        code_challenge_method="S256",
        verify=_verify(),
        default_timeout=TIMEOUT,
    )


def begin(request, next_url: str) -> str:
    """Remember a fresh state, nonce and PKCE verifier in the session; return the provider's
    authorization URL to send the browser to."""
    meta = metadata()
    state = secrets.token_urlsafe(32)
    nonce = secrets.token_urlsafe(32)
    verifier = secrets.token_urlsafe(48)  # 64 characters of the RFC 7636 alphabet
    request.session[AUTH_SESSION] = {
        "state": state,
        "nonce": nonce,
        "verifier": verifier,
        "at": time.time(),
        "next": next_url,
        "lang": translation.get_language() or settings.LANGUAGE_CODE,
    }
    url, _state = _client(request, meta).create_authorization_url(
        meta["authorization_endpoint"], state=state, code_verifier=verifier, nonce=nonce
    )
    return url


def take_pending(request):
    """The started sign-in, removed from the session: a callback is good for one try."""
    pending = request.session.pop(AUTH_SESSION, None)
    if not isinstance(pending, dict) or time.time() - pending.get("at", 0) > LIFETIME:
        return None
    return pending


@dataclass(frozen=True)
class Proven:
    """What the provider proved about the person, after every check."""

    issuer: str
    subject: str
    nik: str  # the 16 digits
    full_name: str
    # From the `birthdate` claim; None when the provider did not send one.
    birth_date: datetime.date | None
    email: str  # only when the provider says it is verified

    def __repr__(self):  # Tracebacks and debug output must never carry the NIK or the name.
        return "Proven(<redacted>)"

    @property
    def parsed_nik(self) -> nik_rules.NIK:
        return nik_rules.parse(self.nik)

    @property
    def effective_birth_date(self) -> datetime.date | None:
        """The claimed birth date, else the one encoded in the NIK."""
        return self.birth_date or self.parsed_nik.birth_date(timezone.localdate())

    def dump(self) -> str:
        return protection.encrypt(
            json.dumps(
                {
                    "issuer": self.issuer,
                    "subject": self.subject,
                    "nik": self.nik,
                    "full_name": self.full_name,
                    "birth_date": self.birth_date.isoformat() if self.birth_date else "",
                    "email": self.email,
                }
            )
        )

    @classmethod
    def load(cls, token: str) -> Proven:
        data = json.loads(protection.decrypt(token))
        return cls(
            issuer=data["issuer"],
            subject=data["subject"],
            nik=data["nik"],
            full_name=data["full_name"],
            birth_date=datetime.date.fromisoformat(data["birth_date"])
            if data["birth_date"]
            else None,
            email=data["email"],
        )


def finish(request, pending) -> Proven:
    """Check the provider's answer, redeem the code and verify everything it says."""
    config = _config()
    if pending is None:
        raise expired_error()
    if not hmac.compare_digest(
        str(request.GET.get("state", "")).encode(), pending["state"].encode()
    ):
        raise expired_error("state_mismatch")
    meta = metadata()
    # RFC 9207: the answer names who sent it, so a mix-up with another provider shows.
    returned_issuer = request.GET.get("iss")
    if returned_issuer is not None and returned_issuer != config["ISSUER"]:
        raise _failed("response_issuer_mismatch")
    if returned_issuer is None and meta.get("authorization_response_iss_parameter_supported"):
        raise _failed("response_issuer_missing")
    error = request.GET.get("error")
    if error:
        code = error if _ERROR_CODE.fullmatch(error) else "other"
        if code == "access_denied":
            raise UpstreamError(
                "provider_access_denied",
                _("Proses masuk di %(name)s dibatalkan. Anda dapat mencoba lagi kapan saja.")
                % {"name": provider_name()},
            )
        raise UpstreamError(
            f"provider_{code}",
            _("%(name)s tidak menyelesaikan proses masuk. Silakan coba lagi.")
            % {"name": provider_name()},
        )
    code = request.GET.get("code")
    if not code:
        raise _failed("code_missing")

    client = _client(request, meta)
    try:
        token = client.fetch_token(
            meta["token_endpoint"],
            grant_type="authorization_code",
            code=code,
            code_verifier=pending["verifier"],
            allow_redirects=False,
        )
    except OAuthError as exc:
        error = getattr(exc, "error", "") or ""
        raise _failed(f"token_{error if _ERROR_CODE.fullmatch(error) else 'refused'}") from None
    except requests.RequestException as exc:
        raise _unavailable(f"token_{type(exc).__name__}") from None
    except ValueError:
        raise _failed("token_malformed") from None
    id_token = token.get("id_token")
    if not isinstance(id_token, str):
        raise _failed("id_token_missing")
    claims = verify_id_token(id_token, meta, pending["nonce"])
    return _proven(claims, client, meta)


def verify_id_token(id_token: str, meta: dict, nonce: str) -> dict:
    config = _config()
    claims = _decode_signed(id_token, meta)
    registry = jwt.JWTClaimsRegistry(
        leeway=LEEWAY,
        iss={"essential": True, "value": config["ISSUER"]},
        sub={"essential": True},
        aud={"essential": True, "value": config["CLIENT_ID"]},
        exp={"essential": True},
        iat={"essential": True},
        nonce={"essential": True},
    )
    try:
        registry.validate(claims)
    except JoseError as exc:
        raise _failed(f"id_token_{getattr(exc, 'claim', '') or type(exc).__name__}") from None
    audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
    if "azp" in claims and claims["azp"] != config["CLIENT_ID"]:
        raise _failed("id_token_azp")
    if len(audiences) > 1 and "azp" not in claims:
        raise _failed("id_token_azp_missing")
    if claims["iat"] < time.time() - LIFETIME - LEEWAY:
        raise _failed("id_token_stale")
    if not isinstance(claims["nonce"], str) or not hmac.compare_digest(
        claims["nonce"].encode(), nonce.encode()
    ):
        raise _failed("id_token_nonce")
    return claims


def _userinfo(client: OAuth2Session, meta: dict, subject: str) -> dict:
    endpoint = meta.get("userinfo_endpoint")
    if not endpoint:
        return {}
    try:
        response = client.get(
            endpoint, allow_redirects=False, headers={"Accept": "application/json"}
        )
    except OAuthError:
        raise _failed("userinfo_token") from None
    except requests.RequestException as exc:
        raise _unavailable(f"userinfo_{type(exc).__name__}") from None
    if response.status_code != 200:
        raise _failed(f"userinfo_status_{response.status_code}")
    content_type = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
    if content_type == "application/jwt":
        claims = _decode_signed(response.text, meta)
        config = _config()
        if "iss" in claims and claims["iss"] != config["ISSUER"]:
            raise _failed("userinfo_iss")
        if "aud" in claims:
            audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
            if config["CLIENT_ID"] not in audiences:
                raise _failed("userinfo_aud")
    else:
        try:
            claims = response.json()
        except ValueError:
            raise _failed("userinfo_not_json") from None
    if not isinstance(claims, dict):
        raise _failed("userinfo_not_object")
    # OpenID Connect Core 5.3.4: a UserInfo answer about someone else is worthless.
    if claims.get("sub") != subject:
        raise _failed("userinfo_subject")
    return claims


def _claim(claims: dict, path: str):
    """`NIK_CLAIM` may be dotted ("identity.nik") for a provider that nests its claims."""
    value = claims
    for part in path.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


def _name(claims: dict) -> str:
    name = claims.get("name")
    if not isinstance(name, str) or not name.strip():
        parts = [claims.get("given_name"), claims.get("family_name")]
        name = " ".join(p.strip() for p in parts if isinstance(p, str) and p.strip())
    return " ".join(str(name or "").split())[:150]


def _birth_date(value) -> datetime.date | None:
    """OpenID's `birthdate` is YYYY-MM-DD; "0000-MM-DD" (year withheld) or anything else is
    treated as absent, and the NIK's encoded date is used instead."""
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        return None
    try:
        parsed = datetime.date.fromisoformat(value)
    except ValueError:
        return None
    if parsed.year < 1900 or parsed > timezone.localdate():
        return None
    return parsed


def _email(claims: dict) -> str:
    email = claims.get("email")
    verified = claims.get("email_verified")
    if not isinstance(email, str) or not (verified is True or verified == "true"):
        return ""
    email = email.strip()
    try:
        validate_email(email)
    except ValidationError:
        return ""
    return email if len(email) <= 254 else ""


def _proven(claims: dict, client: OAuth2Session, meta: dict) -> Proven:
    config = _config()
    subject = claims["sub"]
    if not isinstance(subject, str) or not subject or len(subject) > 255:
        raise _failed("subject_invalid")
    nik_claim = config.get("NIK_CLAIM") or "nik"
    merged = dict(claims)
    if _claim(claims, nik_claim) is None or not _name(claims):
        userinfo = _userinfo(client, meta, subject)
        for key, value in userinfo.items():
            merged.setdefault(key, value)
        if "email" not in claims:  # the address and its verified flag come from one source
            merged["email"] = userinfo.get("email")
            merged["email_verified"] = userinfo.get("email_verified")
    raw_nik = _claim(merged, nik_claim)
    if raw_nik is None or raw_nik == "":
        raise UpstreamError(
            "nik_missing",
            _(
                "%(name)s tidak mengirimkan NIK Anda, sehingga akun tidak dapat dibuat atau "
                "ditautkan. Pastikan Anda mengizinkan %(name)s membagikan NIK Anda."
            )
            % {"name": provider_name()},
            status=403,
        )
    if isinstance(raw_nik, bool) or not isinstance(raw_nik, str | int):
        raise _invalid_nik("nik_type")
    try:
        parsed = nik_rules.parse(str(raw_nik))
    except nik_rules.InvalidNIK as exc:
        raise _invalid_nik(f"nik_{exc.code}") from None
    return Proven(
        issuer=config["ISSUER"],
        subject=subject,
        nik=parsed.digits,
        full_name=_name(merged),
        birth_date=_birth_date(merged.get("birthdate")),
        email=_email(merged),
    )


def _invalid_nik(code):
    return UpstreamError(
        code,
        _(
            "NIK yang dikirim oleh %(name)s tidak sesuai format NIK, sehingga akun tidak dapat "
            "dibuat atau ditautkan. Silakan hubungi loket pelayanan."
        )
        % {"name": provider_name()},
        status=403,
    )


# --- Accounts -------------------------------------------------------------------------------


def sign_in_known(request, proven: Proven, response):
    """Sign in the account this person already has: by (issuer, subject), else by NIK (which
    links the provider to it). Returns the user, or None when there is no account yet."""
    link = (
        UpstreamIdentity.objects.select_related("user")
        .filter(issuer=proven.issuer, subject=proven.subject)
        .first()
    )
    if link is not None:
        user = link.user
        citizen = Citizen.objects.filter(user=user).first()
        if citizen is None or citizen.nik_hash not in protection.nik_lookup_hashes(proven.nik):
            # The provider now says this subject holds another NIK: a person at the counter
            # must sort that out, not an automatic switch of accounts.
            raise UpstreamError(
                "nik_changed",
                _(
                    "Data dari %(name)s tidak cocok dengan akun yang tertaut. Silakan hubungi "
                    "loket pelayanan."
                )
                % {"name": provider_name()},
                status=403,
            )
        _require_active(user)
        link.last_used_at = timezone.now()
        link.save(update_fields=["last_used_at"])
        accounts.sign_in(request, user, AMR, response)
        return user

    citizen = Citizen.objects.by_nik(proven.nik).select_related("user").first()
    if citizen is None:
        return None
    _require_active(citizen.user)
    try:
        reclaimed = _link(request, citizen, proven)
    except IntegrityError:  # the same sign-in finished twice at once
        raise expired_error("link_race") from None
    accounts.sign_in(request, citizen.user, AMR, response)
    if reclaimed:
        _notify_previous_contact(citizen)
    return citizen.user


def _require_active(user):
    if not user.is_active:
        raise UpstreamError(
            "inactive",
            _("Akun ini sedang tidak aktif. Silakan hubungi loket pelayanan."),
            status=403,
        )


@transaction.atomic
def _link(request, citizen: Citizen, proven: Proven) -> bool:
    """Link (issuer, subject) to the NIK's account and raise its identity level; True when
    this is a reclaim (the account had never been linked to this provider)."""
    user = citizen.user
    already = UpstreamIdentity.objects.filter(user=user, issuer=proven.issuer).exists()
    UpstreamIdentity.objects.create(user=user, issuer=proven.issuer, subject=proven.subject)
    if citizen.identity_level <= Citizen.IdentityLevel.REGISTRY:
        citizen.identity_level = Citizen.IdentityLevel.REGISTRY
        citizen.identity_source = identity_source(proven.issuer)
        citizen.identity_checked_at = timezone.now()
        citizen.save(update_fields=["identity_level", "identity_source", "identity_checked_at"])
    audit.record(SecurityEvent.Kind.UPSTREAM_LINKED, request, user=user, issuer=proven.issuer)
    if already:
        return False
    # Whoever opened the account may have known only the leaked NIK, name and birth date:
    # their sessions end, and their browsers lose the trust that spares them throttling.
    ended = sessions.end_all(user, "reclaimed")
    KnownDevice.objects.filter(user=user).delete()
    # And everything they may have set up to keep a foothold is reset: the password, the
    # two-step device and the contacts (a reset code must not reach them). The owner sets
    # their own from "Akun saya"; the old contact is told once (see _notify_previous_contact).
    citizen.previous_contact = (
        ("email", citizen.confirmed_email)
        if citizen.confirmed_email
        else ("sms", citizen.confirmed_phone)
    )
    user.set_unusable_password()
    user.save(update_fields=["password"])
    TOTPDevice.objects.filter(user=user).delete()
    citizen.two_step = Citizen.TwoStep.NONE
    citizen.email_confirmed_at = citizen.phone_confirmed_at = None
    citizen.email = citizen.phone = ""
    citizen.save(
        update_fields=["two_step", "email", "phone", "email_confirmed_at", "phone_confirmed_at"]
    )
    audit.record(
        SecurityEvent.Kind.ACCOUNT_RECLAIMED,
        request,
        user=user,
        issuer=proven.issuer,
        sessions_ended=ended,
    )
    return True


def _notify_previous_contact(citizen: Citizen):
    channel, address = getattr(citizen, "previous_contact", ("", ""))
    if not address:
        return
    try:
        codes.deliver(
            channel, address, "citizens/messages/upstream_linked", {"provider": provider_name()}
        )
    except Exception as exc:  # A mail or SMS outage must not undo the sign-in.
        log.warning("upstream link notice not sent: %s", type(exc).__name__)


def check_new_account(proven: Proven):
    """What a new account needs from the claims: a name, a birth date, the minimum age."""
    if not proven.full_name:
        raise UpstreamError(
            "name_missing",
            _(
                "%(name)s tidak mengirimkan nama Anda, sehingga akun tidak dapat dibuat. "
                "Pastikan Anda mengizinkan %(name)s membagikan profil Anda."
            )
            % {"name": provider_name()},
            status=403,
        )
    birth_date = proven.effective_birth_date
    if birth_date is None:
        raise UpstreamError(
            "birth_date_missing",
            _(
                "%(name)s tidak mengirimkan tanggal lahir Anda, sehingga akun tidak dapat dibuat. "
                "Silakan hubungi loket pelayanan."
            )
            % {"name": provider_name()},
            status=403,
        )
    today = timezone.localdate()
    age = (
        today.year
        - birth_date.year
        - ((today.month, today.day) < (birth_date.month, birth_date.day))
    )
    if age < settings.SATUPINTU_MINIMUM_AGE:
        raise UpstreamError(
            "under_age",
            _(
                "Akun hanya dapat dibuat oleh warga berusia %(age)d tahun ke atas. Layanan untuk "
                "anak dapat diurus melalui akun orang tua atau wali."
            )
            % {"age": settings.SATUPINTU_MINIMUM_AGE},
            status=403,
        )


def keep_for_consent(request, proven: Proven, next_url: str):
    request.session[CONSENT_SESSION] = {
        "claims": proven.dump(),
        "at": time.time(),
        "next": next_url,
    }


def pending_consent(request):
    state = request.session.get(CONSENT_SESSION)
    if not isinstance(state, dict) or time.time() - state.get("at", 0) > LIFETIME:
        request.session.pop(CONSENT_SESSION, None)
        return None, None
    try:
        return Proven.load(state["claims"]), state
    except (KeyError, ValueError, TypeError, protection.IdentityKeyError):
        request.session.pop(CONSENT_SESSION, None)
        return None, None


def drop_consent(request):
    request.session.pop(CONSENT_SESSION, None)


def create_and_sign_in(request, proven: Proven, response):
    check_new_account(proven)
    try:
        user = _create(request, proven)
    except IntegrityError:  # an account for this NIK or subject appeared meanwhile
        raise expired_error("create_race") from None
    accounts.sign_in(request, user, AMR, response)
    return user


@transaction.atomic
def _create(request, proven: Proven):
    parsed = proven.parsed_nik
    fields = {"nik": True, "full_name": True}
    if proven.birth_date is not None:
        fields["birth_date"] = True
    # The provider does not tell domicile: resident stays unknown.
    verdict = Verdict(
        backend="upstream",
        transaction_id=uuid.uuid4().hex,
        checked_at=timezone.now(),
        fields=fields,
        resident=None,
    )
    check = RegistryCheck.record(verdict)
    citizen = accounts.create_citizen(
        nik=parsed.digits,
        full_name=proven.full_name,
        birth_date=proven.effective_birth_date,
        sex=parsed.sex,
        verdict_row=check,
        contact={"email": proven.email} if proven.email else {},
        level=Citizen.IdentityLevel.REGISTRY,
        source=identity_source(proven.issuer),
    )
    user = citizen.user
    # No password: this person proves who they are at the provider. One can be set later
    # through "lupa kata sandi" once a contact is confirmed.
    user.set_unusable_password()
    user.save(update_fields=["password"])
    UpstreamIdentity.objects.create(user=user, issuer=proven.issuer, subject=proven.subject)
    audit.record(
        SecurityEvent.Kind.SIGNUP,
        request,
        user=user,
        via="upstream",
        transaction=check.transaction_id,
    )
    audit.record(SecurityEvent.Kind.UPSTREAM_LINKED, request, user=user, issuer=proven.issuer)
    return user
