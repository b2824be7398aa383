"""What the background worker leaves behind so others can tell it is alive."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkerHeartbeat(models.Model):
    """One row per worker process, touched every few seconds while it runs.

    django-tasks-db records which worker claimed a task but not whether that worker still
    lives; /readyz, the metrics and the worker's own recovery of abandoned tasks read this.
    """

    worker_id = models.CharField(_("ID pekerja"), max_length=64, unique=True)
    host = models.CharField(_("host"), max_length=255)
    pid = models.PositiveIntegerField(_("PID"))
    started_at = models.DateTimeField(_("mulai"))
    seen_at = models.DateTimeField(_("terakhir terlihat"), db_index=True)
    tasks_done = models.PositiveIntegerField(_("tugas selesai"), default=0)

    class Meta:
        verbose_name = _("denyut pekerja latar")
        verbose_name_plural = _("denyut pekerja latar")

    def __str__(self):
        return f"{self.worker_id}@{self.host}"
