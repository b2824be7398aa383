"""Counting app use without tracking people, and without slowing the launch.

Hot path (a launch, an SSO sign-in): only cache operations, no database write. Per app and
day the cache holds two counters, `launches`/`sso`, and a third, `distinct`, bumped the first
time a person is seen that day for that app. "Seen" is a marker key: an HMAC of
"<app id>:<user id>" under a random salt made for that day and kept only in the cache. The
marker is pairwise by construction (the app id is inside the HMAC, so markers of two apps
cannot be joined) and becomes unlinkable to anyone once the day's salt expires with its
keys (`TTL`). No marker, salt, user id or NIK ever reaches the database.

`fold()` (the `satupintu fold-app-usage` command, every few minutes) moves the counters into
`AppUsageDay` rows: it subtracts from the cache exactly what it adds to the row, so increments
made meanwhile are kept for the next run. Counters left unfolded longer than `TTL` are lost;
run the command at least daily. With the embedded local-memory cache, counts live per process:
use Redis in production (REDIS_URL) so every worker counts into the same place.

Distinct users per day are exact (not estimated) and additive over apps, not over days: the
90-day "distinct users" on the dashboard is the sum of daily distinct users ("user-days").
"""

import hashlib
import hmac
import secrets
from datetime import date, timedelta

from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.utils import timezone

TTL = 3 * 24 * 3600
KINDS = {"launches": "launches", "sso": "sso_signins", "distinct": "distinct_users"}


def _key(kind: str, day: date, app_id: int) -> str:
    return f"appuse:{kind}:{day.isoformat()}:{app_id}"


def _incr(key: str, amount: int = 1) -> None:
    try:
        cache.incr(key, amount)
    except ValueError:
        if not cache.add(key, amount, TTL):
            cache.incr(key, amount)


def _day_salt(day: date) -> bytes:
    salt = cache.get_or_set(f"appuse:salt:{day.isoformat()}", lambda: secrets.token_hex(32), TTL)
    return salt.encode()


def marker(day: date, app_id: int, subject) -> str:
    """An opaque, per-app, per-day token for one person; only ever a cache key."""
    message = f"{app_id}:{subject}".encode()
    return hmac.new(_day_salt(day), message, hashlib.sha256).hexdigest()[:32]


def _seen(day: date, app_id: int, subject) -> None:
    if subject is None:
        return
    if cache.add(f"appuse:seen:{day.isoformat()}:{app_id}:{marker(day, app_id, subject)}", 1, TTL):
        _incr(_key("distinct", day, app_id))


def record_launch(app_id: int, subject=None) -> None:
    """A launch from the portal. `subject` is the signed-in user's id, or None."""
    day = timezone.localdate()
    _incr(_key("launches", day, app_id))
    _seen(day, app_id, subject)


def record_sso_signin(app_id: int, subject) -> None:
    day = timezone.localdate()
    _incr(_key("sso", day, app_id))
    _seen(day, app_id, subject)


def on_token_issued(sender, request, token, **kwargs):
    """django-oauth-toolkit's `app_authorized`: an authorization-code exchange is a sign-in;
    refresh grants are not counted."""
    if request.POST.get("grant_type") != "authorization_code" or token.application_id is None:
        return
    from .models import App

    app_id = App.objects.filter(client_id=token.application_id).values_list("pk", flat=True).first()
    if app_id is not None:
        record_sso_signin(app_id, token.user_id)


def pending(days: int = 2):
    """What the cache holds, unfolded, as {(app_id, date): {field: count}}."""
    from .models import App

    today = timezone.localdate()
    app_ids = list(App.objects.values_list("pk", flat=True))
    keys = {}
    for offset in range(days):
        day = today - timedelta(days=offset)
        for app_id in app_ids:
            for kind, field in KINDS.items():
                keys[_key(kind, day, app_id)] = (app_id, day, field)
    found = {}
    for key, value in cache.get_many(list(keys)).items():
        if value:
            app_id, day, field = keys[key]
            found.setdefault((app_id, day), {})[field] = (key, int(value))
    return found


FOLD_LOCK = "appcatalog:fold-lock"


def fold(days: int = 2) -> int:
    """Move cached counters into AppUsageDay rows; returns the number of rows touched.

    One fold at a time (a cache lock: two overlapping cron runs would count twice), and a
    counter that expired between reading and taking is skipped rather than aborting the run.
    """
    if not cache.add(FOLD_LOCK, 1, timeout=300):
        return 0
    try:
        return _fold(days)
    finally:
        cache.delete(FOLD_LOCK)


def _fold(days):
    from .models import AppUsageDay

    touched = 0
    for (app_id, day), fields in pending(days).items():
        taken = {}
        for field, (key, value) in fields.items():
            try:
                cache.decr(key, value)
            except ValueError:  # expired since it was read: nothing left to take
                continue
            taken[field] = (key, value)
        if not taken:
            continue
        try:
            with transaction.atomic():
                AppUsageDay.objects.get_or_create(app_id=app_id, date=day)
                AppUsageDay.objects.filter(app_id=app_id, date=day).update(
                    **{field: F(field) + value for field, (_key, value) in taken.items()}
                )
        except Exception:
            for key, value in taken.values():
                _incr(key, value)
            raise
        touched += 1
    return touched
