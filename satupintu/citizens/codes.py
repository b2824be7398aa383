"""One-time codes: six digits from the OS's CSPRNG, valid ten minutes, single use, bound to one
purpose and one destination, five tries, and a limited number sent per destination and address.

Only an HMAC of the code is stored. Codes reach the citizen by e-mail (Django's mail backend) or
SMS (`SATUPINTU_SMS_BACKEND`: console, locmem for tests, or an HTTP gateway).
"""

import datetime
import hmac
import logging
import secrets

import requests
from django.conf import settings
from django.core import mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from satupintu.identity import protection

from . import throttle
from .models import OneTimeCode

log = logging.getLogger(__name__)
LIFETIME = datetime.timedelta(minutes=10)
MAX_ATTEMPTS = 5
SENDS_PER_TARGET = 3  # per SEND_WINDOW
SENDS_PER_ADDRESS = 10
SEND_WINDOW = 15 * 60
sms_outbox: list[dict] = []  # the locmem SMS backend, for tests


class CodeNotSent(Exception):
    """Too many codes requested; the message says when to try again."""


def target_hash(address: str) -> str:
    return protection.keyed_hash("contact", address.strip().lower())


def _code_hash(code: str, purpose: str, target: str) -> str:
    return protection.keyed_hash("otp", f"{purpose}:{target}:{code}")


def issue(purpose, channel, address, request, user=None, context=None) -> OneTimeCode:
    target = target_hash(address)
    if not throttle.allow(f"otp:{purpose}", target, SENDS_PER_TARGET, SEND_WINDOW):
        raise CodeNotSent()
    if not throttle.allow(
        "otp-ip", throttle.client_address(request), SENDS_PER_ADDRESS, SEND_WINDOW
    ):
        raise CodeNotSent()
    row, code = create(purpose, channel, target, user)
    deliver(
        channel, address, f"citizens/messages/code_{purpose}", {"code": code, **(context or {})}
    )
    return row


def create(purpose, channel, target, user=None) -> tuple[OneTimeCode, str]:
    """A new code for `target` (a keyed hash); older unused ones for it stop working."""
    code = f"{secrets.randbelow(1_000_000):06d}"
    with transaction.atomic():
        OneTimeCode.objects.filter(
            purpose=purpose, target_hash=target, used_at__isnull=True
        ).update(used_at=timezone.now())
        row = OneTimeCode.objects.create(
            purpose=purpose,
            channel=channel,
            target_hash=target,
            user=user,
            code_hash=_code_hash(code, purpose, target),
            expires_at=timezone.now() + LIFETIME,
        )
    return row, code


def counter_target(user) -> str:
    """The destination of a counter code: the account itself (the code is shown on its screen)."""
    return protection.keyed_hash("counter", str(user.pk))


def check(purpose, address_or_target, code, *, is_target=False, user=None) -> bool:
    """True once for the right code; every wrong try uses one of the code's attempts."""
    target = address_or_target if is_target else target_hash(address_or_target)
    code = "".join(ch for ch in str(code or "") if ch.isdigit())[:6]
    with transaction.atomic():
        rows = OneTimeCode.objects.select_for_update().filter(
            purpose=purpose,
            target_hash=target,
            used_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        if user is not None:
            rows = rows.filter(user=user)
        row = rows.order_by("-created_at").first()
        if row is None:
            return False
        if row.attempts >= MAX_ATTEMPTS:
            row.used_at = timezone.now()
            row.save(update_fields=["used_at"])
            return False
        if len(code) == 6 and hmac.compare_digest(row.code_hash, _code_hash(code, purpose, target)):
            row.used_at = timezone.now()
            row.save(update_fields=["used_at"])
            return True
        row.attempts += 1
        row.save(update_fields=["attempts"])
        return False


def deliver(channel, address, template, context):
    """Send a message rendered from `<template>_subject.txt` / `<template>.txt`."""
    context = {"regency": _regency(), **context}
    body = render_to_string(f"{template}.txt", context)
    if channel == "email":
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        mail.send_mail(subject, body, None, [address])
    else:
        send_sms(address, body)


def send_sms(number, body):
    backend = settings.SATUPINTU_SMS_BACKEND
    if backend == "locmem":
        sms_outbox.append({"to": number, "body": body})
    elif backend == "http":
        response = requests.post(
            settings.SATUPINTU_SMS_GATEWAY_URL,
            json={"to": number, "message": body},
            headers={"Authorization": f"Bearer {settings.SATUPINTU_SMS_GATEWAY_TOKEN}"},
            timeout=(3, 10),
        )
        response.raise_for_status()
    else:  # console: the demo prints messages where its operator can read them
        print(f"--- SMS to {number} ---\n{body}\n---", flush=True)  # noqa: T201


def _regency():
    from satupintu.regency.models import RegencySettings

    return RegencySettings.load()
