"""Throttling that slows attackers without letting them lock a citizen out.

* Per client address: failures from one address beyond a budget are refused for a while.
* Per account (keyed on the NIK's hash, whether or not an account exists, so the answer reveals
  nothing): after a few failures each further try must wait, doubling up to a cap. A browser that
  has signed in to that account before (a device cookie, see `KnownDevice`) is exempt, so an
  attacker hammering a NIK slows everyone but the owner on their own phone.

Counters live in the default cache (Redis in production, shared by every worker).
"""

import math
import time

from django.core.cache import cache

WINDOW = 15 * 60
IP_BUDGET = 30
ACCOUNT_FREE_TRIES = 5
ACCOUNT_BASE_DELAY = 30
ACCOUNT_MAX_DELAY = 15 * 60


def client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _key(scope, value):
    return f"throttle:{scope}:{value}"


def wait_seconds(request, subject_hash: str | None, trusted_device: bool = False) -> int:
    """Seconds the caller must wait before trying again; 0 = go ahead."""
    now = time.time()
    ip_state = cache.get(_key("ip", client_address(request)))
    if ip_state and ip_state["count"] >= IP_BUDGET:
        remaining = ip_state["first"] + WINDOW - now
        if remaining > 0:
            return math.ceil(remaining)
    if subject_hash and not trusted_device:
        state = cache.get(_key("account", subject_hash))
        if state and state["count"] >= ACCOUNT_FREE_TRIES:
            over = state["count"] - ACCOUNT_FREE_TRIES
            delay = min(ACCOUNT_BASE_DELAY * 2**over, ACCOUNT_MAX_DELAY)
            remaining = state["last"] + delay - now
            if remaining > 0:
                return math.ceil(remaining)
    return 0


def _bump(key):
    now = time.time()
    state = cache.get(key)
    if not state or state["first"] + WINDOW < now:
        state = {"count": 0, "first": now, "last": now}
    state["count"] += 1
    state["last"] = now
    cache.set(key, state, WINDOW + ACCOUNT_MAX_DELAY)
    return state["count"]


def failed(request, subject_hash: str | None):
    _bump(_key("ip", client_address(request)))
    if subject_hash:
        _bump(_key("account", subject_hash))


def succeeded(request, subject_hash: str | None):
    if subject_hash:
        cache.delete(_key("account", subject_hash))


def allow(scope: str, value: str, limit: int, window: int) -> bool:
    """A plain rate limit (e.g. codes sent to one address): True while under `limit`."""
    key = _key(scope, value)
    now = time.time()
    state = cache.get(key)
    if not state or state["first"] + window < now:
        state = {"count": 0, "first": now, "last": now}
    if state["count"] >= limit:
        return False
    state["count"] += 1
    state["last"] = now
    cache.set(key, state, window)
    return True
