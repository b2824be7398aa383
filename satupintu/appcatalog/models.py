"""The regency's app catalogue (Katalog Aplikasi) and its usage counts.

Apps are not pages: they are records an OPD owns, listed across OPDs, and many of them are
never published as content. Wagtail leaks such records between OPDs by URL, so the admin
(`admin_views.py`) wraps every single-object URL and the audit log is kept in `AppLogEntry`,
which filters by owner.

Usage is kept as counts per app per day and nothing else: no table here holds a user id, a
NIK, a session key or an IP address (see `usage.py` for how distinct users are counted).
"""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from oauth2_provider.settings import APPLICATION_MODEL
from wagtail.models import BaseLogEntry, BaseLogEntryManager

from satupintu.core.validators import reject_markup

slug_validator = RegexValidator(
    r"^[a-z0-9]+(?:-[a-z0-9]+)*$",
    _("Slug hanya boleh berisi huruf kecil a–z, angka dan tanda hubung."),
)

# Paths of the catalogue itself (/aplikasi/saya/) that an app's slug cannot take.
RESERVED_APP_SLUGS = frozenset({"saya"})


def validate_app_slug(value):
    if value in RESERVED_APP_SLUGS:
        raise ValidationError(_("Slug ini dipakai oleh katalog; pilih yang lain."))


class HttpsURLField(models.URLField):
    """A URL typed without a scheme is taken as https://, the scheme the policy asks for."""

    def formfield(self, **kwargs):
        return super().formfield(**{"assume_scheme": "https", **kwargs})


class AppCategory(models.Model):
    """Kominfo's grouping of apps (kepegawaian, perizinan, kesehatan …); OPDs only pick one."""

    name = models.CharField(_("nama"), max_length=100, unique=True, validators=[reject_markup])
    slug = models.CharField(_("slug"), max_length=60, unique=True, validators=[slug_validator])
    sort_order = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("kategori aplikasi")
        verbose_name_plural = _("kategori aplikasi")

    def __str__(self):
        return self.name


class AppQuerySet(models.QuerySet):
    def owned_by(self, user):
        """The apps a staff user may see in the admin: all for Kominfo, else their OPDs'."""
        from satupintu.opd.access import is_platform_admin, user_opds

        if not user.is_authenticated:
            return self.none()
        if is_platform_admin(user):
            return self
        return self.filter(owner__in=user_opds(user))

    def launchable(self):
        return self.exclude(status=App.Status.RETIRED).exclude(url="")


