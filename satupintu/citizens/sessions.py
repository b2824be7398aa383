"""Session rules for signed-in people: idle and absolute timeouts, and sessions that can be
ended from elsewhere ("sign out my other devices", account deletion, back-channel logout).

Each signed-in session carries the id of an `AccountSession` row. The row, not the session
store, is the truth: a missing or ended row logs the request out. `last_seen_at` is written at
most once a minute, so an active citizen costs one indexed read per request, not a write.
"""

import datetime

from django.conf import settings
from django.contrib.auth import logout
from django.utils import timezone

from .models import AccountSession

SESSION_KEY = "satupintu_session"
TOUCH_EVERY = datetime.timedelta(seconds=60)


def is_citizen(user) -> bool:
    return hasattr(user, "citizen")


def start(request, user, amr, acr=""):
    """Call right after django.contrib.auth.login (which has already cycled the session key)."""
    now = timezone.now()
    row = AccountSession.objects.create(
        user=user,
        amr=list(amr),
        acr=acr,
        auth_time=now,
        device=describe_device(request),
        network=describe_network(request),
    )
    request.session[SESSION_KEY] = str(row.id)
    request.session["satupintu_reauth_at"] = now.timestamp()
    return row


def current(request):
    sid = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
    if not sid:
        return None
    return AccountSession.objects.filter(pk=sid, ended_at__isnull=True).first()


def end(row, reason):
    """End one session here and in every app it signed in to (back-channel logout)."""
    from satupintu.sso.logout import session_ended

    if row is not None and row.ended_at is None:
        row.ended_at = timezone.now()
        row.end_reason = reason
        row.save(update_fields=["ended_at", "end_reason"])
        session_ended(row)


def end_all(user, reason, except_id=None):
    from satupintu.sso.logout import session_ended

    rows = AccountSession.objects.filter(user=user, ended_at__isnull=True)
    if except_id:
        rows = rows.exclude(pk=except_id)
    for row in rows:
        session_ended(row)
    return rows.update(ended_at=timezone.now(), end_reason=reason)


def mark_reauthenticated(request):
    request.session["satupintu_reauth_at"] = timezone.now().timestamp()


def recently_authenticated(request, within=datetime.timedelta(minutes=5)) -> bool:
    at = request.session.get("satupintu_reauth_at")
    return bool(at) and timezone.now().timestamp() - at < within.total_seconds()


def describe_device(request) -> str:
    """A coarse label the citizen can recognise ("Chrome, Android"), not a fingerprint."""
    agent = request.META.get("HTTP_USER_AGENT", "")
    browser = next(
        (
            name
            for token, name in (
                ("Edg/", "Edge"),
                ("OPR/", "Opera"),
                ("SamsungBrowser", "Samsung Internet"),
                ("Firefox/", "Firefox"),
                ("Chrome/", "Chrome"),
                ("Safari/", "Safari"),
            )
            if token in agent
        ),
        "",
    )
    system = next(
        (
            name
            for token, name in (
                ("Android", "Android"),
                ("iPhone", "iOS"),
                ("iPad", "iPadOS"),
                ("Windows", "Windows"),
                ("Mac OS X", "macOS"),
                ("Linux", "Linux"),
            )
            if token in agent
        ),
        "",
    )
    return ", ".join(p for p in (browser, system) if p)[:80]


def describe_network(request) -> str:
    """The client's network, not its address: IPv4 /24, IPv6 /48."""
    import ipaddress

    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return ""
    prefix = 24 if address.version == 4 else 48
    return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False))


class AccountSessionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and SESSION_KEY in request.session:
            self._enforce(request)
        return self.get_response(request)

    def _enforce(self, request):
        row = current(request)
        now = timezone.now()
        if row is None:
            logout(request)
            return
        citizen = is_citizen(request.user)
        idle = (
            settings.SATUPINTU_CITIZEN_IDLE_TIMEOUT
            if citizen
            else settings.SATUPINTU_STAFF_IDLE_TIMEOUT
        )
        absolute = settings.SATUPINTU_CITIZEN_ABSOLUTE_TIMEOUT
        if (now - row.last_seen_at).total_seconds() > idle:
            end(row, "idle")
            logout(request)
        elif (now - row.auth_time).total_seconds() > absolute:
            end(row, "expired")
            logout(request)
        else:
            request.account_session = row
            if now - row.last_seen_at > TOUCH_EVERY:
                AccountSession.objects.filter(pk=row.pk).update(last_seen_at=now)
