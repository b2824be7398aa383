"""Sign-up: confirm a contact, then identity and password, then the answer by that contact.

The page a person sees after submitting their identity is the same whatever happened (matched
and created, not matched, NIK already has an account), with the same status and comparable
work done: the outcome travels only to the contact they have just proven they control. So the
sign-up form cannot be used to learn whether a NIK exists or is registered.
"""

from django.contrib.auth.hashers import make_password
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from satupintu.identity import protection
from satupintu.registry.base import Claim, RegistryUnavailable, get_verifier
from satupintu.registry.models import RegistryCheck

from .. import audit, codes, throttle
from ..accounts import create_citizen
from ..forms import CodeForm, ContactForm, IdentityForm
from ..models import Citizen, OneTimeCode, SecurityEvent
from ..upstream import is_configured as upstream_configured
from .common import citizen_page, masked_contact

SESSION = "satupintu_signup"


@citizen_page
def start(request):
    verifier = get_verifier()
    if not verifier.accepts_typed_claims:
        return render(request, "citizens/signup_upstream_only.html")
    if request.user.is_authenticated:
        return redirect("citizens:account")
    form = ContactForm(request.POST or None)
    error = None
    if request.method == "POST" and form.is_valid():
        channel, address = form.contact()
        try:
            codes.issue(OneTimeCode.Purpose.SIGNUP, channel, address, request)
        except codes.CodeNotSent:
            error = _("Terlalu banyak kode diminta. Coba lagi dalam 15 menit.")
        else:
            request.session[SESSION] = {"channel": channel, "address": address}
            return redirect("citizens:signup_code")
    return render(request, "citizens/signup_contact.html", {"form": form, "error": error})


@citizen_page
def confirm_contact(request):
    state = request.session.get(SESSION)
    if not state:
        return redirect("citizens:signup")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if codes.check(OneTimeCode.Purpose.SIGNUP, state["address"], form.cleaned_data["code"]):
            state["confirmed"] = True
            request.session[SESSION] = state
            return redirect("citizens:signup_identity")
        form.add_error("code", _("Kode salah atau sudah tidak berlaku."))
    return render(
        request,
        "citizens/signup_code.html",
        {"form": form, "destination": masked_contact(state["channel"], state["address"])},
    )


@citizen_page
def identity(request):
    state = request.session.get(SESSION)
    if not state or not state.get("confirmed"):
        return redirect("citizens:signup")
    form = IdentityForm(request.POST or None)
    unavailable = False
    if request.method == "POST" and form.is_valid():
        try:
            _process(request, form.cleaned_data, state)
        except RegistryUnavailable:
            unavailable = True
        else:
            request.session.pop(SESSION, None)
            request.session["satupintu_signup_done"] = masked_contact(
                state["channel"], state["address"]
            )
            return redirect("citizens:signup_done")
    return render(
        request,
        "citizens/signup_identity.html",
        {"form": form, "unavailable": unavailable, "upstream": upstream_configured()},
    )


# Registry checks per NIK per hour, whoever asks: a known NIK cannot be probed name by name.
CHECKS_PER_NIK = 5


def _process(request, data, state):
    nik = data["nik"]
    subject = protection.hash_nik(nik.digits)
    if not throttle.allow("signup-nik", subject, CHECKS_PER_NIK, 3600):
        make_password(data["password1"])  # The page and the work look like any other outcome.
        audit.record(
            SecurityEvent.Kind.SIGNUP_REFUSED, request, subject_hash=subject, reason="throttled"
        )
        codes.deliver(state["channel"], state["address"], "citizens/messages/signup_throttled", {})
        return
    claim = Claim(
        nik=nik.digits,
        full_name=protection.normalise_name(data["full_name"]),
        birth_date=data["birth_date"],
        birth_place=data.get("birth_place", ""),
        mother_name=data.get("mother_name", ""),
    )
    verdict = get_verifier().verify(claim)  # RegistryUnavailable propagates: nothing is stored
    check = RegistryCheck.record(verdict)
    existing = Citizen.objects.by_nik(nik.digits).select_related("user").first()
    contact = {"email" if state["channel"] == "email" else "phone": state["address"]}
    if verdict.matched and existing is None:
        citizen = create_citizen(
            nik=nik.digits,
            full_name=data["full_name"].strip(),
            birth_date=data["birth_date"],
            sex=nik.sex,
            verdict_row=check,
            contact=contact,
            level=Citizen.IdentityLevel.REGISTRY,
            source=f"registry:{verdict.backend}",
        )
        citizen.user.set_password(data["password1"])
        citizen.user.save(update_fields=["password"])
        audit.record(SecurityEvent.Kind.SIGNUP, request, user=citizen.user)
        outcome = "created"
    else:
        make_password(data["password1"])  # The same hashing work as a created account.
        # "Already registered" is said only to someone whose data matched the registry, so a
        # random name and date cannot probe whether a NIK has an account.
        outcome = "registered" if existing is not None and verdict.matched else "no_match"
        audit.record(
            SecurityEvent.Kind.SIGNUP_REFUSED,
            request,
            user=existing.user if existing else None,
            subject_hash=subject,
            reason=outcome,
            transaction=check.transaction_id,
        )
        if outcome == "registered" and (existing.confirmed_email or existing.confirmed_phone):
            channel = "email" if existing.confirmed_email else "sms"
            codes.deliver(
                channel,
                existing.confirmed_email or existing.confirmed_phone,
                "citizens/messages/signup_attempt",
                {"account_url": request.build_absolute_uri(reverse("citizens:account"))},
            )
    codes.deliver(
        state["channel"],
        state["address"],
        f"citizens/messages/signup_{outcome}",
        {
            "signin_url": request.build_absolute_uri(reverse("citizens:signin")),
            "reset_url": request.build_absolute_uri(reverse("citizens:reset")),
        },
    )


@citizen_page
def done(request):
    destination = request.session.get("satupintu_signup_done")
    if not destination:
        return redirect("citizens:signup")
    return render(request, "citizens/signup_done.html", {"destination": destination})
