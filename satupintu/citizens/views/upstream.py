"""Sign-in through an upstream OpenID provider (INApas or another): start, callback, consent.

The protocol and account rules live in `satupintu.citizens.upstream`; these views only turn
its outcomes into pages. Every failure ends on one page with a plain Indonesian explanation,
never a traceback, and what is logged is a reason code, never a claim.
"""

import logging
import traceback

from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse, translate_url
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods

from .. import upstream
from .common import citizen_page

log = logging.getLogger("satupintu.citizens.upstream")


def _next_url(request):
    target = request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("citizens:account")


def _error(request, exc: upstream.UpstreamError):
    log.warning("upstream sign-in refused: %s", exc.code)
    return render(
        request,
        "citizens/upstream_error.html",
        {
            "message": exc.message,
            "provider": upstream.provider_name(),
            # The callback's query string (code, state) stays out of the page's links.
            "language_urls": {
                code: translate_url(request.path, code) for code, _name in settings.LANGUAGES
            },
        },
        status=exc.status,
    )


def _unexpected(request, exc: Exception):
    """A bug, not a refusal: the log gets where it happened, not what it was holding."""
    frame = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
    log.error(
        "upstream sign-in failed: %s at %s:%s",
        type(exc).__name__,
        frame.filename if frame else "?",
        frame.lineno if frame else "?",
    )
    return _error(request, upstream.unexpected_error())


def _require_configured():
    if not upstream.is_configured():
        raise Http404()


@require_GET
@citizen_page
def start(request):
    _require_configured()
    try:
        url = upstream.begin(request, _next_url(request))
    except upstream.UpstreamError as exc:
        return _error(request, exc)
    except Exception as exc:
        return _unexpected(request, exc)
    return redirect(url)


@require_GET
@citizen_page
def callback(request):
    _require_configured()
    pending = upstream.take_pending(request)
    language = (pending or {}).get("lang") or settings.LANGUAGE_CODE
    with translation.override(language):
        try:
            proven = upstream.finish(request, pending)
            response = redirect(pending["next"])
            if upstream.sign_in_known(request, proven, response) is not None:
                return response
            upstream.check_new_account(proven)
            upstream.keep_for_consent(request, proven, pending["next"])
            return redirect("citizens:upstream_consent")
        except upstream.UpstreamError as exc:
            return _error(request, exc)
        except Exception as exc:
            return _unexpected(request, exc)


@require_http_methods(["GET", "POST"])
@citizen_page
def consent(request):
    _require_configured()
    proven, state = upstream.pending_consent(request)
    if proven is None:
        return _error(request, upstream.expired_error("consent_missing"))
    if request.method == "POST":
        upstream.drop_consent(request)
        if request.POST.get("action") != "agree":
            return redirect("citizens:signin")
        try:
            response = redirect(state["next"])
            if upstream.sign_in_known(request, proven, response) is None:
                upstream.create_and_sign_in(request, proven, response)
            return response
        except upstream.UpstreamError as exc:
            return _error(request, exc)
        except Exception as exc:
            return _unexpected(request, exc)
    parsed = proven.parsed_nik
    return render(
        request,
        "citizens/upstream_consent.html",
        {
            "provider": upstream.provider_name(),
            "masked_nik": parsed.masked,
            "full_name": proven.full_name,
            "birth_date": proven.effective_birth_date,
            "birth_date_from_nik": proven.birth_date is None,
            "sex": parsed.sex,
            "email": proven.email,
        },
    )
