"""The citizen-facing side of single sign-on: the authorize endpoint (re-authentication, step-up
to two-step sign-in, the consent screen), RP-initiated logout that really ends the portal
session, the discovery document as Satu Pintu actually behaves, and "Aplikasi terhubung"."""

import datetime
import json
from urllib.parse import parse_qsl, urlencode, urlparse

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_POST
from jwcrypto import jwt
from oauth2_provider import views as dot_views
from oauth2_provider.exceptions import InvalidIDTokenError, OAuthToolkitError
from oauth2_provider.models import (
    AccessToken,
    Grant,
    IDToken,
    RefreshToken,
    get_application_model,
)
from oauth2_provider.settings import oauth2_settings
from oauthlib.oauth2.rfc6749 import errors as oauth_errors

from satupintu.citizens import accounts, sessions
from satupintu.citizens.accounts import ACR_TWO_STEP
from satupintu.citizens.views.common import citizen_page

from . import claims as claim_rules
from .models import Consent, Release, policy_for

Application = get_application_model()


def _without(url_path, *params):
    parsed = urlparse(url_path)
    query = [(k, v) for k, v in parse_qsl(parsed.query, keep_blank_values=True) if k not in params]
    return parsed._replace(query=urlencode(query)).geturl()


def _auth_time(request, row):
    """The later of sign-in and the last re-confirmation of the password in this session."""
    at = row.auth_time
    reauth = request.session.get("satupintu_reauth_at")
    if reauth:
        at = max(at, datetime.datetime.fromtimestamp(reauth, tz=datetime.UTC))
    return at


def scope_items(scopes):
    return [
        {"scope": s, "label": claim_rules.SCOPE_LABELS[s]}
        for s in claim_rules.SCOPE_CLAIMS
        if s in scopes and s in claim_rules.SCOPE_LABELS
    ]


def record_consent(user, application, scopes, shown):
    policy = policy_for(application)
    with transaction.atomic():
        Consent.objects.active().filter(user=user, application=application).update(
            revoked_at=timezone.now(), end_reason="replaced"
        )
        return Consent.objects.create(
            user=user,
            application=application,
            scopes=sorted(scopes),
            claims=claim_rules.claims_for_scopes(scopes),
            basis=Consent.Basis.CONSENT if shown else Consent.Basis.POLICY,
            legal_basis=(Consent.Basis.CONSENT.label if shown else policy.legal_basis),
            purpose=policy.purpose,
            shown=shown,
        )


def revoke_application(user, application):
    """Revoking consent ends the app's access at once: the app hears of it by back-channel
    logout (while its tokens still exist to name the sessions), then its tokens, codes and ID
    tokens go."""
    from .logout import application_revoked

    application_revoked(user, application)
    now = timezone.now()
    Consent.objects.active().filter(user=user, application=application).update(
        revoked_at=now, end_reason="revoked"
    )
    RefreshToken.objects.filter(user=user, application=application).delete()
    AccessToken.objects.filter(user=user, application=application).delete()
    IDToken.objects.filter(user=user, application=application).delete()
    Grant.objects.filter(user=user, application=application).delete()


def application_owner(application, policy):
    """The OPD that runs the app: from the app catalogue when it links one, else the policy."""
    for name in ("catalogue_app", "app", "catalog_app"):
        app = getattr(application, name, None)
        owner = getattr(app, "owner", None) or getattr(app, "opd", None)
        if owner is not None:
            return str(owner)
    return policy.opd_name


def use_ui_locale(request):
    """/sso/ sits outside the language-prefixed URLs (the issuer is fixed), so the app says
    which language its user reads with OpenID's `ui_locales` ("en", "id"). The sign-in and
    re-confirmation pages it sends the citizen to then open in that language too."""
    supported = {code for code, _name in settings.LANGUAGES}
    for tag in request.GET.get("ui_locales", "").split():
        language = tag.split("-")[0].lower()
        if language in supported:
            translation.activate(language)
            request.LANGUAGE_CODE = language
            return


