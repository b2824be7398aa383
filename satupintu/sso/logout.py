"""Back-channel logout (OpenID Connect Back-Channel Logout 1.0): when a portal session ends,
every app that got tokens from it is told, and those tokens are revoked.

What is owed to each app is written down (`LogoutDelivery`) in the same transaction that ends
the session. Once that commits, a background thread posts the logout tokens with a short
timeout, so an app that is down never holds up the citizen's sign-out; what fails is retried
by `satupintu deliver-sso-logouts` (run every minute) on a growing interval, and Kominfo sees
the apps that do not answer in the SSO client policy list.
"""

import datetime
import json
import logging
import threading
import time
import uuid
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.db import connections, transaction
from django.urls import reverse
from django.utils import timezone
from jwcrypto import jwk, jwt
from oauth2_provider.settings import oauth2_settings

from . import claims as claim_rules
from .models import IssuedCode, LogoutDelivery, policy_for
from .validators import revoke_family

log = logging.getLogger("satupintu.sso")

BACKCHANNEL_EVENT = "http://schemas.openid.net/event/backchannel-logout"
LOGOUT_TOKEN_LIFETIME = 120

# Waits after the 1st, 2nd, ... failed attempt; after the last one the delivery is given up
# (about fifteen hours after the sign-out: an app session older than that has expired anyway).
RETRY_DELAYS = [
    datetime.timedelta(minutes=1),
    datetime.timedelta(minutes=5),
    datetime.timedelta(minutes=30),
    datetime.timedelta(hours=2),
    datetime.timedelta(hours=12),
]

# Threads still delivering, so tests (and a graceful shutdown) can wait for them.
pending: list[threading.Thread] = []


def issuer() -> str:
    return oauth2_settings.OIDC_ISS_ENDPOINT or (
        settings.SATUPINTU_BASE_URL + reverse("oauth2_provider:oidc-connect-discovery-info")
    ).removesuffix("/.well-known/openid-configuration")


def logout_token(client_id: str, sub: str, sid: str = "") -> str:
    """A fresh logout token (new `jti`, `iat` now) for each attempt: apps reject old ones."""
    now = int(time.time())
    claims = {
        "iss": issuer(),
        "aud": client_id,
        "iat": now,
        "exp": now + LOGOUT_TOKEN_LIFETIME,
        "jti": str(uuid.uuid4()),
        "events": {BACKCHANNEL_EVENT: {}},
        "sub": sub,
    }
    if sid:
        claims["sid"] = sid
    key = jwk.JWK.from_pem(oauth2_settings.OIDC_RSA_PRIVATE_KEY.encode())
    token = jwt.JWT(
        header=json.dumps({"alg": "RS256", "typ": "logout+jwt", "kid": key.thumbprint()}),
        claims=json.dumps(claims),
    )
    token.make_signed_token(key)
    return token.serialize()


def attempt(delivery: LogoutDelivery, timeout: float) -> bool:
    """Post one logout token and record the outcome; True when the app accepted it."""
    client_id = delivery.application.client_id
    try:
        response = requests.post(
            delivery.uri,
            data={"logout_token": logout_token(client_id, delivery.sub, delivery.sid)},
            timeout=timeout,
            allow_redirects=False,
            headers={"Cache-Control": "no-store"},
        )
        result = str(response.status_code)
        ok = response.status_code == 200
    except requests.Timeout:
        result, ok = "timeout", False
    except requests.RequestException as error:
        result, ok = type(error).__name__, False
    now = timezone.now()
    delivery.attempts += 1
    delivery.last_result = result
    if ok:
        delivery.delivered_at = now
    elif delivery.attempts > len(RETRY_DELAYS):
        delivery.gave_up_at = now
        log.warning("back-channel logout to %s given up after %s", client_id, result)
    else:
        delivery.next_attempt_at = now + RETRY_DELAYS[delivery.attempts - 1]
        log.warning("back-channel logout to %s failed (%s); will retry", client_id, result)
    delivery.save(
        update_fields=["attempts", "last_result", "delivered_at", "gave_up_at", "next_attempt_at"]
    )
    return ok


def deliver(deliveries, timeout=None) -> dict[str, int]:
    """Attempt each delivery once. A host that just failed is not tried again in this run (its
    other deliveries wait for the next), so one dead app cannot make the run take minutes."""
    timeout = settings.SATUPINTU_OIDC_BACKCHANNEL_TIMEOUT if timeout is None else timeout
    counts = {"delivered": 0, "failed": 0, "deferred": 0}
    dead_hosts = set()
    for delivery in deliveries:
        host = urlsplit(delivery.uri).netloc
        if host in dead_hosts:
            counts["deferred"] += 1
            continue
        if attempt(delivery, timeout):
            counts["delivered"] += 1
        else:
            counts["failed"] += 1
            dead_hosts.add(host)
    return counts


def due(now=None):
    now = now or timezone.now()
    return (
        LogoutDelivery.objects.filter(
            delivered_at__isnull=True, gave_up_at__isnull=True, next_attempt_at__lte=now
        )
        .select_related("application")
        .order_by("next_attempt_at", "pk")
    )


def _deliver_in_background(ids):
    try:
        deliver(LogoutDelivery.objects.filter(pk__in=ids).select_related("application"))
    except Exception:  # the retry command picks up whatever this thread could not do
        log.exception("back-channel logout thread failed")
    finally:
        connections.close_all()


def _start(ids):
    thread = threading.Thread(
        target=_deliver_in_background, args=(ids,), name="sso-backchannel-logout", daemon=True
    )
    pending[:] = [t for t in pending if t.is_alive()]
    pending.append(thread)
    thread.start()


def wait_for_deliveries(timeout=10.0) -> bool:
    """Block until the background deliveries started so far are done (tests, shutdown)."""
    deadline = time.monotonic() + timeout
    for thread in list(pending):
        thread.join(max(0.0, deadline - time.monotonic()))
    return not any(thread.is_alive() for thread in pending)


def _end(records, user):
    notified = set()
    created = []
    with transaction.atomic():
        for record in records:
            revoke_family(record)
            key = (record.application_id, record.account_session_id)
            if key in notified:
                continue
            notified.add(key)
            policy = policy_for(record.application)
            if not policy.backchannel_logout_uri:
                continue
            sid = ""
            if record.account_session_id is not None:
                sid = claim_rules.pairwise_sid(policy, record.account_session_id)
            created.append(
                LogoutDelivery.objects.create(
                    application=record.application,
                    uri=policy.backchannel_logout_uri,
                    sub=claim_rules.pairwise_sub(policy, user),
                    sid=sid,
                )
            )
        if created:
            ids = [d.pk for d in created]
            transaction.on_commit(lambda: _start(ids))
    return created


def session_ended(account_session):
    """Call when a portal session ends (sign-out, timeout, "end my other sessions"): the apps
    it signed in to get a logout token with their `sub` and `sid`; its tokens are revoked."""
    if account_session is None:
        return []
    records = IssuedCode.objects.filter(
        account_session_id=account_session.pk, redeemed_at__isnull=False
    ).select_related("application")
    return _end(list(records), account_session.user)


def application_revoked(user, application):
    """The citizen withdrew an app's access: that app is told, for each session it holds, so
    the citizen is signed out there too, not only cut off from new tokens."""
    records = IssuedCode.objects.filter(
        user=user, application=application, redeemed_at__isnull=False
    ).select_related("application")
    return _end(list(records), user)
