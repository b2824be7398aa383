"""`satupintu worker`: django-tasks-db's worker, plus a heartbeat and recovery of lost work.

A worker killed in the middle of a task (OOM killer, `kill -9`, a power cut) leaves that task
marked RUNNING forever in django-tasks-db. This worker keeps a heartbeat row while it lives
and, at start and every minute, puts back in the queue any task whose worker has stopped
beating. Tasks must therefore be idempotent (running one twice does no harm): ours are
(see DEVELOPERS.md).
"""

import atexit
import datetime
import logging
import os
import socket
import threading
import time

from django.db import (
    InterfaceError,
    OperationalError,
    close_old_connections,
    connection,
    transaction,
)
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.management.commands import db_worker

from satupintu.operations import worker_state
from satupintu.operations.models import WorkerHeartbeat

logger = logging.getLogger("satupintu.worker")


def requeue_abandoned(now=None) -> int:
    """Put RUNNING tasks whose worker no longer beats back into the queue; return how many."""
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    stale_before = now - datetime.timedelta(seconds=worker_state.STALE)
    alive = set(
        WorkerHeartbeat.objects.filter(seen_at__gte=stale_before).values_list(
            "worker_id", flat=True
        )
    )
    requeued = 0
    with transaction.atomic():
        running = DBTaskResult.objects.running().select_for_update(skip_locked=True)
        for task in running.filter(started_at__lt=stale_before):
            owner = task.worker_ids[-1] if task.worker_ids else None
            if owner in alive:
                continue
            task.status = TaskResultStatus.READY
            task.started_at = None
            task.save(update_fields=["status", "started_at"])
            requeued += 1
    if requeued:
        logger.warning(
            "Requeued tasks abandoned by a stopped worker",
            extra={"event": "worker.requeued", "count": requeued},
        )
    return requeued


class Heartbeat(threading.Thread):
    def __init__(self, worker_id):
        super().__init__(name="satupintu-heartbeat", daemon=True)
        self.worker_id = worker_id
        self.stopped = threading.Event()
        self.beats = 0

    def beat(self):
        now = timezone.now()
        WorkerHeartbeat.objects.update_or_create(
            worker_id=self.worker_id,
            defaults={"host": socket.gethostname()[:255], "pid": os.getpid(), "seen_at": now},
            create_defaults={
                "host": socket.gethostname()[:255],
                "pid": os.getpid(),
                "seen_at": now,
                "started_at": now,
            },
        )
        self.beats += 1

    def run(self):
        try:
            while not self.stopped.wait(worker_state.HEARTBEAT):
                try:
                    close_old_connections()
                    self.beat()
                    # Every minute or so, look for work a dead worker left behind.
                    if self.beats % max(1, worker_state.STALE // worker_state.HEARTBEAT) == 0:
                        requeue_abandoned()
                except Exception:  # noqa: BLE001 (the database may be restarting; beat again later)
                    logger.warning("Worker heartbeat failed", exc_info=True)
        finally:
            connection.close()

    def stop(self):
        if self.stopped.is_set():
            return
        self.stopped.set()
        try:
            WorkerHeartbeat.objects.filter(worker_id=self.worker_id).delete()
        except Exception:  # noqa: BLE001
            logger.warning("Could not remove the worker heartbeat", exc_info=True)


class Command(db_worker.Command):
    help = "Run the background worker (django-tasks-db) with a heartbeat and lost-task recovery."

    def handle(self, *args, **options):
        worker_id = options["worker_id"]
        heartbeat = Heartbeat(worker_id)
        heartbeat.beat()  # before the first claim, so no other worker mistakes us for dead
        requeue_abandoned()
        heartbeat.start()
        atexit.register(heartbeat.stop)
        try:
            return self._run_through_outages(*args, **options)
        finally:
            heartbeat.stop()
            atexit.unregister(heartbeat.stop)

    def _run_through_outages(self, *args, **options):
        """A PostgreSQL restart would end django-tasks-db's loop with OperationalError; wait
        for the database and go on instead, so a restart costs seconds, not a dead worker."""
        wait = 1
        while True:
            try:
                return super().handle(*args, **options)
            except (OperationalError, InterfaceError) as error:
                logger.warning(
                    "Database unavailable; the worker waits and tries again",
                    extra={"event": "worker.db_unavailable", "error": type(error).__name__,
                           "retry_in": wait},
                )
                connection.close()
                time.sleep(wait)
                wait = min(wait * 2, 30)
