"""Two-step verification settings: an authenticator app (TOTP, RFC 6238, through django-otp)
or a code by e-mail. Turning it on or off needs a fresh confirmation of the password."""

import contextlib
import io

import qrcode
import qrcode.image.svg
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from .. import audit, codes
from ..forms import CodeForm
from ..models import Citizen, OneTimeCode, SecurityEvent
from .account import recent_auth_required
from .common import citizen_page, masked_contact


@citizen_page
@recent_auth_required
def overview(request):
    citizen = request.user.citizen
    return render(request, "citizens/twostep.html", {"citizen": citizen})


def _qr_svg(data: str) -> str:
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue().decode()


@citizen_page
@recent_auth_required
def setup_totp(request):
    user = request.user
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            user.citizen.two_step = Citizen.TwoStep.TOTP
            user.citizen.save(update_fields=["two_step"])
            audit.record(SecurityEvent.Kind.TWO_STEP_ON, request, user=user, method="totp")
            return redirect(f"{reverse('citizens:account')}#keamanan")
        form.add_error("code", _("Kode salah. Periksa jam ponsel Anda, lalu coba kode terbaru."))
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode()
    return render(
        request,
        "citizens/twostep_totp.html",
        {
            "form": form,
            "qr": _qr_svg(device.config_url),
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        },
    )


@citizen_page
@recent_auth_required
def setup_email(request):
    user = request.user
    citizen = user.citizen
    if not citizen.confirmed_email:
        return render(request, "citizens/twostep_email.html", {"no_email": True})
    form = CodeForm(request.POST or None)
    if request.method == "GET":
        with contextlib.suppress(codes.CodeNotSent):
            codes.issue(
                OneTimeCode.Purpose.TWO_STEP, "email", citizen.confirmed_email, request, user=user
            )
    elif form.is_valid():
        if codes.check(
            OneTimeCode.Purpose.TWO_STEP,
            citizen.confirmed_email,
            form.cleaned_data["code"],
            user=user,
        ):
            TOTPDevice.objects.filter(user=user).delete()
            citizen.two_step = Citizen.TwoStep.EMAIL
            citizen.save(update_fields=["two_step"])
            audit.record(SecurityEvent.Kind.TWO_STEP_ON, request, user=user, method="email")
            return redirect(f"{reverse('citizens:account')}#keamanan")
        form.add_error("code", _("Kode salah atau sudah tidak berlaku."))
    return render(
        request,
        "citizens/twostep_email.html",
        {"form": form, "destination": masked_contact("email", citizen.confirmed_email)},
    )


@require_POST
@citizen_page
@recent_auth_required
def turn_off(request):
    user = request.user
    TOTPDevice.objects.filter(user=user).delete()
    user.citizen.two_step = Citizen.TwoStep.NONE
    user.citizen.save(update_fields=["two_step"])
    audit.record(SecurityEvent.Kind.TWO_STEP_OFF, request, user=user)
    return redirect(f"{reverse('citizens:account')}#keamanan")
