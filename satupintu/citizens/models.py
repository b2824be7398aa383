"""Citizen accounts: one per NIK, on top of Django's user (so OpenID Connect can issue tokens).

The NIK is stored once, encrypted, with a keyed hash for lookup (Aadhaar-vault style); every
other table refers to the account, never to the number. Two kinds of assurance are kept apart,
as GOV.UK One Login does: how sure we are *who the person is* (`identity_level`, on the account)
and how they *signed in* this time (`amr`/`acr`, on each `AccountSession`).
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from satupintu.identity import nik as nik_rules
from satupintu.identity import protection


class CitizenQuerySet(models.QuerySet):
    def by_nik(self, digits: str):
        return self.filter(nik_hash__in=protection.nik_lookup_hashes(digits))


class Citizen(models.Model):
    class IdentityLevel(models.IntegerChoices):
        UNVERIFIED = 0, _("Belum terverifikasi")
        REGISTRY = 1, _("Cocok dengan data kependudukan")
        IN_PERSON = 2, _("Dikonfirmasi langsung oleh petugas")

    class TwoStep(models.TextChoices):
        NONE = "", _("Tidak aktif")
        TOTP = "totp", _("Aplikasi autentikator")
        EMAIL = "email", _("Kode lewat surel")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="citizen"
    )
    nik_hash = models.CharField(max_length=64, unique=True)
    nik_encrypted = models.TextField()
    full_name = models.CharField(_("nama lengkap"), max_length=150)
    birth_date = models.DateField(_("tanggal lahir"))
    sex = models.CharField(max_length=1, choices=[("L", _("Laki-laki")), ("P", _("Perempuan"))])
    identity_level = models.PositiveSmallIntegerField(
        _("tingkat keyakinan identitas"),
        choices=IdentityLevel.choices,
        default=IdentityLevel.UNVERIFIED,
    )
    identity_source = models.CharField(max_length=300, blank=True)
    identity_checked_at = models.DateTimeField(null=True, blank=True)
    # Domicile as the registry answered it; never inferred from the NIK's prefix.
    resident = models.BooleanField(_("berdomisili di daerah ini"), null=True)
    domicile_code = models.CharField(max_length=13, blank=True)
    email = models.EmailField(_("surel"), blank=True)
    email_confirmed_at = models.DateTimeField(null=True, blank=True)
    phone = models.CharField(_("nomor ponsel"), max_length=20, blank=True)
    phone_confirmed_at = models.DateTimeField(null=True, blank=True)
    two_step = models.CharField(max_length=5, choices=TwoStep.choices, blank=True, default="")
    consent_version = models.CharField(max_length=20)
    consent_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CitizenQuerySet.as_manager()

    class Meta:
        verbose_name = _("warga")
        verbose_name_plural = _("warga")
        permissions = [
            ("confirm_identity", _("Mengonfirmasi identitas warga di loket")),
        ]

    def __str__(self):
        return f"{self.full_name} ({self.masked_nik})"

    def set_nik(self, digits: str):
        self.nik_hash = protection.hash_nik(digits)
        self.nik_encrypted = protection.encrypt(digits)

    @property
    def nik(self) -> str:
        return protection.decrypt(self.nik_encrypted)

    @property
    def masked_nik(self) -> str:
        return nik_rules.mask(self.nik)

    @property
    def confirmed_email(self) -> str:
        return self.email if self.email and self.email_confirmed_at else ""

    @property
    def confirmed_phone(self) -> str:
        return self.phone if self.phone and self.phone_confirmed_at else ""


class OneTimeCode(models.Model):
    """A six-digit code sent by e-mail or SMS: single use, short-lived, bound to one purpose
    and one destination, with a small number of tries. Only its keyed hash is stored."""

    class Purpose(models.TextChoices):
        SIGNUP = "signup", _("Pendaftaran")
        SIGNIN = "signin", _("Masuk ke akun")
        RESET = "reset", _("Atur ulang kata sandi")
        CONTACT = "contact", _("Ubah kontak")
        TWO_STEP = "twostep", _("Aktifkan verifikasi dua langkah")
        COUNTER = "counter", _("Konfirmasi di loket")

    purpose = models.CharField(max_length=10, choices=Purpose.choices)
    # "screen": shown on the citizen's own signed-in screen, for the counter officer to type.
    channel = models.CharField(
        max_length=6, choices=[("email", "email"), ("sms", "sms"), ("screen", "screen")]
    )
    # Keyed hash of the destination (address or number) the code was sent to.
    target_hash = models.CharField(max_length=64, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE
    )
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"{self.get_purpose_display()} ({self.channel})"


class AccountSession(models.Model):
    """One signed-in browser session, so a citizen can see and end their sessions, and so an
    ended session dies everywhere at once (the session store cannot be listed per user)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="account_sessions"
    )
    created_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.CharField(max_length=20, blank=True)
    # How the person authenticated (RFC 8176 values: "pwd", "otp", "mfa", "fed") and the level.
    amr = models.JSONField(default=list)
    acr = models.CharField(max_length=40, blank=True)
    auth_time = models.DateTimeField(default=timezone.now)
    # Coarse, for the citizen to recognise their device: "Firefox, Android", "10.1.2.0/24".
    device = models.CharField(max_length=80, blank=True)
    network = models.CharField(max_length=45, blank=True)

    class Meta:
        ordering = ["-last_seen_at"]

    def __str__(self):
        return f"{self.device or '?'} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def active(self):
        return self.ended_at is None


