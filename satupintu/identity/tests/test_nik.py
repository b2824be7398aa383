"""The NIK rules: only what cannot be a NIK is refused; everything else is a soft signal."""

import datetime

import pytest

from satupintu.identity.nik import NIK, InvalidNIK, mask, normalise, parse

# A made-up NIK: Sukorame (35.24.01), born 12 March 1985, serial 0001.
MAN = "3524011203850001"
# The same with the women's +40 on the day: 12 -> 52.
WOMAN = "3524015203850002"


def refused(raw) -> str:
    with pytest.raises(InvalidNIK) as caught:
        parse(raw)
    return caught.value.code


# --- Normalisation and format -----------------------------------------------------------------
@pytest.mark.parametrize(
    "typed",
    [
        MAN,
        "3524 0112 0385 0001",
        "3524-0112-0385-0001",
        "3524.0112.0385.0001",
        "3524\u00a00112\u00a00385\u00a00001",  # no-break spaces, as pasted from a PDF
        "  3524011203850001\n",
        "3524\t011203850001",
        "3524\u2013011203850001",  # en dash
        "3524\u2212011203850001",  # minus sign
    ],
)
def test_separators_are_removed(typed):
    assert parse(typed).digits == MAN


def test_normalise_handles_none():
    assert normalise(None) == ""


@pytest.mark.parametrize(
    "typed",
    [
        "".join(chr(0xFF10 + int(d)) for d in MAN),  # full-width digits
        "\u0663\u0665\u0662\u0664011203850001",  # Arabic-Indic digits
        MAN[:15],  # 15 digits
        MAN + "1",  # 17 digits
        "3524O11203850001",  # letter O for zero
        "352401120385000l",  # letter l for one
        "ABCDEFGHIJKLMNOP",
        "",
        "3524_011203850001",  # underscore is not a separator
        "3524/011203850001",
    ],
)
def test_format_is_refused(typed):
    assert refused(typed) == "format"


def test_no_input_at_all_is_a_format_error():
    assert refused(None) == "format"


# --- Province -----------------------------------------------------------------------------------
@pytest.mark.parametrize("province", ["00", "54", "99", "10", "20", "97"])
def test_unknown_province_is_refused(province):
    assert refused(province + MAN[2:]) == "province"


@pytest.mark.parametrize("province", ["11", "31", "35", "91", "96"])
def test_known_provinces_are_accepted(province):
    assert parse(province + MAN[2:]).province_code == province


# --- Day and month ------------------------------------------------------------------------------
@pytest.mark.parametrize("day", ["00", "32", "39", "40", "72", "80", "99"])
def test_impossible_day_is_refused(day):
    assert refused(MAN[:6] + day + MAN[8:]) == "day"


@pytest.mark.parametrize(
    ("day", "expected_day", "sex"),
    [("01", 1, "L"), ("31", 31, "L"), ("41", 1, "P"), ("71", 31, "P"), ("52", 12, "P")],
)
def test_day_limits_and_womens_offset(day, expected_day, sex):
    parsed = parse(MAN[:6] + day + MAN[8:])
    assert (parsed.day, parsed.sex) == (expected_day, sex)


@pytest.mark.parametrize("month", ["00", "13", "20", "99"])
def test_impossible_month_is_refused(month):
    assert refused(MAN[:8] + month + MAN[10:]) == "month"


def test_day_is_checked_before_month():
    assert refused(MAN[:6] + "00" + "13" + MAN[10:]) == "day"


# --- Serial ---------------------------------------------------------------------------------------
def test_serial_0000_is_refused():
    assert refused(MAN[:12] + "0000") == "serial"


@pytest.mark.parametrize("serial", ["0001", "9999", "1000"])
def test_other_serials_are_accepted(serial):
    assert parse(MAN[:12] + serial).serial == serial


# --- What a NIK says ------------------------------------------------------------------------------
def test_parts():
    parsed = parse(MAN)
    assert parsed == NIK(
        digits=MAN,
        province_code="35",
        regency_code="35.24",
        district_code="35.24.01",
        day=12,
        month=3,
        year_2=85,
        sex="L",
        serial="0001",
    )


def test_woman():
    parsed = parse(WOMAN)
    assert parsed.sex == "P"
    assert parsed.day == 12
    assert parsed.birth_date(datetime.date(2026, 11, 27)) == datetime.date(1985, 3, 12)


