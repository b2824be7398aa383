"""The security event log. One function, so no caller can forget to leave the NIK out."""

from .models import SecurityEvent
from .sessions import describe_device, describe_network


def record(kind, request=None, *, user=None, actor=None, subject_hash="", **detail):
    if user is not None and not getattr(user, "pk", None):
        user = None
    return SecurityEvent.objects.create(
        kind=kind,
        user=user,
        actor=actor,
        subject_hash=subject_hash,
        device=describe_device(request) if request is not None else "",
        network=describe_network(request) if request is not None else "",
        detail={k: v for k, v in detail.items() if v not in (None, "")},
    )
