"""What Satu Pintu keeps beside django-oauth-toolkit's own tables.

DOT's `Application` is not swapped (the app catalogue and DOT's admin both rely on it); the
regency's rules for each client live one-to-one beside it in `ClientPolicy`. `IssuedCode`
remembers every authorization code after DOT deletes its grant, so a replayed code can be
recognised and its tokens revoked, and so tokens can be traced back to the portal session that
authorised them (for `acr`/`amr`/`auth_time`/`sid` and for back-channel logout). `Consent` and
`Release` are the ledger the citizen sees: who was given which data, when, on what basis.
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

APPLICATION_MODEL = "oauth2_provider.Application"  # not swapped: see the module docstring

# Scopes any client may be allowed; `nik` needs its own recorded legal basis on top.
STANDARD_SCOPES = ["openid", "profile", "email", "phone", "domicile", "identity"]
DEFAULT_SCOPES = ["openid", "profile", "email"]


def default_scopes():
    return list(DEFAULT_SCOPES)


class ClientPolicy(models.Model):
    application = models.OneToOneField(
        APPLICATION_MODEL, on_delete=models.CASCADE, related_name="satupintu_policy"
    )
    # Pairwise `sub` sector: apps Kominfo puts in one sector see the same identifier for a
    # citizen; empty means the app is its own sector.
    sector = models.CharField(_("sektor pengenal"), max_length=100, blank=True)
    opd_name = models.CharField(_("OPD pemilik"), max_length=200, blank=True)
    purpose = models.TextField(_("tujuan pemakaian data"), blank=True)
    allowed_scopes = models.JSONField(_("cakupan data yang boleh diminta"), default=default_scopes)
    nik_allowed = models.BooleanField(_("boleh menerima NIK"), default=False)
    nik_legal_basis = models.TextField(_("dasar hukum penerimaan NIK"), blank=True)
    # Trusted first-party apps skip the consent screen; the release is still recorded, on this
    # basis (e.g. UU 27/2022 Pasal 20 ayat (2) huruf e, tugas pelayanan publik).
    trusted = models.BooleanField(_("aplikasi pihak pertama tepercaya"), default=False)
    legal_basis = models.TextField(_("dasar hukum tanpa layar persetujuan"), blank=True)
    require_two_step = models.BooleanField(_("wajib verifikasi dua langkah"), default=False)
    backchannel_logout_uri = models.URLField(_("URI back-channel logout"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("kebijakan klien SSO")
        verbose_name_plural = _("kebijakan klien SSO")

    def __str__(self):
        return str(self.application)

    def clean(self):
        unknown = set(self.allowed_scopes or []) - set(STANDARD_SCOPES) - {"nik"}
        if unknown:
            raise ValidationError(
                {
                    "allowed_scopes": _("Cakupan tidak dikenal: %(scopes)s")
                    % {"scopes": ", ".join(sorted(unknown))}
                }
            )
        if self.nik_allowed and not self.nik_legal_basis.strip():
            raise ValidationError(
                {"nik_legal_basis": _("NIK hanya boleh diberikan dengan dasar hukum tercatat.")}
            )
        if self.trusted and not self.legal_basis.strip():
            raise ValidationError(
                {"legal_basis": _("Aplikasi tepercaya perlu dasar hukum pemrosesan data.")}
            )

    @property
    def sector_id(self) -> str:
        return self.sector or f"client:{self.application.client_id}"

    def permitted_scopes(self) -> set[str]:
        scopes = {"openid"} | (set(self.allowed_scopes or []) & set(STANDARD_SCOPES))
        if self.nik_allowed and self.nik_legal_basis.strip():
            scopes.add("nik")
        return scopes


    def logout_status(self) -> str:
        """Back-channel logouts this app has not accepted in the last 30 days, for Kominfo's
        list: an app that does not answer keeps citizens signed in after they sign out."""
        if not self.backchannel_logout_uri:
            return "—"
        since = timezone.now() - timedelta(days=30)
        deliveries = LogoutDelivery.objects.filter(
            application_id=self.application_id, created_at__gte=since
        )
        waiting = deliveries.filter(delivered_at__isnull=True, gave_up_at__isnull=True).count()
        lost = deliveries.filter(gave_up_at__isnull=False).count()
        if not waiting and not lost:
            return _("lancar")
        return _("%(waiting)s menunggu, %(lost)s gagal") % {"waiting": waiting, "lost": lost}

    logout_status.short_description = _("back-channel logout (30 hari)")


def policy_for(application) -> ClientPolicy:
    """The client's policy, or an unsaved default one (standard scopes, no NIK, not trusted)."""
    try:
        return application.satupintu_policy
    except ClientPolicy.DoesNotExist:
        return ClientPolicy(application=application)


