"""Read queries of appointments: the free times of a point, the points that give them, the
rules that apply to a person, and the bookings an agenda or a citizen sees."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.core.cache import cache
from django.db.models import Q, QuerySet

from ventanilla.appointments.codes import code_normalize
from ventanilla.appointments.models import (
    Booking,
    BookingPolicy,
    BookingState,
    Schedule,
    Slot,
)
from ventanilla.appointments.slots import (
    Place,
    Rules,
    Time,
    bookable,
    last_bookable_day,
    times_of_day,
)
from ventanilla.catalog.models import Service
from ventanilla.core import clock
from ventanilla.organization.models import EntityClosure, ServicePoint, ServicePointClosure

DAYS_SHOWN = 7  # days of free times in one view
# How long pages of free times may use a point's rules and closures without reading them again.
RULES_CACHE_SECONDS = 300


@dataclass(frozen=True)
class FreeTime:
    starts_at: datetime
    ends_at: datetime
    free: int


@dataclass(frozen=True)
class Day:
    day: date
    times: list[FreeTime]

    @property
    def parts(self) -> list[tuple[str, list[FreeTime]]]:
        """The day's times as morning, afternoon and evening (keys for the page to name), so
        that a day reads «mañana: 8:00 … · tarde: 14:00 …»; empty parts left out."""
        parts: dict[str, list[FreeTime]] = {"morning": [], "afternoon": [], "evening": []}
        for time_ in self.times:
            hour = time_.starts_at.hour
            key = "morning" if hour < 12 else "afternoon" if hour < 18 else "evening"
            parts[key].append(time_)
        return [(key, times) for key, times in parts.items() if times]


def schedule_rules(point: ServicePoint, service: Service) -> list[Rules]:
    """The active schedules of `point` for `service`, as rules (one query)."""
    schedules = Schedule.objects.filter(point=point, service=service, active=True).prefetch_related(
        "periods"
    )
    return [
        Rules(
            slot_minutes=s.slot_minutes,
            capacity=s.capacity,
            min_notice_minutes=s.min_notice_minutes,
            horizon_days=s.horizon_days,
            periods=tuple((p.weekday, p.opens, p.closes) for p in s.periods.all()),
            starts_on=s.starts_on,
            ends_on=s.ends_on,
        )
        for s in schedules
    ]


def point_place(point: ServicePoint) -> Place:
    """The point's calendar: its entity's holidays and closures, and its own closures."""
    entity = point.entity
    today = clock.now().date() - timedelta(days=1)
    closures = set(
        EntityClosure.objects.filter(entity_id=entity.pk, date__gte=today).values_list(
            "date", flat=True
        )
    )
    closures |= set(
        ServicePointClosure.objects.filter(service_point=point, date__gte=today).values_list(
            "date", flat=True
        )
    )
    return Place(
        timezone=entity.timezone,
        country=entity.holiday_country,
        subdivision=entity.holiday_subdivision,
        closures=frozenset(closures),
    )


def _rules_key(point_id: int, service_id: int) -> str:
    return f"appointments:rules:{point_id}:{service_id}"


def cached_rules(point: ServicePoint, service: Service) -> tuple[list[Rules], Place]:
    """The rules and calendar of `point` for `service` as pages of free times read them: from
    the shared cache for RULES_CACHE_SECONDS, forgotten at once when a schedule of theirs is
    saved (`point_rules_forget`). A closure added meanwhile shows within that time; booking
    reads the rules as they are and refuses a closed day."""
    key = _rules_key(point.pk, service.pk)
    cached: tuple[list[Rules], Place] | None = cache.get(key)
    if cached is None:
        rules = schedule_rules(point, service)
        cached = (rules, point_place(point) if rules else Place(timezone=point.entity.timezone))
        cache.set(key, cached, RULES_CACHE_SECONDS)
    return cached


def point_rules_forget(*, point_id: int, service_id: int) -> None:
    """Forget the cached rules of a point and service (after one of its schedules changed)."""
    cache.delete(_rules_key(point_id, service_id))


def taken_seats(
    point: ServicePoint, service: Service, start: datetime, end: datetime
) -> Counter[datetime]:
    rows = Slot.objects.filter(
        point=point, service=service, starts_at__gte=start, starts_at__lt=end
    ).values_list("starts_at", "booked")
    return Counter(dict(rows))


def free_times(
    *,
    point: ServicePoint,
    service: Service,
    start: date | None = None,
    days: int = DAYS_SHOWN,
    now: datetime | None = None,
) -> list[Day]:
    """The days from `start` (today by default) with at least one free time, up to `days` of
    them, within the booking window; each time with its free seats."""
    now = now or clock.now()
    rules, place = cached_rules(point, service)
    if not rules:
        return []
    today = now.astimezone(place.zone).date()
    start = max(start or today, today)
    last = last_bookable_day(rules, today)
    candidates: list[tuple[date, list[Time]]] = []
    day = start
    while day <= last and len(candidates) < days:
        times = [t for t in times_of_day(rules, place, day) if bookable(t, now)]
        if times:
            candidates.append((day, times))
        day += timedelta(days=1)
    if not candidates:
        return []
    taken = taken_seats(
        point,
        service,
        candidates[0][1][0].starts_at,
        candidates[-1][1][-1].ends_at,
    )
    result = []
    for day_, times in candidates:
        free = [
            FreeTime(t.starts_at, t.ends_at, t.capacity - taken[t.starts_at])
            for t in times
            if t.capacity > taken[t.starts_at]
        ]
        if free:
            result.append(Day(day_, free))
    return result


def offered_time(
    *, point: ServicePoint, service: Service, starts_at: datetime, now: datetime | None = None
) -> Time | None:
    """The time `starts_at` if the point's rules offer it and it can still be booked."""
    now = now or clock.now()
    rules = schedule_rules(point, service)
    place = point_place(point)
    try:
        local = starts_at.astimezone(place.zone)
    except (OverflowError, ValueError):
        return None  # a time at the ends of the calendar (year 1 or 9999): never offered
    today = now.astimezone(place.zone).date()
    if local.date() > last_bookable_day(rules, today):
        return None
    for time_ in times_of_day(rules, place, local.date()):
        if time_.starts_at == local:
            return time_ if bookable(time_, now) else None
    return None


