import datetime

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from satupintu.operations.management.commands.worker import requeue_abandoned
from satupintu.operations.models import WorkerHeartbeat

QUEUED = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _queued():
    with override_settings(TASKS=QUEUED):
        yield


def running_task(worker_id, started_minutes_ago):
    from satupintu.search.documents import extract_document

    result = extract_document.enqueue(0)
    task = DBTaskResult.objects.get(id=result.id)
    task.claim(worker_id)
    DBTaskResult.objects.filter(id=task.id).update(
        started_at=timezone.now() - datetime.timedelta(minutes=started_minutes_ago)
    )
    return task


def beat(worker_id, seconds_ago=0):
    now = timezone.now() - datetime.timedelta(seconds=seconds_ago)
    WorkerHeartbeat.objects.create(
        worker_id=worker_id, host="h", pid=1, started_at=now, seen_at=now
    )


def test_work_of_a_killed_worker_goes_back_to_the_queue():
    beat("alive")
    beat("killed", seconds_ago=600)
    of_killed = running_task("killed", started_minutes_ago=10)
    of_unknown = running_task("never-beat", started_minutes_ago=10)
    of_alive = running_task("alive", started_minutes_ago=10)
    just_started = running_task("starting", started_minutes_ago=0)

    assert requeue_abandoned() == 2
    status = dict(DBTaskResult.objects.values_list("id", "status"))
    assert status[of_killed.id] == status[of_unknown.id] == TaskResultStatus.READY
    assert status[of_alive.id] == status[just_started.id] == TaskResultStatus.RUNNING
    assert requeue_abandoned() == 0  # nothing twice


def test_the_worker_runs_queued_work_and_leaves_no_heartbeat_behind():
    from satupintu.search.documents import extract_document

    result = extract_document.enqueue(0)  # no such document: the task ends quietly
    call_command("worker", "--batch", "--no-startup-delay", "--worker-id", "test-worker")
    task = DBTaskResult.objects.get(id=result.id)
    assert task.status == TaskResultStatus.SUCCESSFUL
    assert task.worker_ids == ["test-worker"]
    assert not WorkerHeartbeat.objects.exists()  # a clean stop removes its row


def test_the_worker_outlives_a_database_restart(monkeypatch, caplog):
    from django.db import OperationalError
    from django_tasks_db.management.commands import db_worker

    from satupintu.operations.management.commands import worker

    real_run = db_worker.Worker.run
    calls = []

    def flaky_run(self):
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("the database system is shutting down")
        return real_run(self)

    monkeypatch.setattr(db_worker.Worker, "run", flaky_run)
    monkeypatch.setattr(worker.time, "sleep", lambda seconds: None)
    call_command("worker", "--batch", "--no-startup-delay", "--worker-id", "steady")
    assert len(calls) == 2
    assert "worker waits and tries again" in caplog.text
