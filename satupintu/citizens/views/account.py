""" "Akun saya": the citizen's data, sessions and devices, activity, download and deletion.

Changing contacts, two-step settings or deleting the account asks for the password (and second
factor) again when the last confirmation is older than five minutes.
"""

import contextlib
import json
from functools import wraps

from django.conf import settings
from django.contrib.auth import update_session_auth_hash
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from satupintu.regency.models import Region

from .. import accounts, audit, codes, sessions
from ..forms import ChangePasswordForm, CodeForm, ContactForm, DeleteAccountForm, ReauthForm
from ..models import Citizen, OneTimeCode, SecurityEvent
from .common import citizen_page, masked_contact
from .signin import TryAgainLater, upstream_configured, verify_second_factor


def citizen_required(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not (request.user.is_authenticated and hasattr(request.user, "citizen")):
            return redirect(f"{reverse('citizens:signin')}?next={request.path}")
        return view(request, *args, **kwargs)

    return wrapped


def recent_auth_required(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not sessions.recently_authenticated(request):
            # After confirming, a form (POST) cannot be replayed: go back to the account page.
            back = request.path if request.method == "GET" else reverse("citizens:account")
            return redirect(f"{reverse('citizens:reauth')}?next={back}")
        return view(request, *args, **kwargs)

    return citizen_required(wrapped)


@citizen_page
@citizen_required
def account(request):
    citizen = request.user.citizen
    domicile = (
        Region.objects.filter(kemendagri_code=citizen.domicile_code).first()
        if citizen.domicile_code
        else None
    )
    current = getattr(request, "account_session", None)
    return render(
        request,
        "citizens/account.html",
        {
            "citizen": citizen,
            "domicile": domicile,
            "sessions": request.user.account_sessions.filter(ended_at__isnull=True),
            "current_session": current,
            "events": request.user.security_events.all()[:20],
            "upstream": request.user.upstream_identities.all(),
        },
    )


@citizen_page
@citizen_required
def reauth(request):
    user = request.user
    form = ReauthForm(request.POST or None)
    code_form = CodeForm(request.POST or None, prefix="c") if user.citizen.two_step else None
    target = request.GET.get("next") or request.POST.get("next") or reverse("citizens:account")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("citizens:account")
    if request.method == "GET" and user.citizen.two_step == Citizen.TwoStep.EMAIL:
        with contextlib.suppress(codes.CodeNotSent):
            codes.issue(
                OneTimeCode.Purpose.SIGNIN,
                "email",
                user.citizen.confirmed_email,
                request,
                user=user,
            )
    if request.method == "POST" and form.is_valid() and (code_form is None or code_form.is_valid()):
        password_ok = user.check_password(form.cleaned_data["password"])
        try:
            second_ok = code_form is None or verify_second_factor(
                request, user, code_form.cleaned_data["code"]
            )
        except TryAgainLater:
            second_ok = False
        if password_ok and second_ok:
            sessions.mark_reauthenticated(request)
            return redirect(target)
        audit.record(SecurityEvent.Kind.SIGNIN_FAILED, request, user=user, reason="reauth")
        form.add_error(None, _("Kata sandi atau kode salah."))
    return render(
        request,
        "citizens/reauth.html",
        {
            "form": form,
            "code_form": code_form,
            "next": target,
            "method": user.citizen.two_step,
            "upstream_only": not user.has_usable_password() and upstream_configured(),
            "upstream_name": settings.SATUPINTU_UPSTREAM_OIDC.get("NAME", ""),
        },
    )


@require_POST
@citizen_page
@citizen_required
def end_other_sessions(request):
    current = getattr(request, "account_session", None)
    count = sessions.end_all(
        request.user, "ended_by_user", except_id=current.pk if current else None
    )
    audit.record(SecurityEvent.Kind.SESSIONS_ENDED, request, user=request.user, count=count)
    return redirect(f"{reverse('citizens:account')}#sesi")


@citizen_page
@citizen_required
def change_password(request):
    form = ChangePasswordForm(request.user, request.POST or None)
    # An account opened or reclaimed through an upstream provider has no password yet: it may
    # set one right after signing in there (a fresh authentication), without an old one.
    first_password = not request.user.has_usable_password()
    if first_password and not sessions.recently_authenticated(request):
        return redirect(f"{reverse('citizens:reauth')}?next={request.path}")
    reauth_form = None if first_password else ReauthForm(request.POST or None, prefix="old")
    if (
        request.method == "POST"
        and form.is_valid()
        and (reauth_form is None or reauth_form.is_valid())
    ):
        if first_password or request.user.check_password(reauth_form.cleaned_data["password"]):
            request.user.set_password(form.cleaned_data["password1"])
            request.user.save(update_fields=["password"])
            update_session_auth_hash(request, request.user)
            current = getattr(request, "account_session", None)
            sessions.end_all(request.user, "password_changed", except_id=current and current.pk)
            audit.record(SecurityEvent.Kind.PASSWORD_CHANGED, request, user=request.user)
            return redirect(f"{reverse('citizens:account')}#keamanan")
        reauth_form.add_error("password", _("Kata sandi lama salah."))
    return render(
        request, "citizens/change_password.html", {"form": form, "reauth_form": reauth_form}
    )


CONTACT_SESSION = "satupintu_new_contact"


@citizen_page
@recent_auth_required
def change_contact(request):
    form = ContactForm(request.POST or None)
    error = None
    if request.method == "POST" and form.is_valid():
        channel, address = form.contact()
        try:
            codes.issue(OneTimeCode.Purpose.CONTACT, channel, address, request, user=request.user)
        except codes.CodeNotSent:
            error = _("Terlalu banyak kode diminta. Coba lagi dalam 15 menit.")
        else:
            request.session[CONTACT_SESSION] = {"channel": channel, "address": address}
            return redirect("citizens:contact_confirm")
    return render(request, "citizens/contact.html", {"form": form, "error": error})


@citizen_page
@recent_auth_required
def confirm_contact(request):
    state = request.session.get(CONTACT_SESSION)
    if not state:
        return redirect("citizens:contact")
    form = CodeForm(request.POST or None)
    citizen = request.user.citizen
    if request.method == "POST" and form.is_valid():
        if codes.check(
            OneTimeCode.Purpose.CONTACT,
            state["address"],
            form.cleaned_data["code"],
            user=request.user,
        ):
            old = (
                ("email", citizen.confirmed_email)
                if state["channel"] == "email"
                else ("sms", citizen.confirmed_phone)
            )
            now = timezone.now()
            if state["channel"] == "email":
                citizen.email, citizen.email_confirmed_at = state["address"], now
            else:
                citizen.phone, citizen.phone_confirmed_at = state["address"], now
            citizen.save()
            if old[1] and old[1] != state["address"]:
                codes.deliver(old[0], old[1], "citizens/messages/contact_changed", {})
            audit.record(
                SecurityEvent.Kind.CONTACT_CHANGED,
                request,
                user=request.user,
                channel=state["channel"],
            )
            request.session.pop(CONTACT_SESSION, None)
            return redirect(f"{reverse('citizens:account')}#kontak")
        form.add_error("code", _("Kode salah atau sudah tidak berlaku."))
    return render(
        request,
        "citizens/contact_code.html",
        {"form": form, "destination": masked_contact(state["channel"], state["address"])},
    )


@citizen_page
@recent_auth_required
def download(request):
    data = accounts.export_data(request.user)
    audit.record(SecurityEvent.Kind.DATA_DOWNLOADED, request, user=request.user)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = 'attachment; filename="data-akun-saya.json"'
    return response


@citizen_page
@recent_auth_required
def delete(request):
    form = DeleteAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        accounts.delete_account(request, request.user)
        request.session["satupintu_deleted"] = True
        return redirect("citizens:deleted")
    return render(request, "citizens/delete.html", {"form": form})


@citizen_page
def deleted(request):
    if not request.session.pop("satupintu_deleted", False):
        return redirect("/")
    return render(request, "citizens/deleted.html")


@require_POST
@citizen_page
@citizen_required
def counter_code(request):
    """A code on the citizen's own screen, for the counter officer: it proves the account
    belongs to the person standing at the counter (see views.counter)."""
    _row, code = codes.create(
        OneTimeCode.Purpose.COUNTER,
        "screen",
        codes.counter_target(request.user),
        user=request.user,
    )
    return render(
        request,
        "citizens/counter_code.html",
        {"code": f"{code[:3]} {code[3:]}", "minutes": int(codes.LIFETIME.total_seconds() // 60)},
    )