@method_decorator(citizen_page, name="dispatch")
class AuthorizeView(dot_views.AuthorizationView):
    template_name = "sso/authorize.html"

    def dispatch(self, request, *args, **kwargs):
        use_ui_locale(request)
        if request.user.is_authenticated and not hasattr(request.user, "citizen"):
            return render(request, "sso/staff_refused.html", status=403)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        application = context.get("application")
        if application is not None:
            policy = policy_for(application)
            context["policy"] = policy
            context["owner"] = application_owner(application, policy)
            context["items"] = scope_items(context.get("scopes", []))
        return context

    def _error(self, error_class, description, credentials, application):
        error = OAuthToolkitError(
            error=error_class(description=description, state=credentials.get("state")),
            redirect_uri=credentials["redirect_uri"],
        )
        return self.error_response(error, application)

    def handle_prompt_login(self):
        return self._reauthenticate()

    def _reauthenticate(self):
        """Re-confirm the password (and two-step code) on the portal, then come back here;
        prompt/max_age are dropped from the way back so the check is not asked again."""
        back = _without(self.request.get_full_path(), "prompt", "max_age")
        return redirect(f"{reverse('citizens:reauth')}?{urlencode({'next': back})}")

    def _step_up(self, citizen):
        back = _without(self.request.get_full_path(), "prompt", "max_age")
        if citizen.two_step:
            # Signed in some other way (e.g. an upstream provider): sign in again with the code.
            accounts.sign_out(self.request, reason="step_up")
            return redirect(f"{reverse('citizens:signin')}?{urlencode({'next': back})}")
        return render(self.request, "sso/two_step_required.html", {"next": back}, status=403)

    def get(self, request, *args, **kwargs):
        try:
            scopes, credentials = self.validate_authorization_request(request)
        except OAuthToolkitError as error:
            return self.error_response(error, application=None)
        application = Application.objects.get(client_id=credentials["client_id"])
        policy = policy_for(application)
        if credentials.get("code_challenge_method") != "S256":
            return self._error(
                oauth_errors.InvalidRequestError,
                "PKCE with code_challenge_method=S256 is required.",
                credentials,
                application,
            )
        row = sessions.current(request)
        if row is None:
            # Logged in without a portal session (should not happen to citizens): start over.
            back = _without(request.get_full_path(), "prompt", "max_age")
            accounts.sign_out(request, reason="no_session")
            return redirect(f"{reverse('citizens:signin')}?{urlencode({'next': back})}")
        prompt = set(request.GET.get("prompt", "").split())
        if "login" in prompt:
            return self._reauthenticate()
        max_age = request.GET.get("max_age")
        if max_age is not None:
            try:
                limit = int(max_age)
            except ValueError:
                limit = 0
            if (timezone.now() - _auth_time(request, row)).total_seconds() > limit:
                return self._reauthenticate()
        wanted_acr = set(request.GET.get("acr_values", "").split())
        if (policy.require_two_step or ACR_TWO_STEP in wanted_acr) and row.acr != ACR_TWO_STEP:
            return self._step_up(request.user.citizen)

        consent = (
            Consent.objects.active().filter(user=request.user, application=application).first()
        )
        if policy.trusted or (consent is not None and consent.covers(scopes)):
            if consent is None or not consent.covers(scopes):
                record_consent(request.user, application, scopes, shown=False)
            return self._approve(request, scopes, credentials, application)

        data = {
            "application": application,
            "scopes": scopes,
            "scope": scopes,
            **{k: v for k, v in credentials.items() if k not in ("request", "claims")},
        }
        if credentials.get("claims"):
            data["claims"] = json.dumps(credentials["claims"])
        self.oauth2_data = data
        form = self.get_form(self.get_form_class())
        return self.render_to_response(self.get_context_data(form=form, **data))

    def _approve(self, request, scopes, credentials, application):
        try:
            uri, _headers, _body, _status = self.create_authorization_response(
                request=request, scopes=" ".join(scopes), credentials=credentials, allow=True
            )
        except OAuthToolkitError as error:
            return self.error_response(error, application)
        return self.redirect(uri, application)

    def create_authorization_response(self, request, scopes, credentials, allow):
        row = sessions.current(request)
        if row is not None:
            credentials["satupintu_session"] = row.pk
            credentials["satupintu_auth_time"] = _auth_time(request, row)
        return super().create_authorization_response(request, scopes, credentials, allow)

    def form_valid(self, form):
        if sessions.current(self.request) is None:
            return self._reauthenticate()
        response = super().form_valid(form)
        if form.cleaned_data.get("allow") and "error=" not in (self.success_url or ""):
            application = Application.objects.get(client_id=form.cleaned_data["client_id"])
            record_consent(
                self.request.user, application, form.cleaned_data["scope"].split(), shown=True
            )
        return response