def points_with_schedules(service: Service) -> QuerySet[ServicePoint]:
    """The active points where `service` can be booked."""
    return (
        ServicePoint.objects.filter(active=True, schedules__service=service, schedules__active=True)
        .select_related("locality")
        .distinct()
        .order_by("name")
    )


def service_bookable(service: Service) -> bool:
    return Schedule.objects.filter(service=service, active=True, point__active=True).exists()


def bookable_point_ids(service: Service) -> set[int]:
    """The points where `service` can be booked (one query, for a page that lists points)."""
    return set(
        Schedule.objects.filter(service=service, active=True, point__active=True).values_list(
            "point_id", flat=True
        )
    )


def bookable_services() -> QuerySet[Service]:
    """The published services that some point takes appointments for."""
    return (
        Service.objects.filter(is_published=True, schedules__active=True)
        .distinct()
        .order_by("title_es")
    )


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine), good to metres at a city's scale."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(a))


@dataclass(frozen=True)
class PointChoice:
    point: ServicePoint
    km: float | None


def points_search(
    *,
    service: Service,
    text: str = "",
    locality: str = "",
    near: tuple[float, float] | None = None,
    limit: int = 50,
) -> list[PointChoice]:
    """Points that take appointments for `service`, by name or address words and locality;
    nearest first when a location is given, else by name."""
    points = points_with_schedules(service)
    if locality:
        points = points.filter(locality__code=locality)
    for word in text.split()[:6]:
        points = points.filter(
            Q(name__icontains=word) | Q(address__icontains=word) | Q(locality__name__icontains=word)
        )
    if near is None:
        return [PointChoice(p, None) for p in points[:limit]]
    lat, lon = near
    choices = [
        PointChoice(
            p,
            distance_km(lat, lon, float(p.latitude), float(p.longitude))
            if p.latitude is not None and p.longitude is not None
            else None,
        )
        for p in points
    ]
    choices.sort(key=lambda c: (c.km is None, c.km or 0.0, c.point.name))
    return choices[:limit]


@dataclass(frozen=True)
class Policy:
    max_active_per_id: int = 2
    no_show_limit: int = 2
    no_show_window_days: int = 90
    block_days: int = 30
    guests_allowed: bool = True


