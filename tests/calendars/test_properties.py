"""Properties of legal time that hold for any day and any filing time, 2025-2030."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from ventanilla.calendars.business import (
    BusinessCalendar,
    add_business_days,
    business_days_between,
    calendar_for,
    due_date,
    is_business_day,
    received_on,
)

CALENDARS = st.sampled_from(
    [
        calendar_for(),
        # Closures next to holidays and over a year's end, where counting is easiest to get wrong.
        calendar_for(
            closures=frozenset(
                {date(2026, 6, 26), date(2026, 12, 24), date(2027, 12, 31), date(2028, 1, 3)}
            )
        ),
        calendar_for(cutoff=time(16, 0)),
        calendar_for(cutoff=time(14, 0), timezone="Europe/Madrid"),
    ]
)
DAYS = st.dates(min_value=date(2025, 1, 1), max_value=date(2030, 12, 31))
# The filer's offset is whatever their device sends: whole and half hours, and a zone with DST.
ZONES = st.sampled_from(
    [
        timezone(timedelta(hours=-5)),
        timezone(timedelta(hours=-4)),
        UTC,
        timezone(timedelta(hours=5, minutes=30)),
        timezone(timedelta(hours=9)),
        timezone(timedelta(hours=-10)),
        ZoneInfo("America/Bogota"),
        ZoneInfo("Europe/Madrid"),
    ]
)
# Hypothesis takes naive bounds and attaches one of ZONES to each example.
FILINGS = st.datetimes(
    min_value=datetime(2025, 1, 1),
    max_value=datetime(2030, 12, 31, 23, 59, 59),
    timezones=ZONES,
)
TERMS = st.integers(min_value=0, max_value=60)
STEPS = st.integers(min_value=-300, max_value=300)
QUICK = settings(max_examples=200, deadline=None)


@QUICK
@given(FILINGS, TERMS, CALENDARS)
def test_a_due_date_is_always_a_business_day(
    filed_at: datetime, days: int, calendar: BusinessCalendar
) -> None:
    assert is_business_day(due_date(filed_at, days, calendar), calendar)


@QUICK
@given(DAYS, STEPS, CALENDARS)
def test_counting_the_days_between_gives_back_the_days_added(
    start: date, days: int, calendar: BusinessCalendar
) -> None:
    end = add_business_days(start, days, calendar)
    assert business_days_between(start, end, calendar) == days


@QUICK
@given(DAYS, STEPS, CALENDARS)
def test_adding_business_days_lands_on_a_business_day_on_the_right_side(
    start: date, days: int, calendar: BusinessCalendar
) -> None:
    end = add_business_days(start, days, calendar)
    if days == 0:
        assert end == start
    else:
        assert is_business_day(end, calendar)
        assert (end > start) is (days > 0)


@QUICK
@given(FILINGS, FILINGS, TERMS, CALENDARS)
def test_a_later_filing_is_never_due_earlier(
    first: datetime, second: datetime, days: int, calendar: BusinessCalendar
) -> None:
    earlier, later = sorted([first, second])
    assert due_date(earlier, days, calendar) <= due_date(later, days, calendar)


@QUICK
@given(FILINGS, TERMS, CALENDARS)
def test_a_longer_term_is_due_later(
    filed_at: datetime, days: int, calendar: BusinessCalendar
) -> None:
    assert due_date(filed_at, days, calendar) < due_date(filed_at, days + 1, calendar)


@QUICK
@given(FILINGS, CALENDARS)
def test_reception_is_the_first_business_day_from_the_filing_on(
    filed_at: datetime, calendar: BusinessCalendar
) -> None:
    local = filed_at.astimezone(calendar.zone)
    day = received_on(filed_at, calendar)
    assert is_business_day(day, calendar)
    assert day >= local.date()
    # Only the filing's own day can be skipped for being after hours; no business day is
    # jumped over after it.
    assert business_days_between(local.date(), day, calendar) <= 1
    if day == local.date():
        assert local.time() < calendar.cutoff


@QUICK
@given(DAYS, st.integers(1, 250), st.integers(1, 250), CALENDARS)
def test_adding_in_two_steps_is_adding_once(
    start: date, n: int, m: int, calendar: BusinessCalendar
) -> None:
    two_steps = add_business_days(add_business_days(start, n, calendar), m, calendar)
    assert two_steps == add_business_days(start, n + m, calendar)
