"""What happens to an account, independent of which page asked: creating it from a verdict,
signing in and out, deleting it, and exporting its data."""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model, login, logout
from django.db import transaction
from django.utils import timezone

from satupintu.identity import protection

from . import audit, sessions
from .models import Citizen, KnownDevice, SecurityEvent

DEVICE_COOKIE = "sp_device"
DEVICE_COOKIE_AGE = 365 * 24 * 3600
CONSENT_VERSION = "2026-11"
BACKEND = "satupintu.citizens.backends.NIKBackend"

# Levels of authentication, kept apart from identity confidence (see models.Citizen).
ACR_PWD = "urn:satupintu:acr:pwd"  # noqa: S105 (a level name, not a secret)
ACR_TWO_STEP = "urn:satupintu:acr:2fa"
ACR_UPSTREAM = "urn:satupintu:acr:upstream"


def new_username() -> str:
    """An opaque login name: citizens sign in with their NIK, which never becomes a username."""
    return f"warga-{secrets.token_hex(8)}"


@transaction.atomic
def create_citizen(*, nik, full_name, birth_date, sex, verdict_row, contact, level, source):
    """`contact` is {"email": ...} or {"phone": ...}, already confirmed by a code."""
    user = get_user_model().objects.create(username=new_username())
    now = timezone.now()
    citizen = Citizen(
        user=user,
        full_name=full_name,
        birth_date=birth_date,
        sex=sex,
        identity_level=level,
        identity_source=source,
        identity_checked_at=verdict_row.checked_at if verdict_row else now,
        resident=verdict_row.resident if verdict_row else None,
        domicile_code=verdict_row.domicile_code if verdict_row else "",
        consent_version=CONSENT_VERSION,
        consent_at=now,
    )
    citizen.set_nik(nik)
    if contact.get("email"):
        citizen.email, citizen.email_confirmed_at = contact["email"], now
    if contact.get("phone"):
        citizen.phone, citizen.phone_confirmed_at = contact["phone"], now
    citizen.save()
    if verdict_row is not None:
        verdict_row.user = user
        verdict_row.save(update_fields=["user"])
    return citizen


def acr_for(amr) -> str:
    if "fed" in amr:
        return ACR_UPSTREAM
    return ACR_TWO_STEP if ("otp" in amr or "mfa" in amr) else ACR_PWD


def sign_in(request, user, amr, response=None):
    """Log in (Django cycles the session key), open an AccountSession, remember the device."""
    login(request, user, backend=BACKEND)
    row = sessions.start(request, user, amr, acr_for(amr))
    audit.record(SecurityEvent.Kind.SIGNIN, request, user=user, amr=list(amr))
    if response is not None:
        remember_device(request, response, user)
    return row


def sign_out(request, reason="signout"):
    user = request.user if request.user.is_authenticated else None
    sessions.end(sessions.current(request), reason)
    if user is not None:
        audit.record(SecurityEvent.Kind.SIGNOUT, request, user=user)
    logout(request)


def remember_device(request, response, user):
    token = secrets.token_urlsafe(32)
    KnownDevice.objects.create(user=user, token_hash=protection.keyed_hash("device", token))
    response.set_cookie(
        DEVICE_COOKIE,
        token,
        max_age=DEVICE_COOKIE_AGE,
        httponly=True,
        secure=not settings.DEBUG and request.is_secure(),
        samesite="Lax",
    )


def device_owner_id(request):
    token = request.COOKIES.get(DEVICE_COOKIE)
    if not token:
        return None
    return (
        KnownDevice.objects.filter(token_hash=protection.keyed_hash("device", token))
        .values_list("user_id", flat=True)
        .first()
    )


@transaction.atomic
def delete_account(request, user):
    citizen = user.citizen
    subject = citizen.nik_hash
    sessions.end_all(user, "deleted")
    audit.record(SecurityEvent.Kind.ACCOUNT_DELETED, request, user=None, subject_hash=subject)
    logout(request)
    user.delete()


def export_data(user) -> dict:
    """Everything we hold about the citizen, for "Unduh data saya" (UU 27/2022 right of access)."""
    citizen = user.citizen
    return {
        "akun": {
            "nik": citizen.nik,
            "nama_lengkap": citizen.full_name,
            "tanggal_lahir": citizen.birth_date.isoformat(),
            "jenis_kelamin": citizen.sex,
            "tingkat_identitas": citizen.get_identity_level_display(),
            "sumber_identitas": citizen.identity_source,
            "domisili_di_daerah_ini": citizen.resident,
            "kode_wilayah_domisili": citizen.domicile_code,
            "surel": citizen.email,
            "ponsel": citizen.phone,
            "verifikasi_dua_langkah": citizen.two_step or None,
            "persetujuan": {
                "versi": citizen.consent_version,
                "waktu": citizen.consent_at.isoformat(),
            },
            "dibuat": citizen.created_at.isoformat(),
        },
        "verifikasi_kependudukan": [
            {
                "id_transaksi": check.transaction_id,
                "layanan": check.backend,
                "waktu": check.checked_at.isoformat(),
                "cocok": check.matched,
                "per_elemen": check.fields,
            }
            for check in user.registry_checks.all()
        ],
        "sesi": [
            {
                "mulai": s.created_at.isoformat(),
                "terakhir_aktif": s.last_seen_at.isoformat(),
                "berakhir": s.ended_at.isoformat() if s.ended_at else None,
                "cara_masuk": s.amr,
                "perangkat": s.device,
                "jaringan": s.network,
            }
            for s in user.account_sessions.all()
        ],
        "peristiwa_keamanan": [
            {"jenis": e.kind, "waktu": e.at.isoformat(), "perangkat": e.device}
            for e in user.security_events.all()
        ],
        "penyedia_identitas_tertaut": [
            {"penerbit": u.issuer, "ditautkan": u.linked_at.isoformat()}
            for u in user.upstream_identities.all()
        ],
    }
