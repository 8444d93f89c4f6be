"""Legal time worked out by hand from the official Colombian holiday calendar.

Holidays relied on (Ley 51 de 1983 with its Monday moves; Ley 2578 de 2026 for 9 July):
2025: 1 Jan, 6 Jan, 24 Mar, 17 and 18 Apr (Holy Thu/Fri), 1 May, 2 Jun, 23 Jun, 30 Jun, 20 Jul,
      7 Aug, 18 Aug, 13 Oct, 3 Nov, 17 Nov, 8 Dec, 25 Dec.
2026: 1 Jan, 12 Jan, 23 Mar, 2 and 3 Apr, 1 May, 18 May, 8 Jun, 15 Jun, 29 Jun, 13 Jul (9 July),
      20 Jul, 7 Aug, 17 Aug, 12 Oct, 2 Nov, 16 Nov, 8 Dec, 25 Dec.
2027: 1 Jan, 11 Jan, 22 Mar, 25 and 26 Mar, 1 May, 10 May, 31 May, 7 Jun, 5 Jul, 12 Jul (9 July),
      20 Jul, 7 Aug, 16 Aug, 18 Oct, 1 Nov, 15 Nov, 8 Dec, 25 Dec.
24 and 31 December are business days.
"""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import holidays
import pytest

from ventanilla.calendars.business import (
    BusinessCalendar,
    add_business_days,
    add_calendar_months,
    business_days_between,
    due_date,
    is_business_day,
    received_on,
)

BOGOTA = ZoneInfo("America/Bogota")
CO = BusinessCalendar()
WITH_CLOSURE = BusinessCalendar(closures=frozenset({date(2026, 6, 26)}))
EARLY_CUTOFF = BusinessCalendar(cutoff=time(16, 0))


def bogota(value: str) -> datetime:
    return datetime.fromisoformat(value).replace(tzinfo=BOGOTA)


def test_the_holiday_tables_this_file_relies_on() -> None:
    expected = {
        2025: 17,  # Sagrado Corazón and San Pedro both fall on 30 June 2025
        2026: 19,
        2027: 19,
    }
    for year, count in expected.items():
        assert len(holidays.country_holidays("CO", years=year)) == count, year
    assert date(2026, 7, 13) in holidays.country_holidays("CO", years=2026)  # Ley 2578
    assert date(2027, 7, 12) in holidays.country_holidays("CO", years=2027)


DUE_DATES = [
    # (filed at, Bogotá time), term in business days, calendar → due date
    pytest.param("2026-03-27T10:00", 10, CO, date(2026, 4, 14), id="issue-example-holy-week-2026"),
    pytest.param("2026-03-27T16:59", 10, CO, date(2026, 4, 14), id="one-minute-before-cutoff"),
    pytest.param("2026-03-27T17:00", 10, CO, date(2026, 4, 15), id="at-cutoff-is-next-day"),
    pytest.param("2026-03-28T09:00", 10, CO, date(2026, 4, 15), id="saturday"),
    pytest.param("2026-04-02T10:00", 15, CO, date(2026, 4, 27), id="holy-thursday-2026"),
    pytest.param("2025-04-16T09:00", 10, CO, date(2025, 5, 5), id="holy-week-and-may-day-2025"),
    pytest.param(
        "2027-03-24T18:00", 10, CO, date(2027, 4, 12), id="after-hours-before-holy-week-2027"
    ),
    pytest.param("2026-01-09T10:00", 5, CO, date(2026, 1, 19), id="epiphany-moved-to-monday"),
    pytest.param("2026-07-10T10:00", 3, CO, date(2026, 7, 16), id="9-july-observed-13-july-2026"),
    pytest.param("2027-07-09T10:00", 2, CO, date(2027, 7, 14), id="9-july-observed-12-july-2027"),
    pytest.param("2026-12-23T16:00", 5, CO, date(2026, 12, 31), id="24-and-31-december-count"),
    pytest.param("2026-12-23T16:00", 6, CO, date(2027, 1, 4), id="over-new-year"),
    pytest.param("2026-12-24T17:30", 1, CO, date(2026, 12, 29), id="christmas-eve-after-hours"),
    pytest.param("2025-12-01T09:00", 15, CO, date(2025, 12, 23), id="general-petition-15-days"),
    pytest.param("2026-10-01T10:00", 30, CO, date(2026, 11, 17), id="consultation-30-days"),
    pytest.param("2026-06-25T10:00", 3, WITH_CLOSURE, date(2026, 7, 2), id="entity-closure"),
    pytest.param("2026-06-25T10:00", 3, CO, date(2026, 7, 1), id="same-without-closure"),
    pytest.param("2026-03-27T16:30", 10, EARLY_CUTOFF, date(2026, 4, 15), id="entity-cutoff-16h"),
    pytest.param("2026-03-27T10:00", 0, CO, date(2026, 3, 27), id="zero-days-is-reception"),
]