class DiscoveryView(dot_views.ConnectDiscoveryInfoView):
    """DOT's document, corrected to what this provider accepts and extended with back-channel
    logout and the `acr` levels apps may ask for."""

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        data = json.loads(response.content)
        data.update(
            {
                "response_types_supported": ["code"],
                "response_modes_supported": ["query"],
                "grant_types_supported": ["authorization_code", "refresh_token"],
                "code_challenge_methods_supported": ["S256"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "subject_types_supported": ["pairwise"],
                "token_endpoint_auth_methods_supported": [
                    "client_secret_basic",
                    "client_secret_post",
                    "none",
                ],
                "acr_values_supported": claim_rules.ACR_VALUES,
                "claims_parameter_supported": False,
                "request_parameter_supported": False,
                "backchannel_logout_supported": True,
                "backchannel_logout_session_supported": True,
                "authorization_response_iss_parameter_supported": True,
                "ui_locales_supported": ["id", "en"],
            }
        )
        data["revocation_endpoint"] = data["issuer"] + "/revoke_token/"
        result = JsonResponse(data)
        result["Access-Control-Allow-Origin"] = "*"
        return result


class LogoutView(dot_views.RPInitiatedLogoutView):
    """RP-initiated logout that ends the citizen's Satu Pintu session (and so, through
    `session_ended`, the other apps' sessions), not only Django's login."""

    template_name = "sso/logout_confirm.html"

    def dispatch(self, request, *args, **kwargs):
        use_ui_locale(request)
        return super().dispatch(request, *args, **kwargs)

    def validate_logout_request(self, id_token_hint, client_id, post_logout_redirect_uri):
        """An ID token this provider really signed whose row is gone (the citizen revoked the
        app, or the token was pruned) still names its app: the logout goes on, with the
        confirmation screen (no known token user), instead of stranding the citizen signed in
        on the portal with a 400."""
        try:
            return super().validate_logout_request(
                id_token_hint, client_id, post_logout_redirect_uri
            )
        except InvalidIDTokenError:
            audience = _signed_audience(self.request, id_token_hint)
            if audience is None or (client_id and client_id != audience):
                raise
            application = Application.objects.filter(client_id=audience).first()
            if application is None:
                raise
            self.validate_post_logout_redirect_uri(application, post_logout_redirect_uri)
            return application, None

    def do_logout(
        self, application=None, post_logout_redirect_uri=None, state=None, token_user=None
    ):
        if self.request.user.is_authenticated:
            token_user = token_user or self.request.user
            accounts.sign_out(self.request, reason="rp_logout")
        return super().do_logout(application, post_logout_redirect_uri, state, token_user)


def _signed_audience(request, id_token_hint):
    """The `aud` of an ID token signed by one of this provider's keys (expired or not) and
    issued by it; None for anything else."""
    from jwcrypto.common import JWException

    if not id_token_hint:
        return None
    validator = oauth2_settings.OAUTH2_VALIDATOR_CLASS()
    try:
        key = validator._get_key_for_token(id_token_hint)
        if not key:
            return None
        claims = json.loads(jwt.JWT(key=key, jwt=id_token_hint, check_claims={}).claims)
    except (JWException, ValueError):
        return None
    if claims.get("iss") != validator.get_oidc_issuer_endpoint(request):
        return None
    audience = claims.get("aud")
    if isinstance(audience, list):
        audience = audience[0] if len(audience) == 1 else None
    return audience if isinstance(audience, str) else None


@login_required
@citizen_page
def connected_apps(request):
    if not hasattr(request.user, "citizen"):
        return render(request, "sso/staff_refused.html", status=403)
    consents = (
        Consent.objects.filter(user=request.user)
        .select_related("application")
        .order_by("revoked_at", "-granted_at")
    )
    rows = []
    for consent in consents:
        policy = policy_for(consent.application)
        last = (
            Release.objects.filter(user=request.user, application=consent.application)
            .values_list("at", flat=True)
            .first()
        )
        rows.append(
            {
                "consent": consent,
                "name": consent.application.name,
                "owner": application_owner(consent.application, policy),
                "items": scope_items(consent.scopes),
                "last_release": last,
            }
        )
    return render(
        request,
        "sso/connected_apps.html",
        {
            "active": [r for r in rows if r["consent"].revoked_at is None],
            "ended": [r for r in rows if r["consent"].revoked_at is not None][:20],
        },
    )


@require_POST
@login_required
@citizen_page
def revoke(request, consent_id):
    consent = get_object_or_404(Consent.objects.active(), pk=consent_id, user=request.user)
    revoke_application(request.user, consent.application)
    return redirect("sso:connected_apps")


class TokenView(dot_views.TokenView):
    """The token endpoint, with failures throttled per client address and per client id.

    Client ids are public (they travel in authorize URLs), so anyone can post guesses. A
    client that fails too often from one address must wait, with `429` and `Retry-After`; its
    successful requests from elsewhere are not affected. The same budgets as citizens' sign-in
    (satupintu.citizens.throttle) apply, keyed on the client id instead of the NIK.
    """

    def post(self, request, *args, **kwargs):
        from satupintu.citizens import throttle
        from satupintu.identity.protection import keyed_hash

        client_id = _client_id_of(request)
        subject = keyed_hash("oauth-client", client_id) if client_id else None
        wait = throttle.wait_seconds(request, subject)
        if wait:
            response = JsonResponse(
                {"error": "slow_down", "error_description": "Too many failed requests."},
                status=429,
            )
            response["Retry-After"] = str(wait)
            return response
        response = super().post(request, *args, **kwargs)
        if response.status_code in (400, 401):
            throttle.failed(request, subject)
        return response


def _client_id_of(request) -> str:
    """The client id from HTTP Basic or the form, without checking anything yet."""
    import base64
    from urllib.parse import unquote_plus

    header = request.META.get("HTTP_AUTHORIZATION", "")
    if header.lower().startswith("basic "):
        try:
            decoded = base64.b64decode(header[6:]).decode()
        except (ValueError, UnicodeDecodeError):
            return ""
        return unquote_plus(decoded.partition(":")[0])[:100]
    return request.POST.get("client_id", "")[:100]
