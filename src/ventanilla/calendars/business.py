"""Legal time: business days, reception and due dates over an entity's calendar.

Pure functions. A `BusinessCalendar` names a country's public holidays (and a subdivision's),
the entity's own closures, its reception cut-off and its time zone. Business days are Monday to
Friday less holidays and closures; 24 and 31 December are business days (Colombian practice).

Colombian holidays come from the `holidays` package: Ley 51 de 1983 (the Emiliani Monday moves)
and Ley 2578 de 2026 (9 July) from version 0.99 on. Each year's business days are computed once
per calendar and kept as a sorted array of ordinals, so a due date is a bisection, not a loop.
"""

from __future__ import annotations

import calendar as _stdlib_calendar
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from datetime import date, datetime, time
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

MIN_YEAR = 1950
MAX_YEAR = 2200
SATURDAY = 5


@lru_cache(maxsize=512)
def public_holidays(country: str, subdivision: str, year: int) -> frozenset[date]:
    """The public holidays of `country` (and `subdivision`, when given) in `year`."""
    _check_year(year)
    return frozenset(
        holidays.country_holidays(country, subdiv=subdivision or None, years=year).keys()
    )


@dataclass(frozen=True)
class BusinessCalendar:
    """What decides legal time for one entity."""

    country: str = "CO"
    subdivision: str = ""
    closures: frozenset[date] = frozenset()
    cutoff: time = time(17, 0)
    timezone: str = "America/Bogota"
    _years: dict[int, tuple[int, ...]] = field(
        default_factory=dict, compare=False, hash=False, repr=False
    )

    @property
    def zone(self) -> ZoneInfo:
        return _zone(self.timezone)

    def business_ordinals(self, year: int) -> tuple[int, ...]:
        """The business days of `year`, as sorted proleptic ordinals (cached)."""
        days = self._years.get(year)
        if days is None:
            off = public_holidays(self.country, self.subdivision, year) | self.closures
            first = date(year, 1, 1).toordinal()
            last = date(year, 12, 31).toordinal()
            days = tuple(
                ordinal
                for ordinal in range(first, last + 1)
                if (ordinal - 1) % 7 < SATURDAY and date.fromordinal(ordinal) not in off
            )
            self._years[year] = days
        return days


@lru_cache(maxsize=64)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


@lru_cache(maxsize=1024)
def calendar_for(
    country: str = "CO",
    subdivision: str = "",
    closures: frozenset[date] = frozenset(),
    cutoff: time = time(17, 0),
    timezone: str = "America/Bogota",
) -> BusinessCalendar:
    """A shared calendar instance, so that its per-year cache serves every caller."""
    return BusinessCalendar(
        country=country,
        subdivision=subdivision,
        closures=closures,
        cutoff=cutoff,
        timezone=timezone,
    )


def _check_year(year: int) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueError(f"year {year} is outside the supported range {MIN_YEAR}-{MAX_YEAR}")


def is_business_day(day: date, calendar: BusinessCalendar) -> bool:
    """Monday to Friday, not a public holiday and not a closure of the entity."""
    if day.weekday() >= SATURDAY or day in calendar.closures:
        return False
    return day not in public_holidays(calendar.country, calendar.subdivision, day.year)


def add_business_days(start: date, days: int, calendar: BusinessCalendar) -> date:
    """The `days`-th business day after `start` (before it when `days` is negative).

    `start` itself never counts, whether or not it is a business day; zero returns `start`.
    """
    if days == 0:
        return start
    year = start.year
    ordinals = calendar.business_ordinals(year)
    if days > 0:
        index = bisect_right(ordinals, start.toordinal())
        remaining = days
        while index + remaining > len(ordinals):
            remaining -= len(ordinals) - index
            year += 1
            ordinals = calendar.business_ordinals(year)
            index = 0
        return date.fromordinal(ordinals[index + remaining - 1])
    index = bisect_left(ordinals, start.toordinal()) - 1
    remaining = -days
    while index - remaining + 1 < 0:
        remaining -= index + 1
        year -= 1
        ordinals = calendar.business_ordinals(year)
        index = len(ordinals) - 1
    return date.fromordinal(ordinals[index - remaining + 1])


def next_business_day(day: date, calendar: BusinessCalendar) -> date:
    """`day` itself when it is a business day, else the first business day after it."""
    return day if is_business_day(day, calendar) else add_business_days(day, 1, calendar)


def business_days_between(start: date, end: date, calendar: BusinessCalendar) -> int:
    """How many business days lie after `start` up to and including `end`; when `end` is
    before `start`, minus those before `start` down to and including `end`.

    As in `add_business_days`, `start` never counts and `end` does, so this is its inverse:
    `business_days_between(d, add_business_days(d, n), c)` is `n`, also from a day off.
    """
    # Counting forward takes the business days in (start, end]; counting back those in
    # [end, start): bisect_right on both bounds excludes the lower, bisect_left the upper.
    sign, first, last = (1, start, end) if start <= end else (-1, end, start)
    cut = bisect_right if sign > 0 else bisect_left
    count = 0
    for year in range(first.year, last.year + 1):
        ordinals = calendar.business_ordinals(year)
        low = cut(ordinals, first.toordinal()) if year == first.year else 0
        high = cut(ordinals, last.toordinal()) if year == last.year else len(ordinals)
        count += high - low
    return sign * count


def received_on(filed_at: datetime, calendar: BusinessCalendar) -> date:
    """The day a filing counts as received: the filing's local day, unless that day is not a
    business day or the filing came at or after the cut-off; then the next business day."""
    if filed_at.tzinfo is None:
        raise ValueError("filed_at must be timezone-aware")
    local = filed_at.astimezone(calendar.zone)
    day = local.date()
    if is_business_day(day, calendar) and local.time() < calendar.cutoff:
        return day
    return add_business_days(day, 1, calendar)


def due_date(filed_at: datetime, days: int, calendar: BusinessCalendar) -> date:
    """The last day of a term of `days` business days for a filing made at `filed_at`.

    The term starts the business day after reception and ends on its `days`-th business day
    (Ley 1755 de 2015, art. 14; Ley 4 de 1913, art. 62: days in legal terms are business days).
    """
    if days < 0:
        raise ValueError("a term cannot be negative")
    return add_business_days(received_on(filed_at, calendar), days, calendar)


def add_calendar_months(start: date, months: int, calendar: BusinessCalendar) -> date:
    """`start` plus `months` calendar months, moved to the next business day when it ends on a
    day that is not one (Ley 4 de 1913, art. 62). The 31st becomes the month's last day."""
    month_index = start.year * 12 + (start.month - 1) + months
    year, month = divmod(month_index, 12)
    month += 1
    _check_year(year)
    day = min(start.day, _stdlib_calendar.monthrange(year, month)[1])
    return next_business_day(date(year, month, day), calendar)
