"""/healthz and /readyz for the load balancer, systemd and monitoring.

/healthz says the process answers; it touches nothing else, so a database outage never makes
a supervisor restart healthy web workers. /readyz checks what serving needs: the database
(without it nothing works: 503), the cache and the background worker (without them the site
still serves, slower or with queued work waiting: 200 with "degraded"; `?strict=1` turns
degraded into 503 for alerting). Only component names and booleans are shown: no host
names, versions or error texts for a stranger to read.
"""

import time

from django.core.cache import caches
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from . import worker_state

# Work waiting longer than this means the worker is not keeping up (or is gone).
QUEUE_LAG_LIMIT = 300


@never_cache
def healthz(request):
    return JsonResponse({"status": "ok"})


def _database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone()[0] == 1


def _cache():
    cache = caches["default"]
    ping = getattr(cache, "ping", None)
    if ping is not None:
        return ping()
    cache.set("satupintu:readyz", "1", 10)
    return cache.get("satupintu:readyz") == "1"


def _timed(check):
    started = time.perf_counter()
    try:
        ok = bool(check())
    except Exception:  # noqa: BLE001 (any failure of a dependency is "not ok", never a 500)
        ok = False
    return {"ok": ok, "ms": round((time.perf_counter() - started) * 1000, 1)}


@never_cache
def readyz(request):
    checks = {"database": _timed(_database), "cache": _timed(_cache)}
    if worker_state.uses_queue() and checks["database"]["ok"]:
        try:
            state = worker_state.snapshot()
            checks["worker"] = {
                "ok": state.workers_alive > 0 and state.oldest_ready_seconds < QUEUE_LAG_LIMIT,
                "alive": state.workers_alive,
                "queued": state.ready,
            }
        except Exception:  # noqa: BLE001
            checks["worker"] = {"ok": False}
    if not checks["database"]["ok"]:
        status = "down"
    elif all(check["ok"] for check in checks.values()):
        status = "ok"
    else:
        status = "degraded"
    strict = request.GET.get("strict") == "1"
    code = 503 if status == "down" or (strict and status != "ok") else 200
    return JsonResponse({"status": status, "checks": checks}, status=code)
