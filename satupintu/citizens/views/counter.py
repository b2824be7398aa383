"""Counter confirmation: a Disdukcapil or MPP officer raises a citizen's identity confidence
after checking the KTP-el or IKD in person. Lives in the admin, for officers holding
`citizens.confirm_identity`; every lookup and every confirmation is in the security log.

The officer types the NIK from the card in front of them; the page shows the account's masked
NIK, name and birth date to compare with the card, never the full number.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from satupintu.identity import protection

from .. import audit
from ..forms import CounterConfirmForm, CounterLookupForm
from ..models import Citizen, SecurityEvent
from .common import citizen_page

PERMISSION = "citizens.confirm_identity"
SESSION = "satupintu_counter_citizen"


def _require_officer(request):
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied


@citizen_page
def counter(request):
    _require_officer(request)
    lookup = CounterLookupForm(request.POST if "lookup" in request.POST else None)
    confirm = CounterConfirmForm(request.POST if "confirm" in request.POST else None)
    citizen = None
    not_found = False
    citizen_id = request.session.get(SESSION)
    if request.method == "POST" and "lookup" in request.POST and lookup.is_valid():
        citizen = Citizen.objects.by_nik(lookup.cleaned_data["nik"].digits).first()
        if citizen is None:
            not_found = True
            request.session.pop(SESSION, None)
            audit.record(
                SecurityEvent.Kind.STAFF_VIEWED,
                request,
                actor=request.user,
                subject_hash=protection.hash_nik(lookup.cleaned_data["nik"].digits),
                found=False,
            )
        else:
            request.session[SESSION] = citizen.pk
            lookup = CounterLookupForm()  # The page shows only the masked number from here on.
            audit.record(
                SecurityEvent.Kind.STAFF_VIEWED, request, user=citizen.user, actor=request.user
            )
    elif request.method == "POST" and "confirm" in request.POST and citizen_id:
        citizen = Citizen.objects.filter(pk=citizen_id).first()
        if citizen is not None and confirm.is_valid():
            citizen.identity_level = Citizen.IdentityLevel.IN_PERSON
            citizen.identity_source = f"counter:{confirm.cleaned_data['document']}"
            citizen.identity_checked_at = timezone.now()
            citizen.save(update_fields=["identity_level", "identity_source", "identity_checked_at"])
            audit.record(
                SecurityEvent.Kind.IDENTITY_CONFIRMED,
                request,
                user=citizen.user,
                actor=request.user,
                document=confirm.cleaned_data["document"],
            )
            request.session.pop(SESSION, None)
            request.session["satupintu_counter_done"] = citizen.full_name
            return redirect(reverse("citizens_counter"))
    done = request.session.pop("satupintu_counter_done", None)
    return TemplateResponse(
        request,
        "citizens/admin/counter.html",
        {
            "lookup": lookup,
            "confirm": confirm,
            "citizen": citizen,
            "not_found": not_found,
            "done": done,
            "page_title": _("Konfirmasi identitas warga"),
        },
    )
