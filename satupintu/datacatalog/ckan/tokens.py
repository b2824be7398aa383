"""API tokens for the CKAN-compatible API.

Only a SHA-256 digest of a token is stored: the raw token is shown once, when issued, and a
copy of the database cannot be replayed against the API. A token's digest is looked up as is
(no per-token salt), which is sound because tokens are 256 random bits, not passwords.
"""

import hashlib
import secrets

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import ApiToken

PREFIX = "sd_"  # makes a leaked token recognisable to secret scanners and to people
TOUCH_EVERY = 60  # seconds: last_used_at is a hint for the owner, not an audit log


def digest(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def issue_token(user, name: str) -> str:
    """Create a token acting as `user` and return the raw token: the only time it exists."""
    name = " ".join(str(name or "").split())
    if not name:
        raise ValidationError(_("Beri nama token, misalnya nama skrip yang memakainya."))
    if len(name) > 100:
        raise ValidationError(_("Nama token paling panjang 100 karakter."))
    if not getattr(user, "is_active", False):
        raise ValidationError(_("Akun ini tidak aktif."))
    raw = PREFIX + secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, name=name, digest=digest(raw))
    return raw


def revoke_token(user, token_id) -> bool:
    """Delete one of `user`'s own tokens; another user's token id does nothing (False)."""
    deleted, _rows = ApiToken.objects.filter(user=user, pk=token_id).delete()
    return bool(deleted)


class InvalidToken(Exception):
    """A token was sent but is unknown, revoked, or its user is inactive."""


def raw_token(request) -> str:
    """The token of a request, as CKAN clients send it: raw in `Authorization` (ckanapi, the
    harvester) or in `X-CKAN-API-Key` (older clients); a `Bearer ` prefix is tolerated."""
    value = request.headers.get("Authorization") or request.headers.get("X-CKAN-API-Key") or ""
    value = value.strip()
    if value[:7].lower() == "bearer ":
        value = value[7:].strip()
    return value


def authenticate(request):
    """The token's user, None when no token was sent; InvalidToken for a bad one."""
    raw = raw_token(request)
    if not raw:
        return None
    token = (
        ApiToken.objects.select_related("user").filter(digest=digest(raw)).first()
        if len(raw) <= 200
        else None
    )
    if token is None or not token.user.is_active:
        raise InvalidToken
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > TOUCH_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
