"""Which times a point offers for a service, derived from its schedules: pure functions over
plain values, so that a page of free times costs a few queries and no loop over the database.

A day has times when some schedule covers it; a campaign (a schedule with dates) replaces the
ordinary schedule on its days. Public holidays and the entity's and the point's closures have no
times. Each period gives one time every `slot_minutes` that ends within the period.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from ventanilla.calendars.business import public_holidays


@dataclass(frozen=True)
class Rules:
    """One schedule as the derivation needs it."""

    slot_minutes: int
    capacity: int
    min_notice_minutes: int
    horizon_days: int
    periods: tuple[tuple[int, time, time], ...]  # (weekday, opens, closes)
    starts_on: date | None = None
    ends_on: date | None = None

    def covers(self, day: date) -> bool:
        if self.starts_on is None or self.ends_on is None:
            return True
        return self.starts_on <= day <= self.ends_on


@dataclass(frozen=True)
class Place:
    """Where the rules apply: the calendar that takes days away."""

    timezone: str
    country: str = "CO"
    subdivision: str = ""
    closures: frozenset[date] = frozenset()

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def is_open(self, day: date) -> bool:
        if day in self.closures:
            return False
        return day not in public_holidays(self.country, self.subdivision, day.year)


@dataclass(frozen=True)
class Time:
    """One bookable time and its seats."""

    starts_at: datetime  # aware, in the point's zone
    minutes: int
    capacity: int
    min_notice_minutes: int

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.minutes)


def rules_for_day(schedules: Iterable[Rules], day: date) -> list[Rules]:
    """The schedules that apply on `day`: its campaigns if any covers it, else the ordinary."""
    covering = [rules for rules in schedules if rules.covers(day)]
    campaigns = [rules for rules in covering if rules.starts_on is not None]
    return campaigns or covering


def times_of_day(schedules: Iterable[Rules], place: Place, day: date) -> list[Time]:
    """Every time `day` offers, in order (without looking at who booked them)."""
    if not place.is_open(day):
        return []
    zone = place.zone
    found: dict[datetime, Time] = {}
    for rules in rules_for_day(schedules, day):
        step = timedelta(minutes=rules.slot_minutes)
        for weekday, opens, closes in rules.periods:
            if weekday != day.weekday():
                continue
            start = datetime.combine(day, opens, zone)
            end = datetime.combine(day, closes, zone)
            while start + step <= end:
                current = found.get(start)
                if current is None or current.capacity < rules.capacity:
                    found[start] = Time(
                        start, rules.slot_minutes, rules.capacity, rules.min_notice_minutes
                    )
                start += step
    return [found[key] for key in sorted(found)]


def last_bookable_day(schedules: Iterable[Rules], today: date) -> date:
    """The furthest day anyone may book today, by the longest horizon among `schedules`."""
    horizon = max((rules.horizon_days for rules in schedules), default=0)
    return today + timedelta(days=horizon)


def bookable(time_: Time, now: datetime) -> bool:
    """Whether a time is still far enough ahead to book."""
    return time_.starts_at >= now + timedelta(minutes=time_.min_notice_minutes)


def period_label_parts(
    periods: Iterable[tuple[int, time, time]],
) -> dict[int, list[tuple[time, time]]]:
    """The periods grouped by weekday, in order: what a page shows as «lunes: 8:00-12:00 y
    14:00-17:00» instead of one line per period."""
    days: dict[int, list[tuple[time, time]]] = {}
    for weekday, opens, closes in sorted(periods):
        days.setdefault(weekday, []).append((opens, closes))
    return days
