"""Prometheus metrics: requests, latency, errors, sign-ins, the background queue.

prometheus-client (the reference client) rather than django-prometheus: we want a handful of
series with bounded labels (a URL *pattern*, never a path, so no identifier and no
unbounded cardinality reaches Prometheus), not a wrapper around every database and cache
call. Under gunicorn set PROMETHEUS_MULTIPROC_DIR (deploy/gunicorn.conf.py does) so the
workers' counters add up in one scrape.

/metrics answers only to the networks in SATUPINTU_METRICS_ALLOW (loopback by default) or
to a request bearing SATUPINTU_METRICS_TOKEN; to anyone else it is a plain 404.
"""

import hmac
import ipaddress
import os
import time

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.http import Http404
from prometheus_client import REGISTRY, CollectorRegistry, Counter, Histogram, multiprocess
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.django import PrometheusDjangoView

REQUESTS = Counter(
    "satupintu_http_requests_total",
    "HTTP requests answered, by URL pattern and status class.",
    ["method", "route", "status"],
)
LATENCY = Histogram(
    "satupintu_http_request_duration_seconds",
    "Time from the request reaching Django to the response leaving it.",
    ["route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 1, 2.5, 5, 10),
)
EXCEPTIONS = Counter(
    "satupintu_http_exceptions_total",
    "Requests that ended in an unhandled exception (HTTP 500).",
    ["route", "exception"],
)
SIGNINS = Counter(
    "satupintu_signins_total",
    "Sign-ins by kind of account (citizen or staff) and outcome.",
    ["kind", "outcome"],
)
CACHE_FALLBACKS = Counter(
    "satupintu_cache_unavailable_total",
    "Times a process found Redis unavailable and served from its own memory.",
    ["alias"],
)


def _signed_in(sender, request, user, **kwargs):
    from satupintu.citizens.accounts import BACKEND

    kind = "citizen" if getattr(user, "backend", "") == BACKEND else "staff"
    SIGNINS.labels(kind=kind, outcome="success").inc()


def _sign_in_failed(sender, credentials, request=None, **kwargs):
    SIGNINS.labels(kind="any", outcome="failure").inc()


def connect():
    user_logged_in.connect(_signed_in, dispatch_uid="satupintu-metrics-signin")
    user_login_failed.connect(_sign_in_failed, dispatch_uid="satupintu-metrics-signin-failed")


class QueueCollector:
    """The background queue and its workers, read from the database at scrape time."""

    def collect(self):
        from . import worker_state

        state = worker_state.snapshot()
        depth = GaugeMetricFamily(
            "satupintu_task_queue_depth", "Background tasks waiting to run.", labels=["queue"]
        )
        for queue, count in state.ready_by_queue.items():
            depth.add_metric([queue], count)
        yield depth
        yield GaugeMetricFamily(
            "satupintu_task_oldest_ready_seconds",
            "Age of the oldest task waiting to run (0 when none waits).",
            value=state.oldest_ready_seconds,
        )
        yield GaugeMetricFamily(
            "satupintu_task_running", "Background tasks running now.", value=state.running
        )
        yield GaugeMetricFamily(
            "satupintu_task_failed_total_stored",
            "Failed background tasks still kept in the result table.",
            value=state.failed,
        )
        yield GaugeMetricFamily(
            "satupintu_workers_alive",
            "Worker processes with a heartbeat in the last minute.",
            value=state.workers_alive,
        )


class _Global:
    """The single-process registry's metrics, for a registry built per scrape."""

    def collect(self):
        yield from REGISTRY.collect()


def _allowed(request) -> bool:
    token = getattr(settings, "SATUPINTU_METRICS_TOKEN", "")
    header = request.headers.get("Authorization", "")
    if token and header.startswith("Bearer ") and hmac.compare_digest(header[7:], token):
        return True
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return any(address in network for network in settings.SATUPINTU_METRICS_ALLOW)


class MetricsView(PrometheusDjangoView):
    def get(self, request, *args, **kwargs):
        if not _allowed(request):
            raise Http404
        started = time.perf_counter()
        registry = CollectorRegistry()
        if "PROMETHEUS_MULTIPROC_DIR" in os.environ:
            multiprocess.MultiProcessCollector(registry)
        else:
            registry.register(_Global())
        registry.register(QueueCollector())
        self.registry = registry
        response = super().get(request, *args, **kwargs)
        response["Cache-Control"] = "no-store"
        response["X-Scrape-Ms"] = f"{(time.perf_counter() - started) * 1000:.1f}"
        return response
