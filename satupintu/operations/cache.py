"""A Redis cache that keeps the site serving when Redis is gone.

Django's Redis backend raises on every call once Redis stops, and every public page reads the
cache, so a Redis restart would turn the whole portal into error pages. This backend catches
the connection error, marks Redis down for a few seconds (so each request does not wait for
a connect timeout again) and meanwhile serves from a small cache in the process's own memory:
slower and not shared between workers, but the site keeps answering.

When Redis answers again, everything this alias holds in Redis is cleared once, because
what happened while it was away (a publish that purged pages, a sign-out that deleted a
cached session) never reached it; the database is the source of truth for anything that
must survive (sessions are `cached_db`).

`CLEAR` chooses how `clear()` works: "db" (the default, FLUSHDB; the alias owns its Redis
database, as the pages cache does in production) or "prefix" (delete only this alias's
keys; for several test processes sharing one database).
"""

import logging
import threading
import time

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

FAILURES = (RedisConnectionError, RedisTimeoutError, ConnectionError, TimeoutError, OSError)


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        params = dict(params)
        options = dict(params.get("OPTIONS") or {})
        self.retry_after = float(options.pop("RETRY_AFTER", 5))
        self.clear_scope = options.pop("CLEAR", "db")
        # Fail fast: a page must not hang for the default socket timeout while Redis is away.
        options.setdefault("socket_connect_timeout", 0.25)
        options.setdefault("socket_timeout", 0.5)
        params["OPTIONS"] = options
        super().__init__(server, params)
        self._fallback = LocMemCache(
            f"redis-fallback-{id(self)}",
            {"TIMEOUT": params.get("TIMEOUT", 300), "OPTIONS": {"MAX_ENTRIES": 1000}},
        )
        self._down_until = 0.0
        self._was_down = False
        self._lock = threading.Lock()

    # --- the switch between Redis and the fallback -------------------------------------------
    def _call(self, name, *args, **kwargs):
        if time.monotonic() < self._down_until:
            return getattr(self._fallback, name)(*args, **kwargs)
        try:
            if self._was_down:
                self._recover()
            return getattr(super(), name)(*args, **kwargs)
        except FAILURES as error:
            self._mark_down(error)
            return getattr(self._fallback, name)(*args, **kwargs)

    def _mark_down(self, error):
        with self._lock:
            first = not self._was_down
            self._down_until = time.monotonic() + self.retry_after
            self._was_down = True
        if first:
            from .metrics import CACHE_FALLBACKS

            CACHE_FALLBACKS.labels(alias=self.key_prefix or "default").inc()
            logger.warning(
                "Redis cache unavailable; serving from process memory",
                extra={"event": "cache.down", "error": type(error).__name__},
            )

    def _recover(self):
        """Redis is back: forget what it held before the outage, and our local stand-in."""
        self._clear_redis()  # raises again if Redis is still away, which _call handles
        with self._lock:
            self._was_down = False
        self._fallback.clear()
        logger.warning("Redis cache available again", extra={"event": "cache.up"})

    @property
    def is_down(self) -> bool:
        return time.monotonic() < self._down_until

    def ping(self) -> bool:
        """For /readyz: does Redis itself answer now (not the stand-in)?"""
        try:
            return bool(self._cache.get_client(write=False).ping())
        except FAILURES:
            return False

    # --- the cache API ------------------------------------------------------------------------
    def add(self, key, value, timeout=None, version=None):
        return self._call("add", key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._call("get", key, default, version)

    def set(self, key, value, timeout=None, version=None):
        return self._call("set", key, value, timeout, version)

    def touch(self, key, timeout=None, version=None):
        return self._call("touch", key, timeout, version)

    def delete(self, key, version=None):
        return self._call("delete", key, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", key, version)

    def incr(self, key, delta=1, version=None):
        return self._call("incr", key, delta, version)

    def set_many(self, data, timeout=None, version=None):
        return self._call("set_many", data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", keys, version)

    def clear(self):
        self._fallback.clear()
        if self.is_down:
            return None
        try:
            return self._clear_redis()
        except FAILURES as error:
            self._mark_down(error)
            return None

    def _clear_redis(self):
        if self.clear_scope != "prefix":
            return super().clear()
        client = self._cache.get_client(write=True)
        pattern = f"{self.key_prefix}:*" if self.key_prefix else "*"
        batch = []
        for key in client.scan_iter(match=pattern, count=500):
            batch.append(key)
            if len(batch) >= 500:
                client.delete(*batch)
                batch = []
        if batch:
            client.delete(*batch)
        return True