@pytest.mark.parametrize(("filed", "days", "calendar", "expected"), DUE_DATES)
def test_due_dates(filed: str, days: int, calendar: BusinessCalendar, expected: date) -> None:
    assert due_date(bogota(filed), days, calendar) == expected


@pytest.mark.parametrize(
    ("filed_at", "expected"),
    [
        pytest.param("2026-03-27T21:59:59+00:00", date(2026, 3, 27), id="utc-16h59-bogota"),
        pytest.param("2026-03-27T22:00:00+00:00", date(2026, 3, 30), id="utc-17h-bogota"),
        pytest.param("2026-12-25T10:00:00-05:00", date(2026, 12, 28), id="christmas-day"),
        pytest.param("2026-07-20T08:00:00-05:00", date(2026, 7, 21), id="independence-day"),
        pytest.param("2026-03-29T23:59:00-05:00", date(2026, 3, 30), id="sunday-night"),
        pytest.param("2026-03-30T00:00:00-05:00", date(2026, 3, 30), id="monday-midnight"),
    ],
)
def test_reception(filed_at: str, expected: date) -> None:
    assert received_on(datetime.fromisoformat(filed_at), CO) == expected


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        pytest.param(date(2026, 1, 31), 1, date(2026, 3, 2), id="31-jan-to-saturday-28-feb"),
        pytest.param(date(2028, 1, 31), 1, date(2028, 2, 29), id="leap-year-2028"),
        pytest.param(date(2026, 2, 28), 1, date(2026, 3, 30), id="lands-on-saturday"),
        pytest.param(date(2026, 9, 12), 1, date(2026, 10, 13), id="lands-on-a-holiday"),
        pytest.param(date(2026, 3, 4), 1, date(2026, 4, 6), id="lands-on-good-friday-weekend"),
        pytest.param(date(2026, 11, 30), 2, date(2027, 2, 1), id="over-the-year-onto-a-saturday"),
    ],
)
def test_calendar_months(start: date, months: int, expected: date) -> None:
    assert add_calendar_months(start, months, CO) == expected


def test_business_days_between_counts_both_ways() -> None:
    assert business_days_between(date(2026, 3, 27), date(2026, 4, 14), CO) == 10
    assert business_days_between(date(2026, 4, 14), date(2026, 3, 27), CO) == -10
    assert business_days_between(date(2026, 12, 23), date(2027, 1, 4), CO) == 6
    assert business_days_between(date(2026, 4, 2), date(2026, 4, 5), CO) == 0


def test_adding_backwards_and_over_years() -> None:
    assert add_business_days(date(2026, 4, 6), -1, CO) == date(2026, 4, 1)
    assert add_business_days(date(2027, 1, 4), -1, CO) == date(2026, 12, 31)
    assert add_business_days(date(2026, 12, 31), 1, CO) == date(2027, 1, 4)
    assert add_business_days(date(2026, 1, 2), 250, CO) == add_business_days(
        add_business_days(date(2026, 1, 2), 125, CO), 125, CO
    )


def test_what_is_a_business_day() -> None:
    assert is_business_day(date(2026, 12, 24), CO)
    assert is_business_day(date(2026, 12, 31), CO)
    assert not is_business_day(date(2026, 12, 25), CO)
    assert not is_business_day(date(2026, 7, 13), CO)
    assert not is_business_day(date(2026, 3, 28), CO)  # Saturday
    assert not is_business_day(date(2026, 6, 26), WITH_CLOSURE)


def test_bad_input_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        received_on(datetime(2026, 3, 27, 10, 0), CO)
    with pytest.raises(ValueError, match="negative"):
        due_date(bogota("2026-03-27T10:00"), -1, CO)
    with pytest.raises(ValueError, match="supported range"):
        is_business_day(date(1900, 1, 1), CO)
