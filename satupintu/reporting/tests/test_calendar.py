"""Periods and due dates: working days skip weekends, national holidays, cuti bersama and the
regency's own leave days."""

import datetime

import pytest

from satupintu.reporting import periods
from satupintu.reporting.workdays import Calendar

D = datetime.date


def test_period_keys_labels_and_bounds():
    march = periods.containing(periods.MONTHLY, D(2026, 3, 17))
    assert (march.start, march.end, march.key) == (D(2026, 3, 1), D(2026, 3, 31), "2026-03")
    assert march.label == "Maret 2026"
    q3 = periods.containing(periods.QUARTERLY, D(2026, 8, 2))
    assert (q3.start, q3.end, q3.key, q3.label) == (
        D(2026, 7, 1),
        D(2026, 9, 30),
        "2026-T3",
        "Triwulan III 2026",
    )
    s2 = periods.containing(periods.SEMESTER, D(2026, 12, 31))
    assert (s2.start, s2.end, s2.key) == (D(2026, 7, 1), D(2026, 12, 31), "2026-S2")
    year = periods.containing(periods.YEARLY, D(2024, 2, 29))
    assert (year.start, year.end, year.key) == (D(2024, 1, 1), D(2024, 12, 31), "2024")
    feb = periods.containing(periods.MONTHLY, D(2024, 2, 10))
    assert feb.end == D(2024, 2, 29)
    for p in (march, q3, s2, year):
        assert periods.from_key(p.kind, p.key) == p
    assert periods.from_key(periods.MONTHLY, "2026-13") is None
    assert periods.from_key(periods.MONTHLY, "2026-T1") is None
    assert periods.from_key(periods.QUARTERLY, "../../etc") is None


def test_ended_periods_stop_before_today():
    ended = periods.ended_between(periods.MONTHLY, D(2026, 1, 15), D(2026, 4, 1))
    assert [p.key for p in ended] == ["2026-01", "2026-02", "2026-03"]
    assert periods.ended_between(periods.QUARTERLY, D(2026, 1, 1), D(2026, 3, 31)) == []


@pytest.mark.django_db
def test_due_date_skips_idul_fitri_and_cuti_bersama():
    """18–24 March 2026 hold Nyepi, Idul Fitri and their cuti bersama: ten working days
    after 28 February is 13 March, but ten after 13 March is 6 April (3 April is Good
    Friday), not 27 March."""
    calendar = Calendar()
    assert not calendar.is_working_day(D(2026, 3, 20))  # cuti bersama Idul Fitri (Friday)
    assert not calendar.is_working_day(D(2026, 3, 23))  # cuti bersama (Monday)
    assert not calendar.is_working_day(D(2026, 3, 19))  # Nyepi
    assert calendar.is_working_day(D(2026, 3, 25))
    # After 28 Feb (Sat): 2,3,4,5,6,9,10,11,12,13 March (no holidays yet).
    assert calendar.add_working_days(D(2026, 2, 28), 10) == D(2026, 3, 13)
    # After 13 March: 16,17 (18,19,20 off; 21,22 weekend+Idul Fitri; 23,24 off), 25,26,27,30,31,
    # 1 April, 2 April (3 Good Friday off), 6 April = 10th.
    assert calendar.add_working_days(D(2026, 3, 13), 10) == D(2026, 4, 6)
    assert calendar.working_days_between(D(2026, 3, 17), D(2026, 3, 25)) == 1


@pytest.mark.django_db
def test_regency_leave_days_move_due_dates():
    from satupintu.reporting.models import LeaveDay

    before = Calendar().add_working_days(D(2026, 5, 29), 1)
    assert before == D(2026, 6, 2)  # 1 June is Pancasila Day
    LeaveDay.objects.create(date=D(2026, 6, 2), name="Cuti daerah (uji)")
    assert Calendar().add_working_days(D(2026, 5, 29), 1) == D(2026, 6, 3)
