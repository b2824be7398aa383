"""Reporting periods: a month, a quarter, a semester, a year, or one fixed span.

A period is named by its kind and its first day; it is reported on after it ends. Keys such
as `2026-10`, `2026-T3`, `2026-S2` and `2026` appear in URLs and exports.
"""

import datetime
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

MONTHLY = "bulanan"
QUARTERLY = "triwulanan"
SEMESTER = "semesteran"
YEARLY = "tahunan"
ONE_OFF = "sekali"

CHOICES = [
    (MONTHLY, gettext_lazy("Bulanan")),
    (QUARTERLY, gettext_lazy("Triwulanan")),
    (SEMESTER, gettext_lazy("Semesteran")),
    (YEARLY, gettext_lazy("Tahunan")),
    (ONE_OFF, gettext_lazy("Sekali")),
]

MONTHS_PER_PERIOD = {MONTHLY: 1, QUARTERLY: 3, SEMESTER: 6, YEARLY: 12}

MONTH_NAMES = [
    gettext_lazy("Januari"),
    gettext_lazy("Februari"),
    gettext_lazy("Maret"),
    gettext_lazy("April"),
    gettext_lazy("Mei"),
    gettext_lazy("Juni"),
    gettext_lazy("Juli"),
    gettext_lazy("Agustus"),
    gettext_lazy("September"),
    gettext_lazy("Oktober"),
    gettext_lazy("November"),
    gettext_lazy("Desember"),
]


def _add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True, order=True)
class Period:
    start: datetime.date
    end: datetime.date  # the last day, inclusive
    kind: str

    @property
    def key(self) -> str:
        if self.kind == MONTHLY:
            return f"{self.start:%Y-%m}"
        if self.kind == QUARTERLY:
            return f"{self.start.year}-T{(self.start.month - 1) // 3 + 1}"
        if self.kind == SEMESTER:
            return f"{self.start.year}-S{(self.start.month - 1) // 6 + 1}"
        if self.kind == YEARLY:
            return str(self.start.year)
        return f"{self.start:%Y%m%d}-{self.end:%Y%m%d}"

    @property
    def label(self) -> str:
        year = self.start.year
        if self.kind == MONTHLY:
            return f"{MONTH_NAMES[self.start.month - 1]} {year}"
        if self.kind == QUARTERLY:
            roman = ["I", "II", "III", "IV"][(self.start.month - 1) // 3]
            return _("Triwulan %(n)s %(year)s") % {"n": roman, "year": year}
        if self.kind == SEMESTER:
            return _("Semester %(n)s %(year)s") % {
                "n": (self.start.month - 1) // 6 + 1,
                "year": year,
            }
        if self.kind == YEARLY:
            return _("Tahun %(year)s") % {"year": year}
        return f"{self.start:%d-%m-%Y} s.d. {self.end:%d-%m-%Y}"

    @property
    def short_label(self) -> str:
        if self.kind == MONTHLY:
            return f"{str(MONTH_NAMES[self.start.month - 1])[:3]} {self.start:%y}"
        return self.key

    def contains(self, day: datetime.date) -> bool:
        return self.start <= day <= self.end

    def __str__(self):
        return self.label


def containing(kind: str, day: datetime.date) -> Period:
    """The period of `kind` that `day` falls in (not for one-off periods)."""
    months = MONTHS_PER_PERIOD[kind]
    first_month = (day.month - 1) // months * months + 1
    start = datetime.date(day.year, first_month, 1)
    end = _add_months(start, months) - datetime.timedelta(days=1)
    return Period(start, end, kind)


def following(period: Period) -> Period:
    return containing(period.kind, period.end + datetime.timedelta(days=1))


def preceding(period: Period) -> Period:
    return containing(period.kind, period.start - datetime.timedelta(days=1))


def ended_between(kind: str, first_day: datetime.date, today: datetime.date) -> list[Period]:
    """Every period of `kind` from the one holding `first_day` whose end is before `today`."""
    result = []
    period = containing(kind, first_day)
    while period.end < today:
        result.append(period)
        period = following(period)
    return result


_KEY = re.compile(r"^(\d{4})(?:-(\d{2})|-T([1-4])|-S([12]))?$")


def from_key(kind: str, key: str) -> Period | None:
    """The period named by `key` for `kind`, or None when the key does not fit the kind."""
    match = _KEY.match(key or "")
    if match is None or kind == ONE_OFF:
        return None
    year, month, quarter, semester = match.groups()
    year = int(year)
    if not 2000 <= year <= 2100:
        return None
    if kind == MONTHLY and month and 1 <= int(month) <= 12:
        return containing(kind, datetime.date(year, int(month), 1))
    if kind == QUARTERLY and quarter:
        return containing(kind, datetime.date(year, (int(quarter) - 1) * 3 + 1, 1))
    if kind == SEMESTER and semester:
        return containing(kind, datetime.date(year, (int(semester) - 1) * 6 + 1, 1))
    if kind == YEARLY and not (month or quarter or semester):
        return containing(kind, datetime.date(year, 1, 1))
    return None
