"""What an app learns about a citizen: pairwise identifiers, and claims grouped by scope.

Every app (or every sector Kominfo defines) gets its own `sub` for the same citizen, so two apps
cannot join their user lists; the NIK never leaves except under the `nik` scope, which only
clients with a recorded legal basis may request.
"""

import base64
import hashlib
import hmac

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from satupintu.citizens.accounts import ACR_PWD, ACR_TWO_STEP, ACR_UPSTREAM

IDENTITY_LEVELS = {0: "unverified", 1: "registry", 2: "in_person"}
ACR_VALUES = [ACR_PWD, ACR_TWO_STEP, ACR_UPSTREAM]

# Which claims each scope releases, and how the consent screen names them (built here, never
# by mutating DOT's class-level `oidc_claim_scope`, which is shared by every validator).
SCOPE_CLAIMS = {
    "openid": ["sub"],
    "profile": ["name"],
    "email": ["email", "email_verified"],
    "phone": ["phone_number", "phone_number_verified"],
    "domicile": ["domicile_code", "resident"],
    "identity": ["identity_level"],
    "nik": ["nik"],
}
SCOPE_LABELS = {
    "openid": _("Kode pengenal akun khusus untuk aplikasi ini (bukan NIK)"),
    "profile": _("Nama lengkap"),
    "email": _("Alamat surel yang sudah diverifikasi"),
    "phone": _("Nomor ponsel yang sudah diverifikasi"),
    "domicile": _("Kode wilayah domisili (kecamatan/desa) dan apakah Anda berdomisili di sini"),
    "identity": _(
        "Tingkat keyakinan identitas (belum terverifikasi, cocok dengan data "
        "kependudukan, atau dikonfirmasi petugas)"
    ),
    "nik": _("Nomor Induk Kependudukan (NIK)"),
}


def _key() -> bytes:
    return (settings.SATUPINTU_OIDC_PAIRWISE_KEY or settings.SECRET_KEY).encode()


def _pairwise(kind: str, sector: str, value) -> str:
    digest = hmac.new(_key(), f"{kind}|{sector}|{value}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def pairwise_sub(policy, user) -> str:
    return _pairwise("sub", policy.sector_id, user.pk)


def pairwise_sid(policy, account_session_id) -> str:
    """Session ids are pairwise too: one shared `sid` would let apps join their users again."""
    return _pairwise("sid", policy.sector_id, account_session_id)


def claims_for_scopes(scopes) -> list[str]:
    return [claim for scope in SCOPE_CLAIMS if scope in scopes for claim in SCOPE_CLAIMS[scope]]


def scope_claims(user, policy, scopes, include_nik=True) -> dict:
    """A new dict each time; values only for scopes granted and data actually confirmed."""
    citizen = user.citizen
    claims = {"sub": pairwise_sub(policy, user)}
    if "profile" in scopes:
        claims["name"] = citizen.full_name
    if "email" in scopes and citizen.confirmed_email:
        claims["email"] = citizen.confirmed_email
        claims["email_verified"] = True
    if "phone" in scopes and citizen.confirmed_phone:
        claims["phone_number"] = citizen.confirmed_phone
        claims["phone_number_verified"] = True
    if "domicile" in scopes:
        claims["domicile_code"] = citizen.domicile_code or None
        claims["resident"] = citizen.resident
    if "identity" in scopes:
        claims["identity_level"] = IDENTITY_LEVELS.get(citizen.identity_level, "unverified")
    if include_nik and "nik" in scopes and "nik" in policy.permitted_scopes():
        claims["nik"] = citizen.nik
    return claims
