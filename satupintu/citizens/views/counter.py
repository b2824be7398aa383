"""Counter confirmation: a Disdukcapil or MPP officer checks a KTP-el or IKD in person.

Two things must both be true before an account is marked "confirmed in person": the person at
the counter is the NIK's owner (the officer checks the card and the face), and the account is
that person's (they show a code from their own signed-in screen, see `account.counter_code`).
Without the second, a real owner complaining at the counter would raise the confidence of an
account somebody else opened with their leaked data.

When the owner cannot show a code (someone else opened the account, or they lost every way in),
the officer *reclaims* the account for them: a contact the person proves on the spot (a code
sent to it, typed by the officer) replaces the old ones, every session ends, the password and
two-step device are cleared, and the owner sets a new password through "Lupa kata sandi".

Lives in the admin, for officers holding `citizens.confirm_identity`. Every lookup, found or
not, every confirmation and every reclaim is in the security log with the officer's name. The
page shows only the masked NIK.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from satupintu.identity import protection

from .. import audit, codes, sessions
from ..forms import CodeForm, CounterConfirmForm, CounterLookupForm, CounterReclaimForm
from ..models import Citizen, KnownDevice, OneTimeCode, SecurityEvent
from .common import citizen_page

PERMISSION = "citizens.confirm_identity"
SESSION = "satupintu_counter_citizen"
RECLAIM = "satupintu_counter_reclaim"


def _require_officer(request):
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied


def _done(request, message):
    request.session.pop(SESSION, None)
    request.session.pop(RECLAIM, None)
    request.session["satupintu_counter_done"] = message
    return redirect(reverse("citizens_counter"))


@citizen_page
def counter(request):
    _require_officer(request)
    post = request.POST if request.method == "POST" else None
    action = next(
        (a for a in ("lookup", "confirm", "reclaim", "reclaim_code") if post and a in post), ""
    )
    lookup = CounterLookupForm(post if action == "lookup" else None)
    confirm = CounterConfirmForm(post if action == "confirm" else None)
    reclaim = CounterReclaimForm(post if action == "reclaim" else None)
    reclaim_code = CodeForm(post if action == "reclaim_code" else None, prefix="r")
    citizen = None
    not_found = False
    error = None
    citizen_id = request.session.get(SESSION)
    if citizen_id and action != "lookup":
        citizen = Citizen.objects.filter(pk=citizen_id).select_related("user").first()

    if action == "lookup" and lookup.is_valid():
        digits = lookup.cleaned_data["nik"].digits
        citizen = Citizen.objects.by_nik(digits).select_related("user").first()
        request.session.pop(RECLAIM, None)
        if citizen is None:
            not_found = True
            request.session.pop(SESSION, None)
        else:
            request.session[SESSION] = citizen.pk
            lookup = CounterLookupForm()  # The page shows only the masked number from here on.
        audit.record(
            SecurityEvent.Kind.STAFF_VIEWED,
            request,
            user=citizen.user if citizen else None,
            actor=request.user,
            subject_hash="" if citizen else protection.hash_nik(digits),
            found=citizen is not None,
        )
    elif citizen is not None and action == "confirm" and confirm.is_valid():
        if codes.check(
            OneTimeCode.Purpose.COUNTER,
            codes.counter_target(citizen.user),
            confirm.cleaned_data["code"],
            is_target=True,
            user=citizen.user,
        ):
            _raise_to_in_person(citizen, confirm.cleaned_data["document"])
            audit.record(
                SecurityEvent.Kind.IDENTITY_CONFIRMED,
                request,
                user=citizen.user,
                actor=request.user,
                document=confirm.cleaned_data["document"],
            )
            return _done(
                request, _("Identitas %(name)s sudah dikonfirmasi.") % {"name": citizen.full_name}
            )
        confirm.add_error("code", _("Kode loket salah atau sudah tidak berlaku."))
    elif citizen is not None and action == "reclaim" and reclaim.is_valid():
        channel, address = reclaim.contact()
        try:
            codes.issue(OneTimeCode.Purpose.CONTACT, channel, address, request, user=citizen.user)
        except codes.CodeNotSent:
            error = _("Terlalu banyak kode diminta untuk kontak ini. Coba lagi dalam 15 menit.")
        else:
            request.session[RECLAIM] = {
                "citizen": citizen.pk,
                "channel": channel,
                "address": address,
                "document": reclaim.cleaned_data["document"],
            }
    elif citizen is not None and action == "reclaim_code" and reclaim_code.is_valid():
        state = request.session.get(RECLAIM) or {}
        if state.get("citizen") == citizen.pk and codes.check(
            OneTimeCode.Purpose.CONTACT,
            state["address"],
            reclaim_code.cleaned_data["code"],
            user=citizen.user,
        ):
            told = _reclaim(request, citizen, state)
            if told:  # After the commit: the old contact hears that the account moved on.
                codes.deliver(*told, "citizens/messages/contact_changed", {})
            return _done(
                request,
                _(
                    "Akun sudah dipulihkan untuk %(name)s. Minta warga memilih “Lupa kata sandi” "
                    "di halaman Masuk untuk membuat kata sandi baru."
                )
                % {"name": citizen.full_name},
            )
        reclaim_code.add_error("code", _("Kode salah atau sudah tidak berlaku."))

    pending = request.session.get(RECLAIM)
    return TemplateResponse(
        request,
        "citizens/admin/counter.html",
        {
            "lookup": lookup,
            "confirm": confirm,
            "reclaim": reclaim,
            "reclaim_code": reclaim_code,
            "reclaim_pending": pending if citizen and pending else None,
            "citizen": citizen,
            "not_found": not_found,
            "error": error,
            "done": request.session.pop("satupintu_counter_done", None),
            "page_title": _("Konfirmasi identitas warga"),
        },
    )


def _raise_to_in_person(citizen, document, suffix=""):
    citizen.identity_level = Citizen.IdentityLevel.IN_PERSON
    citizen.identity_source = f"counter:{document}{suffix}"
    citizen.identity_checked_at = timezone.now()
    citizen.save(update_fields=["identity_level", "identity_source", "identity_checked_at"])


@transaction.atomic
def _reclaim(request, citizen, state):
    user = citizen.user
    previous = citizen.confirmed_email or citizen.confirmed_phone
    previous_channel = "email" if citizen.confirmed_email else "sms"
    sessions.end_all(user, "reclaimed")
    KnownDevice.objects.filter(user=user).delete()
    TOTPDevice.objects.filter(user=user).delete()
    user.set_unusable_password()
    user.save(update_fields=["password"])
    now = timezone.now()
    citizen.two_step = Citizen.TwoStep.NONE
    citizen.email = citizen.phone = ""
    citizen.email_confirmed_at = citizen.phone_confirmed_at = None
    if state["channel"] == "email":
        citizen.email, citizen.email_confirmed_at = state["address"], now
    else:
        citizen.phone, citizen.phone_confirmed_at = state["address"], now
    _raise_to_in_person(citizen, state["document"], ":reclaimed")
    citizen.save()
    audit.record(
        SecurityEvent.Kind.ACCOUNT_RECLAIMED,
        request,
        user=user,
        actor=request.user,
        document=state["document"],
        at_counter=True,
    )
    if previous and previous != state["address"]:
        return previous_channel, previous
    return None
