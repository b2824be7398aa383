"""Password reset through the confirmed contact.

The request page answers the same whether or not the NIK has an account. A reset never signs
anyone in and ends every session: the next sign-in still asks for the second factor, so a reset
can never be used to step around two-step verification.
"""

import contextlib

from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from satupintu.identity import protection

from .. import audit, codes, sessions, throttle
from ..forms import ResetForm, ResetRequestForm
from ..models import Citizen, OneTimeCode, SecurityEvent
from .common import citizen_page

SESSION = "satupintu_reset"


@citizen_page
def request_reset(request):
    form = ResetRequestForm(request.POST or None)
    error = None
    if request.method == "POST" and form.is_valid():
        digits = form.cleaned_data["nik"].digits
        subject = protection.hash_nik(digits)
        if not throttle.allow("reset", subject, 5, 3600):
            error = _("Terlalu banyak permintaan. Coba lagi dalam satu jam.")
        else:
            citizen = Citizen.objects.by_nik(digits).select_related("user").first()
            if citizen is not None:
                channel, address = (
                    ("email", citizen.confirmed_email)
                    if citizen.confirmed_email
                    else ("sms", citizen.confirmed_phone)
                )
                if address:
                    # Same answer either way; the earlier code still works.
                    with contextlib.suppress(codes.CodeNotSent):
                        codes.issue(
                            OneTimeCode.Purpose.RESET, channel, address, request, user=citizen.user
                        )
            request.session[SESSION] = {"subject": subject}
            return redirect("citizens:reset_confirm")
    return render(request, "citizens/reset_request.html", {"form": form, "error": error})


@citizen_page
def confirm_reset(request):
    state = request.session.get(SESSION)
    if not state:
        return redirect("citizens:reset")
    form = ResetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        citizen = Citizen.objects.filter(nik_hash=state["subject"]).select_related("user").first()
        ok = False
        if citizen is not None:
            for address in filter(None, (citizen.confirmed_email, citizen.confirmed_phone)):
                if codes.check(
                    OneTimeCode.Purpose.RESET, address, form.cleaned_data["code"], user=citizen.user
                ):
                    ok = True
                    break
        if ok:
            user = citizen.user
            user.set_password(form.cleaned_data["password1"])
            user.save(update_fields=["password"])
            sessions.end_all(user, "password_reset")
            audit.record(SecurityEvent.Kind.PASSWORD_RESET, request, user=user)
            request.session.pop(SESSION, None)
            request.session["satupintu_reset_done"] = True
            return redirect("citizens:reset_done")
        form.add_error("code", _("Kode salah atau sudah tidak berlaku."))
    return render(request, "citizens/reset_confirm.html", {"form": form})


@citizen_page
def reset_done(request):
    if not request.session.pop("satupintu_reset_done", False):
        return redirect("citizens:signin")
    return render(request, "citizens/reset_done.html")