class KnownDevice(models.Model):
    """A browser that has signed in to this account before (a device cookie, OWASP's answer to
    lockout attacks): throttling a NIK under attack never blocks its owner's own browser."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"device {self.pk}"


class UpstreamIdentity(models.Model):
    """An account at an upstream OpenID provider (e.g. INApas) linked to this account."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="upstream_identities"
    )
    issuer = models.CharField(max_length=255)
    subject = models.CharField(max_length=255)
    linked_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="upstream_unique_subject")
        ]

    def __str__(self):
        return self.issuer


class SecurityEvent(models.Model):
    """Audit log of account security: sign-ins, failures, changes, staff access to identity data.

    Never holds a NIK in clear; `subject_hash` (keyed) links failures for a NIK that has no
    account. Kept when the account is deleted (user set to NULL) as evidence of what happened.
    """

    class Kind(models.TextChoices):
        SIGNUP = "signup", _("Pendaftaran akun")
        SIGNUP_REFUSED = "signup_refused", _("Pendaftaran tidak diteruskan")
        SIGNIN = "signin", _("Masuk ke akun")
        SIGNIN_FAILED = "signin_failed", _("Gagal masuk")
        SIGNIN_THROTTLED = "signin_throttled", _("Percobaan masuk diperlambat")
        TWO_STEP_FAILED = "twostep_failed", _("Kode verifikasi salah")
        SIGNOUT = "signout", _("Keluar dari akun")
        SESSIONS_ENDED = "sessions_ended", _("Sesi lain diakhiri")
        PASSWORD_CHANGED = "password_changed", _("Kata sandi diubah")
        PASSWORD_RESET = "password_reset", _("Kata sandi diatur ulang")
        CONTACT_CHANGED = "contact_changed", _("Kontak diubah")
        TWO_STEP_ON = "twostep_on", _("Verifikasi dua langkah diaktifkan")
        TWO_STEP_OFF = "twostep_off", _("Verifikasi dua langkah dimatikan")
        DATA_DOWNLOADED = "data_downloaded", _("Data akun diunduh")
        ACCOUNT_DELETED = "account_deleted", _("Akun dihapus")
        UPSTREAM_LINKED = "upstream_linked", _("Akun penyedia identitas ditautkan")
        ACCOUNT_RECLAIMED = "reclaimed", _("Akun diambil alih pemilik NIK")
        STAFF_VIEWED = "staff_viewed", _("Petugas melihat data identitas")
        IDENTITY_CONFIRMED = "identity_confirmed", _("Identitas dikonfirmasi di loket")

    kind = models.CharField(max_length=20, choices=Kind.choices)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="security_events",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    subject_hash = models.CharField(max_length=64, blank=True, db_index=True)
    device = models.CharField(max_length=80, blank=True)
    network = models.CharField(max_length=45, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("peristiwa keamanan")
        verbose_name_plural = _("peristiwa keamanan")

    def __str__(self):
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"
