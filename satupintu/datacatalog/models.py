"""Satu Data: datasets produced by OPDs, their files, and what the Walidata has published.

Three layers, kept apart on purpose:
- `Dataset`, `Resource`, `ResourceVersion`: what the OPD (Produsen Data) is preparing. Only
  its own operators and verifikators and Kominfo ever read these.
- `PublishedDataset` and `PublishedTerm`: what the Walidata verified, frozen at that moment
  as the exact package dict central CKAN portals receive. Every public reader (pages, the
  CKAN API, DCAT, data.json, search) reads only this layer, so an edit in progress never
  leaks and an unverified dataset can never appear by mistake in one of them.
- `CentralPortal`, `SyncState`, `SyncLog`: pushing what is published to central portals.

Ids are UUIDs chosen once: harvesters keep our `id` as theirs, forever.
"""

import uuid

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from satupintu.core.validators import reject_markup

from . import licenses

name_validator = RegexValidator(
    r"^[a-z0-9_-]{2,100}$",
    _("Nama singkat 2–100 karakter: huruf kecil a–z, angka, - atau _."),
    code="invalid_name",
)


class Frequency(models.TextChoices):
    DAILY = "harian", _("Harian")
    WEEKLY = "mingguan", _("Mingguan")
    MONTHLY = "bulanan", _("Bulanan")
    QUARTERLY = "triwulanan", _("Triwulanan")
    SEMIANNUAL = "semesteran", _("Semesteran")
    ANNUAL = "tahunan", _("Tahunan")
    IRREGULAR = "tidak-tentu", _("Tidak tentu")


