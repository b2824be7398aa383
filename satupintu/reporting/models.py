"""Pelaporan: the report types Kominfo defines, what each OPD submits per period, and the
history of every submission.

`ReportType.fields` is what Kominfo edits; `FormVersion` is what submissions are filled in
with (a frozen copy of the schema, one per saved change). A `Submission` is one OPD's report
for one period; every save, submission, decision and correction is a `SubmissionEvent` with
who and when, and submitted or approved content is kept there as a snapshot, so a report
cannot change silently. Statuses "belum diisi" (no row yet) and "terlambat" (past due and not
submitted) are derived, not stored: see `obligations.py`.
"""

import datetime
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.fields import StreamField

from . import periods
from . import schema as schema_rules
from .blocks import FIELD_BLOCKS


class ReportType(models.Model):
    class Kind(models.TextChoices):
        ACTIVITY = "kegiatan", _("Laporan kegiatan")
        DATA = "data", _("Laporan data")

    name = models.CharField(_("nama"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    description = models.TextField(_("keterangan"), blank=True)
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices, default=Kind.DATA)
    period = models.CharField(_("periode"), max_length=12, choices=periods.CHOICES)
    first_period_start = models.DateField(
        _("berlaku mulai"),
        help_text=_("Laporan wajib sejak periode yang memuat tanggal ini."),
    )
    one_off_end = models.DateField(
        _("akhir periode (laporan sekali)"),
        null=True,
        blank=True,
        help_text=_("Hanya untuk periode “Sekali”: hari terakhir yang dilaporkan."),
    )
    due_working_days = models.PositiveSmallIntegerField(
        _("tenggat (hari kerja setelah periode berakhir)"), default=10
    )
    opd_types = models.JSONField(
        _("wajib untuk jenis OPD"),
        default=list,
        blank=True,
        help_text=_("Mis. semua kecamatan. Boleh dikombinasikan dengan OPD tertentu."),
    )
    opds = models.ManyToManyField(
        "opd.OPD", verbose_name=_("wajib untuk OPD tertentu"), blank=True, related_name="+"
    )
    fields = StreamField(FIELD_BLOCKS, verbose_name=_("isian formulir"), blank=True)
    current_version = models.ForeignKey(
        "FormVersion",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    active = models.BooleanField(_("aktif"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("jenis laporan")
        verbose_name_plural = _("jenis laporan")

    def __str__(self):
        return self.name

    def clean(self):
        from satupintu.opd.models import OPD

        unknown = set(self.opd_types or []) - set(OPD.Type.values)
        if unknown:
            raise ValidationError({"opd_types": _("Jenis OPD tidak dikenal.")})
        if self.period == periods.ONE_OFF:
            if self.one_off_end is None:
                raise ValidationError(
                    {"one_off_end": _("Laporan sekali perlu tanggal akhir periode.")}
                )
            if self.one_off_end < self.first_period_start:
                raise ValidationError(
                    {"one_off_end": _("Akhir periode tidak boleh sebelum awalnya.")}
                )
        try:
            schema_rules.check(schema_rules.normalise(self.fields))
        except ValidationError as error:
            raise ValidationError({"fields": error.messages}) from error

    def publish_form(self, user=None):
        """Freeze the current form as a new version when it differs from the last one."""
        schema = schema_rules.normalise(self.fields)
        current = self.current_version
        if current is not None and current.schema == schema:
            return current
        with transaction.atomic():
            number = (current.number + 1) if current else 1
            version = FormVersion.objects.create(
                report_type=self, number=number, schema=schema, created_by=user
            )
            ReportType.objects.filter(pk=self.pk).update(current_version=version)
            self.current_version = version
        return version

    # --- periods --------------------------------------------------------------------------
    def period_for(self, day: datetime.date) -> periods.Period:
        if self.period == periods.ONE_OFF:
            return periods.Period(self.first_period_start, self.one_off_end, periods.ONE_OFF)
        return periods.containing(self.period, day)

    def period_from_key(self, key: str) -> periods.Period | None:
        if self.period == periods.ONE_OFF:
            period = self.period_for(self.first_period_start)
            return period if key == period.key else None
        period = periods.from_key(self.period, key)
        if (
            period is None
            or period.end < periods.containing(self.period, self.first_period_start).start
        ):
            return None
        return period

    def ended_periods(self, today: datetime.date) -> list[periods.Period]:
        if self.period == periods.ONE_OFF:
            period = self.period_for(self.first_period_start)
            return [period] if period.end < today else []
        return periods.ended_between(self.period, self.first_period_start, today)

    def applies_to(self, opd) -> bool:
        return opd.type in (self.opd_types or []) or self.opds.filter(pk=opd.pk).exists()


class FormVersion(models.Model):
    report_type = models.ForeignKey(ReportType, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    schema = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["report_type", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["report_type", "number"], name="reporting_version_once")
        ]

    def __str__(self):
        return f"{self.report_type} v{self.number}"

    def field(self, key):
        return next((f for f in self.schema if f["key"] == key), None)


class Submission(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draf", _("Draf")
        SUBMITTED = "dikirim", _("Dikirim")
        RETURNED = "dikembalikan", _("Dikembalikan")
        APPROVED = "disetujui", _("Disetujui")

    report_type = models.ForeignKey(
        ReportType, on_delete=models.PROTECT, related_name="submissions"
    )
    opd = models.ForeignKey("opd.OPD", on_delete=models.PROTECT, related_name="report_submissions")
    period_start = models.DateField()
    period_end = models.DateField()
    version = models.ForeignKey(FormVersion, on_delete=models.PROTECT, related_name="submissions")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    data = models.JSONField(default=dict)
    # 1 for the first report; each correction after approval starts the next revision.
    revision = models.PositiveIntegerField(default=1)
    # Bumped on every save: a form posted with an older value was edited by someone else since.
    lock = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    first_submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    # Set by every approval and never cleared: approved content stands while a correction of
    # it is drafted (the report is then neither missing nor late).
    last_approved_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    comment = models.TextField(blank=True)  # the verifikator's reason when returning it
    news_page = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-period_start", "report_type__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["report_type", "opd", "period_start"], name="reporting_one_per_period"
            )
        ]
        indexes = [models.Index(fields=["period_start", "report_type"], name="reporting_matrix")]

    def __str__(self):
        return f"{self.report_type} · {self.opd} · {self.period.label}"

    @property
    def period(self) -> periods.Period:
        kind = self.report_type.period
        return periods.Period(self.period_start, self.period_end, kind)

    @property
    def editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)

    def due_date(self, calendar=None) -> datetime.date:
        from .workdays import Calendar

        calendar = calendar or Calendar()
        return calendar.add_working_days(self.period_end, self.report_type.due_working_days)


class SubmissionEvent(models.Model):
    class Action(models.TextChoices):
        CREATED = "dibuat", _("Draf dibuat")
        SAVED = "disimpan", _("Draf disimpan")
        SUBMITTED = "dikirim", _("Dikirim untuk diverifikasi")
        RETURNED = "dikembalikan", _("Dikembalikan untuk diperbaiki")
        APPROVED = "disetujui", _("Disetujui")
        REOPENED = "dikoreksi", _("Koreksi dibuka (revisi baru)")
        VERSION = "versi", _("Dipindah ke versi formulir terbaru")
        NEWS = "berita", _("Dijadikan berita")

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    user_name = models.CharField(max_length=150, blank=True)  # kept if the account goes
    action = models.CharField(max_length=12, choices=Action.choices)
    revision = models.PositiveIntegerField()
    version = models.ForeignKey(FormVersion, on_delete=models.PROTECT, related_name="+")
    comment = models.TextField(blank=True)
    # The content at this moment, for submissions and approvals (what was handed in / agreed).
    snapshot = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.get_action_display()} {self.at:%Y-%m-%d %H:%M}"


def reporting_storage():
    from django.core.files.storage import storages

    return storages["reporting_files"]


def attachment_path(instance, filename):
    # Random names: the original name is kept in the row, never in the path.
    return f"reports/{instance.submission.opd_id}/{uuid.uuid4().hex}"


class Attachment(models.Model):
    """A file attached to a report. Stored outside the public media folder and served only
    through the reporting views, which check the OPD."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="attachments")
    field_key = models.CharField(max_length=40)
    file = models.FileField(upload_to=attachment_path, storage=reporting_storage)
    name = models.CharField(max_length=200)
    size = models.PositiveIntegerField()
    content_type = models.CharField(max_length=100)
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(default=timezone.now)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self):
        return self.name


class LeaveDay(models.Model):
    """A day the regency declares off (e.g. its anniversary leave), on top of the national
    holidays and cuti bersama that come from the `holidays` package."""

    date = models.DateField(_("tanggal"), unique=True)
    name = models.CharField(_("keterangan"), max_length=200)

    class Meta:
        ordering = ["-date"]
        verbose_name = _("hari libur daerah")
        verbose_name_plural = _("hari libur daerah")

    def __str__(self):
        return f"{self.date:%d-%m-%Y} {self.name}"


class Reminder(models.Model):
    """A reminder sent, so that each is sent once."""

    class Kind(models.TextChoices):
        BEFORE = "sebelum", _("Menjelang tenggat")
        OVERDUE = "terlambat", _("Lewat tenggat")

    report_type = models.ForeignKey(ReportType, on_delete=models.CASCADE, related_name="+")
    opd = models.ForeignKey("opd.OPD", on_delete=models.CASCADE, related_name="+")
    period_start = models.DateField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    sent_at = models.DateTimeField(default=timezone.now)
    recipients = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["report_type", "opd", "period_start", "kind"], name="reporting_remind_once"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.period_start:%Y-%m} {self.sent_at:%Y-%m-%d}"


class PublishedAggregate(models.Model):
    """Kominfo's choice to publish a summary of approved reports as a dataset in the regional
    data catalog (Satu Data). The numbers are not copied: `table()` recomputes them from the
    approved reports whenever the catalog asks, so a later approval or correction shows up."""

    report_type = models.ForeignKey(ReportType, on_delete=models.CASCADE, related_name="+")
    path = models.CharField(_("isian"), max_length=81)
    grouping = models.CharField(_("pengelompokan"), max_length=20)
    function = models.CharField(_("fungsi"), max_length=10)
    months = models.PositiveSmallIntegerField(_("rentang (bulan)"), default=36)
    title = models.CharField(_("judul dataset"), max_length=255)
    description = models.TextField(_("keterangan"), blank=True)
    active = models.BooleanField(_("diterbitkan"), default=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["title"]
        verbose_name = _("rekap laporan untuk katalog data")
        verbose_name_plural = _("rekap laporan untuk katalog data")

    def __str__(self):
        return self.title

    def table(self, today=None):
        from .aggregate import build

        return build(
            self.report_type,
            self.path,
            grouping=self.grouping,
            function=self.function,
            months=self.months,
            today=today,
        )
