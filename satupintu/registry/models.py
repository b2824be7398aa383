"""What the registry side keeps: the imported extract (hashes only) and each verdict.

A SIAK extract is specific personal data. The local table keeps keyed hashes of the NIK and of
each matching field, the birth date (needed for the age rule and cheap to hash-match, so it is
hashed as well) and the domicile region code; names, addresses and family numbers are never
stored. A dump of this table without the hash key reveals nobody.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RegistryExtract(models.Model):
    """One imported SIAK extract. Exactly one is active; a re-import loads a new one beside it
    and switches over in one transaction, so lookups never see half an extract."""

    class Status(models.TextChoices):
        LOADING = "loading", _("Sedang dimuat")
        ACTIVE = "active", _("Aktif")
        FAILED = "failed", _("Gagal")
        REPLACED = "replaced", _("Diganti")

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.LOADING)
    source_name = models.CharField(_("nama berkas"), max_length=255)
    source_sha256 = models.CharField(max_length=64)
    rows = models.PositiveIntegerField(default=0)
    errors = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    imported_by = models.CharField(max_length=150, blank=True)

    class Meta:
        verbose_name = _("ekstrak data kependudukan")
        verbose_name_plural = _("ekstrak data kependudukan")
        constraints = [
            models.UniqueConstraint(
                fields=["status"],
                condition=models.Q(status="active"),
                name="registry_one_active_extract",
            )
        ]

    def __str__(self):
        return f"{self.source_name} ({self.get_status_display()})"


class RegistryRecord(models.Model):
    """One person in an extract, as keyed hashes (see satupintu.identity.protection).

    The NIK is not unique at the database level: an extract is loaded first and checked for
    duplicate NIKs afterwards with one GROUP BY, so the importer never holds a million hashes
    in memory, and every duplicate can be reported with its line instead of stopping at the
    first. An extract only becomes active once that check found none.
    """

    extract = models.ForeignKey(
        RegistryExtract, on_delete=models.CASCADE, related_name="records", db_index=False
    )
    # HMAC-SHA256 digests (protection.keyed_hash, as 32 raw bytes rather than 64 hex
    # characters): half the table and index of a regency's population, and compared byte
    # by byte, not through a text collation. Empty: the extract had no such column.
    nik_hash = models.BinaryField(max_length=32)
    name_hash = models.BinaryField(max_length=32)
    birth_date_hash = models.BinaryField(max_length=32)
    birth_place_hash = models.BinaryField(max_length=32, blank=True, default=b"")
    mother_name_hash = models.BinaryField(max_length=32, blank=True, default=b"")
    # Kemendagri code of the domicile desa/kelurahan ("35.24.01.2001") or kecamatan.
    domicile_code = models.CharField(max_length=13, blank=True)
    # Line in the imported file: lets the duplicate check name both lines without the NIK.
    line = models.PositiveIntegerField(default=0)

    class Meta:
        # One index serves the lookup (extract + NIK hash), the duplicate check (GROUP BY
        # within an extract) and the deletion of a replaced extract; a second one on the
        # foreign key alone would only slow the load down.
        indexes = [models.Index(fields=["extract", "nik_hash"], name="registry_record_nik")]

    def __str__(self):
        return f"record {self.pk}"


class RegistryCheck(models.Model):
    """The verdict of one verification: never the registry's raw answer."""

    # Not unique: the transaction id may come from the registry, which we do not control.
    transaction_id = models.CharField(max_length=64, default=uuid.uuid4, db_index=True)
    backend = models.CharField(max_length=20)
    checked_at = models.DateTimeField()
    matched = models.BooleanField()
    # {"nik": true, "full_name": false, ...}: one boolean per field sent.
    fields = models.JSONField(default=dict)
    resident = models.BooleanField(null=True)
    domicile_code = models.CharField(max_length=13, blank=True)
    # The account the check ended up proving, once there is one.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="registry_checks",
    )

    class Meta:
        verbose_name = _("hasil verifikasi")
        verbose_name_plural = _("hasil verifikasi")
        ordering = ["-checked_at"]

    def __str__(self):
        return self.transaction_id

    @classmethod
    def record(cls, verdict, user=None):
        return cls.objects.create(
            transaction_id=verdict.transaction_id,
            backend=verdict.backend,
            checked_at=verdict.checked_at,
            matched=verdict.matched,
            fields=dict(verdict.fields),
            resident=verdict.resident,
            domicile_code=verdict.domicile_code,
            user=user,
        )
