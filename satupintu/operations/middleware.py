"""One place that sees every request: its id, its metrics and its access-log line.

The access line holds the method, the URL pattern, the path without its query string (a
search query is the citizen's own words), the status and the time; never a user id, an
address or a cookie. nginx's own log is configured the same way (deploy/nginx/).
"""

import ipaddress
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
    if match.url_name == "wagtail_serve":
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


class TrustedProxyMiddleware:
    """REMOTE_ADDR is the visitor's address, not nginx's.

    Behind nginx every request comes from 127.0.0.1, so the sign-in throttle would count all
    citizens as one and /metrics would trust everybody. When the peer is one of
    SATUPINTU_TRUSTED_PROXIES, the last address in X-Forwarded-For that is not itself a
    trusted proxy becomes REMOTE_ADDR (nginx sets the header, replacing what a client sent).
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.trusted = settings.SATUPINTU_TRUSTED_PROXIES

    def _is_trusted(self, value):
        try:
            address = ipaddress.ip_address(value.strip())
        except ValueError:
            return False
        return any(address in network for network in self.trusted)

    def __call__(self, request):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR")
        if forwarded and self._is_trusted(request.META.get("REMOTE_ADDR", "")):
            for candidate in reversed(forwarded.split(",")):
                candidate = candidate.strip()
                try:
                    ipaddress.ip_address(candidate)
                except ValueError:
                    break
                request.META["REMOTE_ADDR"] = candidate
                if not self._is_trusted(candidate):
                    break
        return self.get_response(request)


class PublicCacheHeadersMiddleware:
    """How long a public page may be kept: briefly by browsers, a few seconds by nginx.

    wagtail-cache advertises its own server-side lifetime (an hour, purged on publish) as
    `max-age`, which would let browsers and any proxy on the way show an old page for an hour.
    Responses that are public and cacheable get `public, max-age=SATUPINTU_BROWSER_MAX_AGE`
    instead, and `X-Accel-Expires` tells nginx's micro-cache its own, shorter lifetime
    (nginx strips that header before it reaches the browser). Private, no-store and
    cookie-dependent responses are left exactly as they are.
    """

    _CACHEABLE_STATUS = {200, 301, 404, 410}

    def __init__(self, get_response):
        self.get_response = get_response
        self.browser = settings.SATUPINTU_BROWSER_MAX_AGE
        self.nginx = settings.SATUPINTU_MICROCACHE_SECONDS

    def __call__(self, request):
        response = self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            return response
        if response.status_code not in self._CACHEABLE_STATUS:
            return response
        control = response.get("Cache-Control", "").lower()
        if "max-age" not in control or any(
            word in control for word in ("private", "no-store", "no-cache", "max-age=0")
        ):
            return response
        if "cookie" in response.get("Vary", "").lower() or response.cookies:
            return response
        response["Cache-Control"] = f"public, max-age={self.browser}"
        response["X-Accel-Expires"] = str(self.nginx)
        if "Expires" in response:
            del response["Expires"]
        return response
