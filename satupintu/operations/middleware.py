"""One place that sees every request: its id, its metrics and its access-log line.

The access line holds the method, the URL pattern, the path without its query string (a
search query is the citizen's own words), the status and the time; never a user id, an
address or a cookie. nginx's own log is configured the same way (deploy/nginx/).
"""

import logging
import re
import time
import uuid

from django.conf import settings

from . import metrics
from .logs import request_id

access_log = logging.getLogger("satupintu.access")

_INCOMING_ID = re.compile(r"^[A-Za-z0-9-]{8,64}$")


def _route(request) -> str:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "unmatched"
    if match.url_name == "wagtail_serve" or match.view_name.endswith("wagtail_serve"):
        return "page"
    return str(match.route) or match.view_name or "unnamed"


class RequestMetricsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.log_access = getattr(settings, "SATUPINTU_ACCESS_LOG", False)

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        rid = incoming if _INCOMING_ID.match(incoming) else uuid.uuid4().hex
        token = request_id.set(rid)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
        finally:
            request_id.reset(token)
        elapsed = time.perf_counter() - started
        route = _route(request)
        status = response.status_code
        status_class = f"{status // 100}xx"
        metrics.REQUESTS.labels(method=request.method, route=route, status=status_class).inc()
        metrics.LATENCY.labels(route=route).observe(elapsed)
        response["X-Request-ID"] = rid
        if self.log_access:
            access_log.info(
                "request",
                extra={
                    "request_id": rid,
                    "method": request.method,
                    "route": route,
                    "path": request.path,
                    "status": status,
                    "duration_ms": round(elapsed * 1000, 1),
                },
            )
        return response

    def process_exception(self, request, exception):
        metrics.EXCEPTIONS.labels(route=_route(request), exception=type(exception).__name__).inc()