class IssuedCode(models.Model):
    code_hash = models.CharField(max_length=64, unique=True)
    application = models.ForeignKey(APPLICATION_MODEL, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    account_session = models.ForeignKey(
        "citizens.AccountSession", null=True, blank=True, on_delete=models.SET_NULL
    )
    scope = models.TextField(blank=True)
    # When the citizen last proved who they are before this code (sign-in or re-confirmation).
    auth_time = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    redeemed_at = models.DateTimeField(null=True, blank=True)
    # The refresh-token family (and first access token) the code was exchanged for.
    token_family = models.UUIDField(null=True, blank=True, db_index=True)
    access_token_checksum = models.CharField(max_length=64, blank=True)
    replayed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"code {self.pk}"


class ConsentQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


class Consent(models.Model):
    class Basis(models.TextChoices):
        CONSENT = "consent", _("Persetujuan warga (UU 27/2022 Pasal 20 ayat (2) huruf a)")
        POLICY = "policy", _("Aplikasi pemerintah daerah tepercaya (dasar hukum tercatat)")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sso_consents"
    )
    application = models.ForeignKey(
        APPLICATION_MODEL, on_delete=models.CASCADE, related_name="satupintu_consents"
    )
    scopes = models.JSONField(default=list)
    claims = models.JSONField(default=list)
    basis = models.CharField(max_length=10, choices=Basis.choices, default=Basis.CONSENT)
    legal_basis = models.TextField(blank=True)
    purpose = models.TextField(blank=True)
    shown = models.BooleanField(default=True)  # False: a trusted app, no screen was shown
    granted_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # "revoked" (by the citizen) or "replaced" (a later consent covering more data).
    end_reason = models.CharField(max_length=20, blank=True)

    objects = ConsentQuerySet.as_manager()

    class Meta:
        ordering = ["-granted_at"]
        verbose_name = _("persetujuan berbagi data")
        verbose_name_plural = _("persetujuan berbagi data")

    def __str__(self):
        return f"{self.application} {self.granted_at:%Y-%m-%d}"

    def covers(self, scopes) -> bool:
        return set(scopes) <= set(self.scopes)


class Release(models.Model):
    """One token issuance: which claims the app can now read, under which consent."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sso_releases"
    )
    application = models.ForeignKey(
        APPLICATION_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    client_name = models.CharField(max_length=255)
    consent = models.ForeignKey(Consent, null=True, blank=True, on_delete=models.SET_NULL)
    grant_type = models.CharField(max_length=40)
    scopes = models.JSONField(default=list)
    claims = models.JSONField(default=list)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self):
        return f"{self.client_name} {self.at:%Y-%m-%d %H:%M}"


class LogoutDelivery(models.Model):
    """One back-channel logout owed to an app. Kept until delivered or given up, so an app
    that was down when the citizen signed out still hears of it (`deliver-sso-logouts`
    retries), and Kominfo can see which apps do not answer. Holds only the app's pairwise
    `sub`/`sid`, never anything that names the citizen."""

    application = models.ForeignKey(
        APPLICATION_MODEL, on_delete=models.CASCADE, related_name="satupintu_logouts"
    )
    uri = models.URLField(max_length=500)
    sub = models.CharField(max_length=100)
    sid = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    delivered_at = models.DateTimeField(null=True, blank=True)
    gave_up_at = models.DateTimeField(null=True, blank=True)
    # What the app last answered: an HTTP status, or a short description of the failure.
    last_result = models.CharField(max_length=200, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="sso_logout_due",
                condition=models.Q(delivered_at__isnull=True, gave_up_at__isnull=True),
            )
        ]

    def __str__(self):
        return f"logout {self.pk} to {self.application_id}"
