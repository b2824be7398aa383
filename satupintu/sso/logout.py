"""Back-channel logout (OpenID Connect Back-Channel Logout 1.0): when a portal session ends,
every app that got tokens from it is told, and those tokens are revoked.

The logout tokens are built while the database is at hand; the POSTs run in a background
thread with a short timeout, so an app that is down never holds up the citizen's sign-out.
"""

import json
import logging
import threading
import time
import uuid

import requests
from django.conf import settings
from django.urls import reverse
from jwcrypto import jwk, jwt
from oauth2_provider.settings import oauth2_settings

from . import claims as claim_rules
from .models import IssuedCode, policy_for
from .validators import revoke_family

log = logging.getLogger("satupintu.sso")

BACKCHANNEL_EVENT = "http://schemas.openid.net/event/backchannel-logout"
LOGOUT_TOKEN_LIFETIME = 120

# Threads still delivering, so tests (and a graceful shutdown) can wait for them.
pending: list[threading.Thread] = []


def issuer() -> str:
    return oauth2_settings.OIDC_ISS_ENDPOINT or (
        settings.SATUPINTU_BASE_URL + reverse("oauth2_provider:oidc-connect-discovery-info")
    ).removesuffix("/.well-known/openid-configuration")


def logout_token(application, user, account_session_id=None, iss=None) -> str:
    policy = policy_for(application)
    now = int(time.time())
    claims = {
        "iss": iss or issuer(),
        "aud": application.client_id,
        "iat": now,
        "exp": now + LOGOUT_TOKEN_LIFETIME,
        "jti": str(uuid.uuid4()),
        "events": {BACKCHANNEL_EVENT: {}},
        "sub": claim_rules.pairwise_sub(policy, user),
    }
    if account_session_id is not None:
        claims["sid"] = claim_rules.pairwise_sid(policy, account_session_id)
    key = jwk.JWK.from_pem(oauth2_settings.OIDC_RSA_PRIVATE_KEY.encode())
    token = jwt.JWT(
        header=json.dumps({"alg": "RS256", "typ": "logout+jwt", "kid": key.thumbprint()}),
        claims=json.dumps(claims),
    )
    token.make_signed_token(key)
    return token.serialize()


def _deliver(deliveries, timeout):
    for uri, token, client_id in deliveries:
        try:
            response = requests.post(
                uri,
                data={"logout_token": token},
                timeout=timeout,
                allow_redirects=False,
                headers={"Cache-Control": "no-store"},
            )
            if response.status_code != 200:
                log.warning(
                    "back-channel logout to %s answered %s", client_id, response.status_code
                )
        except requests.RequestException as error:
            log.warning("back-channel logout to %s failed: %s", client_id, error)


def _send(deliveries):
    if not deliveries:
        return None
    thread = threading.Thread(
        target=_deliver,
        args=(deliveries, settings.SATUPINTU_OIDC_BACKCHANNEL_TIMEOUT),
        name="sso-backchannel-logout",
        daemon=True,
    )
    pending[:] = [t for t in pending if t.is_alive()]
    pending.append(thread)
    thread.start()
    return thread


def _end(records, user, iss=None):
    deliveries = []
    notified = set()
    for record in records:
        revoke_family(record)
        key = (record.application_id, record.account_session_id)
        if key in notified:
            continue
        notified.add(key)
        uri = policy_for(record.application).backchannel_logout_uri
        if uri:
            token = logout_token(record.application, user, record.account_session_id, iss=iss)
            deliveries.append((uri, token, record.application.client_id))
    return _send(deliveries)


def session_ended(account_session, iss=None):
    """Call when a portal session ends (sign-out, timeout, "end my other sessions"): the apps
    it signed in to get a logout token with their `sub` and `sid`; its tokens are revoked."""
    if account_session is None:
        return None
    records = IssuedCode.objects.filter(
        account_session_id=account_session.pk, redeemed_at__isnull=False
    ).select_related("application")
    return _end(list(records), account_session.user, iss=iss)


def application_revoked(user, application, iss=None):
    """The citizen withdrew an app's access: that app is told, for each session it holds, so
    the citizen is signed out there too, not only cut off from new tokens."""
    records = IssuedCode.objects.filter(
        user=user, application=application, redeemed_at__isnull=False
    ).select_related("application")
    return _end(list(records), user, iss=iss)


def user_sessions_ended(user, iss=None):
    """Every session of a user at once (account deletion: call before the user is deleted)."""
    records = IssuedCode.objects.filter(user=user, redeemed_at__isnull=False).select_related(
        "application"
    )
    return _end(list(records), user, iss=iss)
