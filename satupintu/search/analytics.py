"""What the public searches for, counted per query and day, with nothing about who.

Not counted at all: queries with a long number or an e-mail address in them (a phone
number, an account or a NIK typed by mistake is personal data, whatever the intent), and
anything longer than a query can be. Counts older than RETENTION_DAYS are deleted.
"""

import re

from django.db import connection
from django.utils import timezone

from . import language
from .models import QueryDay

RETENTION_DAYS = 400
_PERSONAL = re.compile(r"\d{6,}|@|\d[\d\s.\-]{8,}\d")
# The report lists a query only once this many searches were counted for it in the period:
# a query typed once may be a name.
REPORT_MINIMUM = 2


def loggable(text: str) -> str:
    normalized = language.normalize(text)[:100]
    if not normalized or _PERSONAL.search(normalized):
        return ""
    return normalized


def _bump(query: str, searches: int = 0, empty: int = 0, clicks: int = 0) -> None:
    today = timezone.localdate()
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO search_queryday (day, query, searches, empty, clicks) "
            "VALUES (%s, %s, %s, %s, %s) ON CONFLICT (day, query) DO UPDATE SET "
            "searches = search_queryday.searches + excluded.searches, "
            "empty = search_queryday.empty + excluded.empty, "
            "clicks = search_queryday.clicks + excluded.clicks",
            [today, query, searches, empty, clicks],
        )


_purged_on = None


def record_search(outcome) -> None:
    global _purged_on
    query = loggable(outcome.query)
    if query:
        _bump(query, searches=1, empty=int(outcome.total == 0))
        # Old counts go at the first counted search of each day in each process: one
        # indexed delete a day, and no job to forget to schedule.
        today = timezone.localdate()
        if _purged_on != today:
            purge_old()
            _purged_on = today


def record_click(text: str) -> None:
    query = loggable(text)
    if query and QueryDay.objects.filter(query=query, day=timezone.localdate()).exists():
        _bump(query, clicks=1)


def purge_old() -> int:
    cutoff = timezone.localdate() - timezone.timedelta(days=RETENTION_DAYS)
    return QueryDay.objects.filter(day__lt=cutoff).delete()[0]
