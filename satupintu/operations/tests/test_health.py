import datetime
from unittest import mock

import pytest
from django.test import override_settings
from django.utils import timezone

from satupintu.operations.models import WorkerHeartbeat

QUEUED = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_healthz_answers_without_touching_the_database(client):
    # No django_db mark: any query here would raise.
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


@pytest.mark.django_db
def test_readyz_reports_each_component(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache"}  # the embedded mode queues nothing
    assert all(check["ok"] for check in body["checks"].values())


@pytest.mark.django_db
def test_readyz_is_unavailable_without_the_database(client):
    with mock.patch("satupintu.operations.health._database", side_effect=OSError("refused")):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["status"] == "down"
    assert "refused" not in response.content.decode()  # no error text for strangers


@pytest.mark.django_db
def test_readyz_is_degraded_but_serving_when_the_cache_is_down(client):
    with mock.patch("satupintu.operations.health._cache", return_value=False):
        response = client.get("/readyz")
        strict = client.get("/readyz?strict=1")
    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert strict.status_code == 503


@pytest.mark.django_db
@override_settings(TASKS=QUEUED)
def test_readyz_needs_a_live_worker_when_work_is_queued(client):
    body = client.get("/readyz").json()
    assert body["status"] == "degraded"
    assert body["checks"]["worker"] == {"ok": False, "alive": 0, "queued": 0}

    now = timezone.now()
    WorkerHeartbeat.objects.create(
        worker_id="w1", host="h", pid=1, started_at=now, seen_at=now
    )
    body = client.get("/readyz").json()
    assert body["status"] == "ok"
    assert body["checks"]["worker"]["alive"] == 1

    WorkerHeartbeat.objects.update(seen_at=now - datetime.timedelta(minutes=5))
    assert client.get("/readyz").json()["checks"]["worker"]["ok"] is False