@pytest.mark.parametrize(
    ("year_2", "today", "expected"),
    [
        ("85", datetime.date(2026, 11, 27), 1985),
        ("05", datetime.date(2026, 11, 27), 2005),
        ("26", datetime.date(2026, 11, 27), 2026),  # 12 March 2026 is past
        ("26", datetime.date(2026, 3, 11), 1926),  # ... but not yet on 11 March
        ("26", datetime.date(2026, 3, 12), 2026),  # the day itself is not the future
        ("00", datetime.date(2026, 11, 27), 2000),
        ("30", datetime.date(2026, 11, 27), 1930),
        ("99", datetime.date(2026, 11, 27), 1999),
    ],
)
def test_two_digit_year_takes_the_latest_century_not_in_the_future(year_2, today, expected):
    parsed = parse(MAN[:10] + year_2 + MAN[12:])
    assert parsed.birth_date(today).year == expected


def test_birth_date_defaults_to_today():
    assert parse(MAN).birth_date() == datetime.date(1985, 3, 12)


def test_impossible_calendar_date_is_accepted_without_a_birth_date():
    # 30 February: such NIKs exist; whether the person does is for the registry to say.
    parsed = parse(MAN[:6] + "3002" + "85" + MAN[12:])
    assert parsed.day == 30 and parsed.month == 2
    assert parsed.birth_date(datetime.date(2026, 11, 27)) is None
    women = parse(MAN[:6] + "7102" + "85" + MAN[12:])  # 31 February, a woman
    assert women.birth_date(datetime.date(2026, 11, 27)) is None


def test_29_february_in_a_leap_year_only():
    leap = parse(MAN[:6] + "2902" + "84" + MAN[12:])
    assert leap.birth_date(datetime.date(2026, 11, 27)) == datetime.date(1984, 2, 29)
    # 29 Feb xx00: 2000 was a leap year and is not in the future.
    assert parse(MAN[:6] + "290200" + MAN[12:]).birth_date(
        datetime.date(2026, 1, 1)
    ) == datetime.date(2000, 2, 29)
    # 29/02/25: neither 2025 nor 1925 had one.
    assert parse(MAN[:6] + "290225" + MAN[12:]).birth_date(datetime.date(2026, 1, 1)) is None


def test_birth_date_mismatch_is_only_a_signal():
    parsed = parse(MAN)
    assert parsed.matches_birth_date(datetime.date(1985, 3, 12))
    assert parsed.matches_birth_date(datetime.date(2085, 3, 12))  # any century
    assert not parsed.matches_birth_date(datetime.date(1985, 3, 13))  # corrected date
    assert not parsed.matches_birth_date(datetime.date(1986, 3, 12))
    # The women's offset is removed before comparing.
    assert parse(WOMAN).matches_birth_date(datetime.date(1985, 3, 12))


@pytest.mark.parametrize(
    ("digits", "district"),
    [
        ("3578031501850002", "35.78.03"),  # first issued in Surabaya, lives in Lamongan
        ("3524991203850001", "35.24.99"),  # kecamatan code that no longer exists
        ("9101011203850001", "91.01.01"),  # Merauke before it became 93.01
        ("3524001203850001", "35.24.00"),  # the registry has those too
    ],
)
def test_non_local_and_retired_prefixes_are_accepted(digits, district):
    assert parse(digits).district_code == district


# --- Keeping the number out of logs ---------------------------------------------------------------
def test_str_and_repr_are_masked():
    parsed = parse(MAN)
    for text in (str(parsed), repr(parsed), f"{parsed!r}", repr([parsed]), repr({"n": parsed})):
        assert MAN not in text
        assert MAN[4:12] not in text
    assert str(parsed) == "3524********0001"
    assert repr(parsed) == "NIK(3524********0001)"
    assert parsed.masked == mask(MAN)


def test_mask_of_something_else_reveals_nothing():
    assert mask("123") == "*" * 16
    assert mask(MAN + "1") == "*" * 16


def test_error_never_echoes_the_input():
    typed = "3524011203850000"  # serial 0000
    with pytest.raises(InvalidNIK) as caught:
        parse(typed)
    error = caught.value
    assert str(error) == "serial"
    assert typed not in repr(error) and typed not in str(error.args)
    assert typed not in str(error.message)
    assert str(error.message)  # a sentence for the citizen


def test_messages_are_indonesian():
    with pytest.raises(InvalidNIK) as caught:
        parse("123")
    assert "16 angka" in str(caught.value.message)