def policy_for(service: Service) -> Policy:
    """The fairness rules of `service`: its own row, else its entity's, else the defaults."""
    rows = {
        row.service_id: row
        for row in BookingPolicy.objects.filter(
            Q(service=service) | Q(entity_id=service.entity_id, service__isnull=True)
        )
    }
    row = rows.get(service.pk) or rows.get(None)
    if row is None:
        return Policy()
    return Policy(
        max_active_per_id=row.max_active_per_id,
        no_show_limit=row.no_show_limit,
        no_show_window_days=row.no_show_window_days,
        block_days=row.block_days,
        guests_allowed=row.guests_allowed,
    )


def active_bookings_of(id_type: str, id_number: str) -> QuerySet[Booking]:
    return Booking.objects.filter(
        id_type=id_type, id_number=id_number, state=BookingState.BOOKED
    ).select_related("point", "service")


def blocked_until(
    *, id_type: str, id_number: str, policy: Policy, now: datetime
) -> datetime | None:
    """When a person's no-shows stop blocking them: `policy.no_show_limit` or more no-shows in
    the last `no_show_window_days` block new bookings for `block_days` after the latest."""
    since = now - timedelta(days=policy.no_show_window_days)
    missed = list(
        Booking.objects.filter(
            id_type=id_type,
            id_number=id_number,
            state=BookingState.NO_SHOW,
            starts_at__gte=since,
            starts_at__lte=now,
        )
        .order_by("-starts_at")
        .values_list("starts_at", flat=True)[: policy.no_show_limit]
    )
    if len(missed) < policy.no_show_limit:
        return None
    until = missed[0] + timedelta(days=policy.block_days)
    return until if until > now else None


def booking_by_code(code: str) -> Booking | None:
    normalized = code_normalize(code)
    if not normalized:
        return None
    return (
        Booking.objects.select_related("point", "point__locality", "point__entity", "service")
        .filter(code=normalized)
        .first()
    )


def agenda(*, point: ServicePoint, day: date) -> QuerySet[Booking]:
    """A point's bookings on `day` (its local date), in order, cancelled ones left out."""
    zone = point_place(point).zone
    start = datetime.combine(day, datetime.min.time(), zone)
    return (
        Booking.objects.filter(
            point=point, starts_at__gte=start, starts_at__lt=start + timedelta(days=1)
        )
        .exclude(state=BookingState.CANCELLED)
        .select_related("service", "booked_by")
        .order_by("starts_at", "name")
    )


def points_served_by(user: Any) -> QuerySet[ServicePoint]:
    """The points with appointments where `user` works (a handler role or higher on the
    point's dependency or above it)."""
    from ventanilla.organization.models import Role
    from ventanilla.organization.selectors import dependencies_for

    return (
        ServicePoint.objects.filter(
            dependency__in=dependencies_for(user, role_at_least=Role.HANDLER),
            active=True,
            schedules__active=True,
        )
        .select_related("locality")
        .distinct()
        .order_by("name")
    )


def serves_point(user: Any, point: ServicePoint) -> bool:
    """Whether `user` works the point's agenda: the same rule as its turn desk (a handler or
    above on the point's dependency)."""
    from ventanilla.turns.services import may_serve

    return may_serve(user, point)


def services_at(point: ServicePoint) -> QuerySet[Service]:
    return Service.objects.filter(schedules__point=point, schedules__active=True).distinct()


def case_bookings(case_id: int) -> QuerySet[Booking]:
    return Booking.objects.filter(case_id=case_id).select_related("point").order_by("-starts_at")


def case_invites_booking(case_id: int) -> bool:
    """An official asked the case's citizen to book (`schedule_appointment`) and nothing has
    been booked since that is still pending or was attended."""
    from ventanilla.cases.models import TimelineEvent

    asked = (
        TimelineEvent.objects.filter(case_id=case_id, kind="schedule_appointment")
        .order_by("-sequence")
        .values_list("at", flat=True)
        .first()
    )
    if asked is None:
        return False
    return not Booking.objects.filter(
        case_id=case_id,
        created_at__gte=asked,
        state__in=[BookingState.BOOKED, BookingState.CHECKED_IN],
    ).exists()


def bookings_of_user(user_id: int) -> QuerySet[Booking]:
    return (
        Booking.objects.filter(user_id=user_id)
        .select_related("point", "service")
        .order_by("-starts_at")
    )
