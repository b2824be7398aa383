"""The background queue's state, shared by /readyz, the metrics and `check-deploy`."""

import dataclasses
import datetime

from django.conf import settings
from django.db.models import Count, Min
from django.utils import timezone

# A worker touches its heartbeat every HEARTBEAT seconds; one silent for STALE is gone.
HEARTBEAT = 5
STALE = 60


@dataclasses.dataclass
class Snapshot:
    queued: bool  # does this installation queue work at all (or run it inline)?
    ready_by_queue: dict
    oldest_ready_seconds: float
    running: int
    failed: int
    workers_alive: int

    @property
    def ready(self) -> int:
        return sum(self.ready_by_queue.values())


def uses_queue() -> bool:
    backend = settings.TASKS.get("default", {}).get("BACKEND", "")
    return backend.startswith("django_tasks_db.")


def snapshot() -> Snapshot:
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from .models import WorkerHeartbeat

    now = timezone.now()
    ready = DBTaskResult.objects.ready()
    by_queue = dict(ready.values_list("queue_name").annotate(n=Count("id")).order_by())
    oldest = ready.aggregate(oldest=Min("enqueued_at"))["oldest"]
    counts = dict(
        DBTaskResult.objects.filter(
            status__in=[TaskResultStatus.RUNNING, TaskResultStatus.FAILED]
        )
        .values_list("status")
        .annotate(n=Count("id"))
        .order_by()
    )
    alive = WorkerHeartbeat.objects.filter(
        seen_at__gte=now - datetime.timedelta(seconds=STALE)
    ).count()
    return Snapshot(
        queued=uses_queue(),
        ready_by_queue=by_queue,
        oldest_ready_seconds=(now - oldest).total_seconds() if oldest else 0.0,
        running=counts.get(TaskResultStatus.RUNNING, 0),
        failed=counts.get(TaskResultStatus.FAILED, 0),
        workers_alive=alive,
    )
