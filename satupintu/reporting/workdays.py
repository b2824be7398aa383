"""Working days: Monday to Friday, minus Indonesia's public holidays and cuti bersama (from
the maintained `holidays` package, categories "public" and "government") and the leave days
the regency declares itself (`LeaveDay`, edited by Kominfo).

Due dates count working days, so a report due "10 working days after the month" in a month
with Idul Fitri and its cuti bersama falls later, as the regency's circulars say.
"""

import datetime
from functools import lru_cache

import holidays

CATEGORIES = ("public", "government")


@lru_cache(maxsize=64)
def national_holidays(year: int) -> dict[datetime.date, str]:
    calendar = holidays.country_holidays("ID", years=[year], categories=CATEGORIES, language="id")
    return dict(calendar.items())


def regency_leave_days(year: int) -> dict[datetime.date, str]:
    from .models import LeaveDay

    return dict(LeaveDay.objects.filter(date__year=year).values_list("date", "name"))


class Calendar:
    """Working-day arithmetic with the regency's leave days read once per year."""

    def __init__(self):
        self._closed: dict[int, dict[datetime.date, str]] = {}

    def closed_days(self, year: int) -> dict[datetime.date, str]:
        if year not in self._closed:
            self._closed[year] = {**national_holidays(year), **regency_leave_days(year)}
        return self._closed[year]

    def is_working_day(self, day: datetime.date) -> bool:
        return day.weekday() < 5 and day not in self.closed_days(day.year)

    def add_working_days(self, day: datetime.date, count: int) -> datetime.date:
        """The `count`-th working day after `day` (`day` itself never counts)."""
        current = day
        remaining = max(count, 0)
        while remaining:
            current += datetime.timedelta(days=1)
            if self.is_working_day(current):
                remaining -= 1
        return current

    def working_days_between(self, start: datetime.date, end: datetime.date) -> int:
        """Working days after `start` up to and including `end` (negative when end < start)."""
        if end < start:
            return -self.working_days_between(end, start)
        count = 0
        current = start
        while current < end:
            current += datetime.timedelta(days=1)
            if self.is_working_day(current):
                count += 1
        return count