class Topic(models.Model):
    """A theme datasets are grouped under (a CKAN group), managed by the Walidata."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(
        _("nama singkat"), max_length=100, unique=True, validators=[name_validator]
    )
    title = models.CharField(_("judul"), max_length=200, validators=[reject_markup])
    description = models.TextField(_("keterangan"), blank=True, validators=[reject_markup])
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["title"]
        verbose_name = _("topik data")
        verbose_name_plural = _("topik data")

    def __str__(self):
        return self.title


class Dataset(models.Model):
    """A dataset as its OPD prepares it, with the Satu Data Indonesia metadata."""

    class Status(models.TextChoices):
        DRAFT = "draf", _("Draf")
        SUBMITTED = "diajukan", _("Diajukan ke Walidata")
        RETURNED = "dikembalikan", _("Dikembalikan")
        PUBLISHED = "terbit", _("Terbit")
        WITHDRAWN = "ditarik", _("Ditarik")

    class Origin(models.TextChoices):
        MANUAL = "manual", _("Disusun OPD")
        REPORTING = "pelaporan", _("Dari rekap Pelaporan")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    opd = models.ForeignKey(
        "opd.OPD",
        on_delete=models.PROTECT,
        related_name="datasets",
        verbose_name=_("produsen data"),
    )
    name = models.CharField(
        _("nama singkat"),
        max_length=100,
        unique=True,
        validators=[name_validator],
        help_text=_("Bagian alamat: /data/<nama>/. Tidak berubah setelah terbit."),
    )
    title = models.CharField(_("judul"), max_length=200, validators=[reject_markup])
    notes = models.TextField(_("deskripsi"), blank=True, validators=[reject_markup])
    concept = models.TextField(
        _("konsep"),
        blank=True,
        validators=[reject_markup],
        help_text=_("Gagasan yang diukur, sesuai standar data."),
    )
    definition = models.TextField(
        _("definisi"),
        blank=True,
        validators=[reject_markup],
        help_text=_("Batasan yang membuat angka ini dapat dibandingkan."),
    )
    classification = models.CharField(
        _("klasifikasi"),
        max_length=255,
        blank=True,
        validators=[reject_markup],
        help_text=_("Pengelompokan baku yang dipakai, misalnya KBLI 2020 atau kelompok umur BPS."),
    )
    measure = models.CharField(
        _("ukuran"),
        max_length=255,
        blank=True,
        validators=[reject_markup],
        help_text=_("Apa yang dihitung, misalnya jumlah penduduk."),
    )
    unit = models.CharField(
        _("satuan"),
        max_length=100,
        blank=True,
        validators=[reject_markup],
        help_text=_("Misalnya jiwa, unit, persen, rupiah."),
    )
    frequency = models.CharField(
        _("frekuensi"), max_length=20, choices=Frequency.choices, blank=True
    )
    temporal_start = models.DateField(_("cakupan waktu: mulai"), null=True, blank=True)
    temporal_end = models.DateField(_("cakupan waktu: sampai"), null=True, blank=True)
    regions = models.ManyToManyField(
        "regency.Region", blank=True, related_name="+", verbose_name=_("cakupan wilayah")
    )
    source = models.CharField(
        _("sumber"),
        max_length=500,
        blank=True,
        validators=[reject_markup],
        help_text=_("Dari mana angka ini berasal: kegiatan, dokumen, atau publikasi."),
    )
    source_url = models.URLField(_("tautan sumber"), blank=True)
    contact_name = models.CharField(
        _("kontak: nama"), max_length=150, blank=True, validators=[reject_markup]
    )
    contact_email = models.EmailField(_("kontak: surel"), blank=True)
    license_id = models.CharField(
        _("lisensi"),
        max_length=40,
        choices=licenses.CHOICES,
        default=licenses.DEFAULT,
        help_text=licenses.HELP,
    )
    tags = models.JSONField(_("kata kunci"), default=list, blank=True)
    topics = models.ManyToManyField(
        Topic, blank=True, related_name="datasets", verbose_name=_("topik")
    )
    priority = models.BooleanField(
        _("data prioritas"),
        default=False,
        help_text=_("Termasuk daftar data prioritas yang ditetapkan Forum Satu Data."),
    )
    private = models.BooleanField(
        _("terbatas"),
        default=False,
        help_text=_(
            "Data dikecualikan: diverifikasi Walidata tetapi tidak dibuka ke publik maupun "
            "portal pusat."
        ),
    )

    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    review_note = models.TextField(_("catatan Walidata"), blank=True)
    origin = models.CharField(max_length=20, choices=Origin.choices, default=Origin.MANUAL)
    provenance = models.JSONField(default=dict, blank=True)
    revision = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)
    submitted_at = models.DateTimeField(null=True, blank=True, editable=False)
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["title"]
        verbose_name = _("dataset")
        verbose_name_plural = _("dataset")

    def __str__(self):
        return self.title

    @property
    def editable(self) -> bool:
        """Sent to the Walidata: frozen until verified or returned."""
        return self.status != self.Status.SUBMITTED


class Resource(models.Model):
    """One file or link of a dataset. Every upload is a new version; the public sees the
    version the Walidata last verified."""

    class Kind(models.TextChoices):
        UPLOAD = "unggah", _("Berkas unggahan")
        LINK = "tautan", _("Tautan")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="resources")
    name = models.CharField(_("nama"), max_length=200, validators=[reject_markup])
    description = models.TextField(_("keterangan"), blank=True, validators=[reject_markup])
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.UPLOAD)
    url = models.URLField(_("tautan"), blank=True, max_length=1000)
    format = models.CharField(_("format"), max_length=20, blank=True)
    position = models.PositiveIntegerField(default=0)
    current = models.ForeignKey(
        "ResourceVersion",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The newest version that loaded (or any file or link): what the OPD submits.",
    )
    public_version = models.ForeignKey(
        "ResourceVersion",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The version the Walidata verified: the only one public readers see.",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["position", "created_at"]
        verbose_name = _("sumber data")
        verbose_name_plural = _("sumber data")

    def __str__(self):
        return self.name


def catalog_storage():
    from django.core.files.storage import storages

    return storages["datacatalog_files"]


def version_path(instance, filename):
    # The original name lives in the row; paths are random and never come from the user.
    return f"{instance.resource.dataset.opd_id}/{instance.id.hex}"


class ResourceVersion(models.Model):
    """One upload of a resource. A tabular file is loaded into its own datastore table,
    named by this version's id; the original bytes are kept so old versions stay
    downloadable."""

    class State(models.TextChoices):
        PENDING = "menunggu", _("Menunggu tipe kolom")
        LOADED = "dimuat", _("Dimuat")
        FAILED = "gagal", _("Gagal dimuat")
        STORED = "disimpan", _("Berkas disimpan")  # not tabular: kept as a file
        LINK = "tautan", _("Tautan")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    file = models.FileField(upload_to=version_path, storage=catalog_storage, blank=True)
    original_name = models.CharField(max_length=255, blank=True)
    size = models.BigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    media_type = models.CharField(max_length=100, blank=True)
    format = models.CharField(max_length=20, blank=True)
    state = models.CharField(max_length=20, choices=State.choices, default=State.PENDING)
    dialect = models.JSONField(default=dict, blank=True)  # encoding, delimiter, header
    columns = models.JSONField(default=list, blank=True)  # [{"id": ..., "type": ...}]
    row_count = models.BigIntegerField(null=True, blank=True)
    report = models.JSONField(default=dict, blank=True)  # the last load's errors
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    loaded_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["resource", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["resource", "number"], name="datacatalog_version_once")
        ]

    def __str__(self):
        return f"{self.resource} v{self.number}"

    @property
    def datastore_active(self) -> bool:
        return self.state == self.State.LOADED

    @property
    def key(self) -> str:
        return self.id.hex


class DatasetEvent(models.Model):
    """The dataset's history: who prepared, sent, verified, returned or withdrew it."""

    class Action(models.TextChoices):
        CREATED = "dibuat", _("Dibuat")
        SAVED = "disimpan", _("Disimpan")
        UPLOADED = "diunggah", _("Berkas diunggah")
        LOADED = "dimuat", _("Data dimuat")
        LOAD_FAILED = "gagal-muat", _("Gagal dimuat")
        SUBMITTED = "diajukan", _("Diajukan ke Walidata")
        RETURNED = "dikembalikan", _("Dikembalikan")
        PUBLISHED = "diterbitkan", _("Diverifikasi dan terbit")
        WITHDRAWN = "ditarik", _("Ditarik dari publik")

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=20, choices=Action.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    user_name = models.CharField(max_length=150, blank=True)
    note = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.get_action_display()} {self.at:%Y-%m-%d %H:%M}"


