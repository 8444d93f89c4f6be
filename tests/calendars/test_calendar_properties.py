"""Properties of legal time that hold for any date and any filing time."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from ventanilla.calendars.business import (
    BusinessCalendar,
    add_business_days,
    business_days_between,
    due_date,
    is_business_day,
    received_on,
)

CO = BusinessCalendar(closures=frozenset({date(2026, 6, 26), date(2027, 12, 10)}))
DAYS = st.dates(min_value=date(2025, 1, 1), max_value=date(2030, 12, 31))
OFFSETS = st.sampled_from([-5, -4, 0, 1, 9]).map(lambda h: timezone(timedelta(hours=h)))
FILINGS = st.builds(
    lambda d, minute, tz: (
        datetime.combine(d, datetime.min.time(), tzinfo=UTC).astimezone(tz)
        + timedelta(minutes=minute)
    ),
    DAYS,
    st.integers(0, 24 * 60 - 1),
    OFFSETS,
)
TERMS = st.integers(min_value=0, max_value=60)
FAST = settings(max_examples=300, deadline=None)


@FAST
@given(FILINGS, TERMS)
def test_a_due_date_is_always_a_business_day(filed_at: datetime, days: int) -> None:
    assert is_business_day(due_date(filed_at, days, CO), CO)


@FAST
@given(DAYS, st.integers(min_value=-120, max_value=120))
def test_counting_back_gives_the_days_added(start: date, days: int) -> None:
    end = add_business_days(start, days, CO)
    # Counting back from a weekend or holiday, the start itself is not a day to give back.
    if is_business_day(start, CO) or days >= 0:
        assert business_days_between(start, end, CO) == days


@FAST
@given(FILINGS, FILINGS, TERMS)
def test_due_dates_never_go_back_in_time(first: datetime, second: datetime, days: int) -> None:
    earlier, later = sorted([first, second])
    assert due_date(earlier, days, CO) <= due_date(later, days, CO)


@FAST
@given(FILINGS)
def test_reception_is_a_business_day_never_before_the_filing(filed_at: datetime) -> None:
    day = received_on(filed_at, CO)
    assert is_business_day(day, CO)
    assert day >= filed_at.astimezone(CO.zone).date()


@FAST
@given(DAYS, st.integers(0, 60), st.integers(0, 60))
def test_adding_in_two_steps_is_adding_once(start: date, n: int, m: int) -> None:
    two_steps = add_business_days(add_business_days(start, n, CO), m, CO)
    assert two_steps == add_business_days(start, n + m, CO)
