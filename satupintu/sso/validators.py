"""django-oauth-toolkit's validator with the regency's rules and the toolkit's gaps filled.

Only the authorization-code flow (with PKCE S256 and RS256 ID tokens) and refresh are usable;
each client may request only the scopes its policy allows; `sub`/`sid` are pairwise; `acr`,
`amr` and `auth_time` come from the portal session that authorised the code; a replayed code
revokes what its first use produced (RFC 6749 §4.1.2); a refresh-token family dies at an
absolute age however often it is rotated.
"""

import hashlib
import logging
from datetime import timedelta

from django.conf import settings
from django.db.models import Min
from django.utils import timezone
from oauth2_provider.models import AbstractApplication, AccessToken, RefreshToken
from oauth2_provider.oauth2_validators import OAuth2Validator

from . import claims as claim_rules
from .models import Consent, IssuedCode, Release, policy_for

log = logging.getLogger("satupintu.sso")

ALLOWED_GRANTS = {"authorization_code", "refresh_token"}


def code_hash(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def token_checksum(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def revoke_family(record: IssuedCode):
    if record.token_family:
        RefreshToken.revoke_family(record.token_family)
    if record.access_token_checksum:
        AccessToken.objects.filter(token_checksum=record.access_token_checksum).delete()


class SatuPintuValidator(OAuth2Validator):
    # Claims are filtered by scope in satupintu.sso.claims; DOT's shared map is not used.
    oidc_claim_scope = None

    # --- Which clients, flows and scopes ------------------------------------------------------
    def validate_grant_type(self, client_id, grant_type, client, request, *args, **kwargs):
        if grant_type not in ALLOWED_GRANTS:
            return False
        if client.authorization_grant_type != AbstractApplication.GRANT_AUTHORIZATION_CODE:
            return False
        return super().validate_grant_type(client_id, grant_type, client, request, *args, **kwargs)

    def validate_response_type(self, client_id, response_type, client, request, *args, **kwargs):
        return (
            response_type == "code"
            and client.authorization_grant_type == AbstractApplication.GRANT_AUTHORIZATION_CODE
            and client.algorithm == AbstractApplication.RS256_ALGORITHM
        )

    def validate_scopes(self, client_id, scopes, client, request, *args, **kwargs):
        if not super().validate_scopes(client_id, scopes, client, request, *args, **kwargs):
            return False
        return set(scopes) <= policy_for(client).permitted_scopes()

    def validate_user(self, *args, **kwargs):
        return False  # no password grant, whatever the client's registration says

    # --- Codes: remember them, and punish replay ---------------------------------------------
    def save_authorization_code(self, client_id, code, request, *args, **kwargs):
        super().save_authorization_code(client_id, code, request, *args, **kwargs)
        IssuedCode.objects.create(
            code_hash=code_hash(code["code"]),
            application=request.client,
            user=request.user,
            account_session_id=getattr(request, "satupintu_session", None),
            auth_time=getattr(request, "satupintu_auth_time", None),
            scope=" ".join(request.scopes or []),
        )

    def validate_code(self, client_id, code, client, request, *args, **kwargs):
        if super().validate_code(client_id, code, client, request, *args, **kwargs):
            return hasattr(request.user, "citizen")
        record = IssuedCode.objects.filter(code_hash=code_hash(code)).first()
        if record is not None and record.redeemed_at is not None:
            revoke_family(record)
            IssuedCode.objects.filter(pk=record.pk).update(replayed_at=timezone.now())
            log.warning(
                "authorization code replayed (client %s); tokens from its first use revoked",
                client.client_id,
            )
        return False

    def _save_bearer_token(self, token, request, *args, **kwargs):
        super()._save_bearer_token(token, request, *args, **kwargs)
        if request.grant_type == "authorization_code":
            refresh = None
            if token.get("refresh_token"):
                refresh = RefreshToken.objects.filter(
                    token_checksum=token_checksum(token["refresh_token"])
                ).first()
            IssuedCode.objects.filter(code_hash=code_hash(request.code)).update(
                redeemed_at=timezone.now(),
                token_family=refresh.token_family if refresh else None,
                access_token_checksum=token_checksum(token["access_token"]),
            )
        self._record_release(token, request)

    def _record_release(self, token, request):
        scopes = token.get("scope", "").split()
        client = request.client
        Release.objects.create(
            user=request.user,
            application=client,
            client_name=client.name,
            consent=Consent.objects.active().filter(user=request.user, application=client).first(),
            grant_type=request.grant_type,
            scopes=scopes,
            claims=claim_rules.claims_for_scopes(scopes),
        )

    # --- Refresh: absolute lifetime -----------------------------------------------------------
    def validate_refresh_token(self, refresh_token, client, request, *args, **kwargs):
        if not super().validate_refresh_token(refresh_token, client, request, *args, **kwargs):
            return False
        rt = request.refresh_token_instance
        if not rt.token_family:
            return True
        first = (
            IssuedCode.objects.filter(token_family=rt.token_family)
            .values_list("redeemed_at", flat=True)
            .first()
        ) or RefreshToken.objects.filter(token_family=rt.token_family).aggregate(
            first=Min("created")
        )["first"]
        limit = timedelta(seconds=settings.SATUPINTU_OIDC_REFRESH_ABSOLUTE_SECONDS)
        if first is not None and timezone.now() - first > limit:
            RefreshToken.revoke_family(rt.token_family)
            return False
        return True

    # --- Claims -------------------------------------------------------------------------------
    def _session_context(self, request):
        """The IssuedCode behind this token request: by code, or by the refresh family."""
        if hasattr(request, "_satupintu_context"):
            return request._satupintu_context
        record = None
        if getattr(request, "code", None):
            record = IssuedCode.objects.filter(code_hash=code_hash(request.code)).first()
        elif getattr(request, "refresh_token_instance", None) is not None:
            family = request.refresh_token_instance.token_family
            record = IssuedCode.objects.filter(token_family=family).first() if family else None
        request._satupintu_context = record
        return record

    def get_discovery_claims(self, request):
        claims = {"sub", "acr", "amr", "auth_time", "sid"}
        for names in claim_rules.SCOPE_CLAIMS.values():
            claims.update(names)
        return sorted(claims)

    def get_oidc_claims(self, token, token_handler, request):
        """ID token: identity claims by scope, but never the NIK (it is only in UserInfo)."""
        return claim_rules.scope_claims(
            request.user, policy_for(request.client), request.scopes, include_nik=False
        )

    def get_userinfo_claims(self, request):
        return claim_rules.scope_claims(request.user, policy_for(request.client), request.scopes)

    def get_id_token_dictionary(self, token, token_handler, request):
        claims, expiration = super().get_id_token_dictionary(token, token_handler, request)
        record = self._session_context(request)
        session = record.account_session if record is not None else None
        if session is not None:
            claims["auth_time"] = int((record.auth_time or session.auth_time).timestamp())
            claims["acr"] = session.acr or claim_rules.ACR_PWD
            claims["amr"] = list(session.amr)
            claims["sid"] = claim_rules.pairwise_sid(policy_for(request.client), session.pk)
        return claims, expiration