class PublishedDatasetQuerySet(models.QuerySet):
    def public(self):
        return self.filter(private=False)


class PublishedDataset(models.Model):
    """What the Walidata verified, as the package dict central portals receive (JSON text,
    so a search page of 100 results is spliced, not rebuilt). Exists only while published."""

    dataset = models.OneToOneField(
        Dataset, primary_key=True, on_delete=models.CASCADE, related_name="published"
    )
    name = models.CharField(max_length=100, unique=True)
    title = models.CharField(max_length=200)
    opd = models.ForeignKey("opd.OPD", on_delete=models.PROTECT, related_name="+")
    license_id = models.CharField(max_length=40)
    private = models.BooleanField(default=False)
    metadata_created = models.DateTimeField()
    metadata_modified = models.DateTimeField(db_index=True)
    package = models.TextField()  # the package dict as JSON text
    search_text = models.TextField(blank=True)  # lower-cased name, title, tags, groups, notes

    objects = PublishedDatasetQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        indexes = [
            models.Index(fields=["title"], name="datacatalog_pub_title"),
            # Public search counts and pages read only this (the package texts stay on disk).
            models.Index(
                fields=["dataset"], condition=models.Q(private=False), name="datacatalog_pub_public"
            ),
        ]

    def __str__(self):
        return self.name


class PublishedTerm(models.Model):
    """One filterable value of a published dataset (a tag, group, format or extra), so that
    `fq` filters are one indexed subquery on any database."""

    dataset = models.ForeignKey(PublishedDataset, on_delete=models.CASCADE, related_name="terms")
    field = models.CharField(max_length=110)
    value = models.CharField(max_length=500)

    class Meta:
        indexes = [models.Index(fields=["field", "value"], name="datacatalog_term_lookup")]

    def __str__(self):
        return f"{self.field}:{self.value}"


class ApiToken(models.Model):
    """A token for the CKAN-compatible API, acting as its user. Only a hash is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="datacatalog_tokens"
    )
    name = models.CharField(_("nama"), max_length=100)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("token API data")
        verbose_name_plural = _("token API data")

    def __str__(self):
        return self.name


class CentralPortal(models.Model):
    """A central CKAN (Satu Data Indonesia, the province) our published datasets are pushed
    to. The token is kept encrypted with the identity keys; it is never shown again."""

    name = models.CharField(_("nama"), max_length=100, unique=True)
    url = models.URLField(_("alamat CKAN"), help_text=_("Misalnya https://data.go.id"))
    organization = models.CharField(
        _("organisasi di portal pusat"),
        max_length=100,
        help_text=_("Nama singkat organisasi kabupaten di portal pusat, tempat dataset dibuat."),
    )
    token_encrypted = models.TextField(blank=True, editable=False)
    active = models.BooleanField(_("aktif"), default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("portal pusat")
        verbose_name_plural = _("portal pusat")

    def __str__(self):
        return self.name

    def set_token(self, token: str) -> None:
        from satupintu.identity.protection import encrypt

        self.token_encrypted = encrypt(token) if token else ""

    def token(self) -> str:
        from satupintu.identity.protection import decrypt

        return decrypt(self.token_encrypted) if self.token_encrypted else ""


class SyncState(models.Model):
    """Where one dataset stands on one central portal: what we last sent and what is owed."""

    portal = models.ForeignKey(CentralPortal, on_delete=models.CASCADE, related_name="states")
    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="sync_states")
    sent_modified = models.DateTimeField(null=True, blank=True)  # metadata_modified we pushed
    deleted = models.BooleanField(default=False)  # the centre has it withdrawn
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["portal", "dataset"], name="datacatalog_sync_once")
        ]

    def __str__(self):
        return f"{self.dataset_id} @ {self.portal_id}"


class SyncLog(models.Model):
    """Every call made to a central portal and its answer, for Kominfo."""

    portal = models.ForeignKey(CentralPortal, on_delete=models.CASCADE, related_name="log")
    dataset = models.ForeignKey(
        Dataset, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    dataset_name = models.CharField(max_length=100)
    action = models.CharField(max_length=30)  # package_create, package_update, package_delete
    ok = models.BooleanField()
    status_code = models.PositiveIntegerField(null=True, blank=True)
    message = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.action} {self.dataset_name}"