class App(models.Model):
    """One regency app, whether or not it signs people in through Satu Pintu."""

    class Audience(models.TextChoices):
        CITIZENS = "warga", _("Warga")
        CIVIL_SERVANTS = "asn", _("ASN")
        INTERNAL = "internal", _("Internal OPD")

    class Status(models.TextChoices):
        ACTIVE = "aktif", _("Aktif")
        INTEGRATING = "integrasi", _("Dalam integrasi")
        RETIRING = "akan_dipensiunkan", _("Akan dipensiunkan")
        RETIRED = "pensiun", _("Pensiun")

    class Hosting(models.TextChoices):
        REGIONAL_DC = "pusat_data_daerah", _("Pusat Data Daerah")
        NATIONAL_DC = "pusat_data_nasional", _("Pusat Data Nasional")
        CLOUD = "cloud", _("Cloud")
        OPD_SERVER = "opd", _("Server OPD (pengecualian)")

    name = models.CharField(_("nama"), max_length=150, validators=[reject_markup])
    slug = models.CharField(
        _("slug"),
        max_length=80,
        unique=True,
        validators=[slug_validator, validate_app_slug],
        help_text=_("Alamat di katalog: /aplikasi/<slug>/."),
    )
    description = models.TextField(
        _("deskripsi singkat"), max_length=600, blank=True, validators=[reject_markup]
    )
    owner = models.ForeignKey(
        "opd.OPD",
        on_delete=models.PROTECT,
        related_name="apps",
        verbose_name=_("OPD pemilik"),
    )
    audience = models.CharField(_("pengguna"), max_length=10, choices=Audience.choices)
    category = models.ForeignKey(
        AppCategory,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="apps",
        verbose_name=_("kategori"),
    )
    url = HttpsURLField(
        _("alamat aplikasi"),
        blank=True,
        help_text=_("Sebaiknya https://. Kosongkan untuk aplikasi internal tanpa alamat publik."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE
    )
    hosting = models.CharField(
        _("tempat hosting"),
        max_length=20,
        choices=Hosting.choices,
        default=Hosting.REGIONAL_DC,
        help_text=_(
            "Kebijakan: aplikasi berjalan di Pusat Data Daerah; server OPD adalah pengecualian."
        ),
    )
    hosting_note = models.CharField(
        _("catatan hosting"), max_length=300, blank=True, validators=[reject_markup]
    )
    launched_on = models.DateField(_("mulai digunakan"), null=True, blank=True)
    client = models.OneToOneField(
        APPLICATION_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="catalogue_app",
        verbose_name=_("klien OpenID Connect"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AppQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("aplikasi")
        verbose_name_plural = _("aplikasi")
        indexes = [models.Index(fields=["status", "audience"])]

    def __str__(self):
        return self.name

    @property
    def sso(self) -> bool:
        """Signs in through Satu Pintu: derived from the OIDC client link, never typed in."""
        return self.client_id is not None

    @property
    def is_launchable(self) -> bool:
        return self.status != self.Status.RETIRED and bool(self.url)

    @property
    def hosting_is_exception(self) -> bool:
        return self.hosting == self.Hosting.OPD_SERVER


class AppUsageDay(models.Model):
    """Counts for one app on one day (Asia/Jakarta). Counts only: never who."""

    app = models.ForeignKey(App, on_delete=models.CASCADE, related_name="usage_days")
    date = models.DateField(_("tanggal"))
    launches = models.PositiveIntegerField(_("dibuka dari portal"), default=0)
    sso_signins = models.PositiveIntegerField(_("masuk lewat SSO"), default=0)
    distinct_users = models.PositiveIntegerField(_("pengguna berbeda"), default=0)

    class Meta:
        verbose_name = _("pemakaian aplikasi per hari")
        verbose_name_plural = _("pemakaian aplikasi per hari")
        constraints = [
            models.UniqueConstraint(fields=["app", "date"], name="appcatalog_usage_app_date")
        ]
        indexes = [models.Index(fields=["date"])]

    def __str__(self):
        return f"{self.app_id} {self.date}"


class AppLogEntryManager(BaseLogEntryManager):
    """Audit entries of apps, visible to a user only for the apps they may manage.

    Wagtail's default log model shows every object of a model to anyone holding any
    permission on it; that would put another OPD's app names in "Riwayat situs".
    """

    def log_action(self, instance, action, **kwargs):
        kwargs.update(object_id=str(instance.pk), owner_id=instance.owner_id)
        return super().log_action(instance, action, **kwargs)

    def viewable_by_user(self, user):
        from satupintu.opd.access import is_platform_admin, user_opds

        if is_platform_admin(user):
            return self.all()
        if not user.has_perm("appcatalog.change_app"):
            return self.none()
        return self.filter(owner_id__in=user_opds(user).values("pk"))

    def for_instance(self, instance):
        return self.filter(object_id=str(instance.pk))


class AppLogEntry(BaseLogEntry):
    object_id = models.CharField(max_length=255, db_index=True)
    # Kept on the entry so a deleted app's history stays with its OPD.
    owner_id = models.IntegerField(null=True, db_index=True)

    objects = AppLogEntryManager()

    class Meta(BaseLogEntry.Meta):
        ordering = ["-timestamp", "-id"]
        verbose_name = _("log aplikasi")
        verbose_name_plural = _("log aplikasi")
