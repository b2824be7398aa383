"""Sign-in with NIK + password, then a one-time code when two-step verification is on.

A wrong NIK, an unknown NIK and a wrong password get the same message, the same status and the
same hashing work (`NIKBackend`). Throttling is keyed on the typed NIK's hash whether or not an
account exists, and spares the account owner's own known browser (see `throttle`).
"""

import contextlib
import time

from django.contrib.auth import authenticate, get_user_model
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from satupintu.identity import nik as nik_rules
from satupintu.identity import protection

from .. import accounts, audit, codes, throttle
from ..forms import CodeForm, SignInForm
from ..models import Citizen, OneTimeCode, SecurityEvent
from ..upstream import is_configured as upstream_configured
from .common import citizen_page, masked_contact

PENDING = "satupintu_signin_pending"
PENDING_LIFETIME = 10 * 60
MAX_CODE_FAILURES = 5


def _next_url(request):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("citizens:account")


def _subject(raw_nik):
    try:
        return protection.hash_nik(nik_rules.parse(raw_nik).digits)
    except nik_rules.InvalidNIK:
        return None


@citizen_page
def signin(request):
    if request.user.is_authenticated and hasattr(request.user, "citizen"):
        return redirect(_next_url(request))
    form = SignInForm(request.POST or None)
    error = None
    status = 200
    if request.method == "POST" and form.is_valid():
        subject = _subject(form.cleaned_data["nik"])
        owner_id = accounts.device_owner_id(request)
        trusted = (
            owner_id is not None
            and subject is not None
            and (Citizen.objects.filter(user_id=owner_id, nik_hash=subject).exists())
        )
        wait = throttle.wait_seconds(request, subject, trusted_device=trusted)
        if wait:
            minutes = max(1, round(wait / 60))
            error = _(
                "Terlalu banyak percobaan masuk. Coba lagi dalam %(n)d menit, atau atur ulang "
                "kata sandi."
            ) % {"n": minutes}
            status = 429
            audit.record(SecurityEvent.Kind.SIGNIN_THROTTLED, request, subject_hash=subject or "")
        else:
            user = authenticate(
                request, nik=form.cleaned_data["nik"], password=form.cleaned_data["password"]
            )
            if user is None or not hasattr(user, "citizen"):
                throttle.failed(request, subject)
                audit.record(
                    SecurityEvent.Kind.SIGNIN_FAILED,
                    request,
                    user=user,
                    subject_hash=subject or "",
                )
                error = _("NIK atau kata sandi salah.")
            else:
                throttle.succeeded(request, subject)
                return _after_password(request, user, _next_url(request))
    return render(
        request,
        "citizens/signin.html",
        {
            "form": form,
            "error": error,
            "next": _next_url(request),
            "upstream": upstream_configured(),
        },
        status=status,
    )


def _after_password(request, user, next_url):
    citizen = user.citizen
    if not citizen.two_step:
        response = redirect(next_url)
        accounts.sign_in(request, user, ["pwd"], response)
        return response
    request.session.cycle_key()
    request.session[PENDING] = {
        "user": user.pk,
        "at": time.time(),
        "next": next_url,
        "failures": 0,
    }
    if citizen.two_step == Citizen.TwoStep.EMAIL:
        # When too many were sent, an unexpired one is already on its way.
        with contextlib.suppress(codes.CodeNotSent):
            codes.issue(
                OneTimeCode.Purpose.SIGNIN, "email", citizen.confirmed_email, request, user=user
            )
    return redirect("citizens:signin_code")


def pending_user(request):
    state = request.session.get(PENDING)
    if not state or time.time() - state["at"] > PENDING_LIFETIME:
        request.session.pop(PENDING, None)
        return None, None
    user = get_user_model().objects.filter(pk=state["user"]).select_related("citizen").first()
    return user, state


class TryAgainLater(Exception):
    """django-otp slows guessing: after a wrong code, the next try must wait a moment."""


def verify_second_factor(request, user, code) -> bool:
    citizen = user.citizen
    if citizen.two_step == Citizen.TwoStep.TOTP:
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            return False
        allowed, _data = device.verify_is_allowed()
        if not allowed:
            raise TryAgainLater()
        return device.verify_token(code)
    if citizen.two_step == Citizen.TwoStep.EMAIL:
        return codes.check(OneTimeCode.Purpose.SIGNIN, citizen.confirmed_email, code, user=user)
    return False


@citizen_page
def signin_code(request):
    user, state = pending_user(request)
    if user is None:
        return redirect("citizens:signin")
    form = CodeForm(request.POST or None)
    verified = None
    if request.method == "POST" and form.is_valid():
        try:
            verified = verify_second_factor(request, user, form.cleaned_data["code"])
        except TryAgainLater:
            form.add_error("code", _("Tunggu beberapa detik, lalu masukkan kode terbaru."))
            verified = None
        if verified:
            request.session.pop(PENDING, None)
            response = redirect(state["next"])
            accounts.sign_in(request, user, ["pwd", "otp", "mfa"], response)
            return response
    if verified is False:
        state["failures"] += 1
        audit.record(SecurityEvent.Kind.TWO_STEP_FAILED, request, user=user)
        if state["failures"] >= MAX_CODE_FAILURES:
            request.session.pop(PENDING, None)
            return redirect("citizens:signin")
        request.session[PENDING] = state
        form.add_error("code", _("Kode salah atau sudah tidak berlaku."))
    citizen = user.citizen
    return render(
        request,
        "citizens/signin_code.html",
        {
            "form": form,
            "method": citizen.two_step,
            "destination": masked_contact("email", citizen.confirmed_email)
            if citizen.two_step == Citizen.TwoStep.EMAIL
            else "",
        },
    )


@require_POST
@citizen_page
def signout(request):
    accounts.sign_out(request)
    return redirect("/")
