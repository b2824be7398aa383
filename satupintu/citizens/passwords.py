"""Password rules beyond Django's: no composition rules (ASVS), long passphrases welcome, but
not the citizen's own NIK, birth date or the regency's name with a few digits."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_LENGTH = 256


class MaximumLengthValidator:
    """Long passphrases are welcome; a megabyte "password" is a hashing cost attack."""

    def validate(self, password, user=None):
        if len(password) > MAX_LENGTH:
            raise ValidationError(
                _("Kata sandi terlalu panjang (maksimal %(n)d karakter).") % {"n": MAX_LENGTH},
                code="password_too_long",
            )

    def get_help_text(self):
        return _("Paling banyak %(n)d karakter.") % {"n": MAX_LENGTH}


class LocalPasswordValidator:
    """Words that attackers try first here, with digits around them."""

    WORDS = ("indonesia", "bismillah", "sayang", "rahasia", "katasandi", "merdeka")

    def validate(self, password, user=None):
        simple = re.sub(r"[^a-z]", "", password.lower())
        words = set(self.WORDS)
        regency_name = _regency_word()
        if regency_name:
            words.add(regency_name)
        if simple in words:
            raise ValidationError(
                _("Kata sandi ini terlalu mudah ditebak. Pakai beberapa kata yang tidak umum."),
                code="password_too_common",
            )
        citizen = getattr(user, "citizen", None) if user is not None else None
        digits = re.sub(r"\D", "", password)
        if citizen is not None and citizen.nik_encrypted and len(digits) >= 6:
            secrets_of_person = {citizen.nik, citizen.birth_date.strftime("%d%m%Y")}
            if any(digits in s or s in digits for s in secrets_of_person):
                raise ValidationError(
                    _("Kata sandi tidak boleh memuat NIK atau tanggal lahir Anda."),
                    code="password_personal",
                )

    def get_help_text(self):
        return _("Jangan memakai NIK, tanggal lahir, atau nama daerah.")


def _regency_word():
    try:
        from satupintu.regency.models import RegencySettings

        name = RegencySettings.load().name or ""
    except Exception:  # noqa: BLE001 (no database yet, e.g. during migrate)
        return ""
    parts = name.lower().split()
    return re.sub(r"[^a-z]", "", parts[-1]) if parts else ""
