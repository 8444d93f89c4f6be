"""The demo's appointments: who takes them, when, and a few bookings.

- The school-place request and the certificate of studies at every local directorate's
  support centre: weekdays 7:00-12:00 and 13:00-16:00, 20 minutes, 2 to 4 people at a time.
- The school-place request at every school, in a morning period (its desks at a time).
- January's enrolment campaign: the four special enrolment points, 5 to 10 January of the
  next January, by appointment only, 15 minutes, 8 people at a time, Saturday morning too.
- The Secretariat's fairness rules (the defaults, written down so the admin shows them).
- When the demo has no bookings yet: a few past ones (attended and missed, for figures) and a
  few ahead, the demo citizen's among them, made with the real services at past instants.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from ventanilla.accounts.models import User
from ventanilla.appointments.models import Booking, BookingPolicy, Schedule, SchedulePeriod
from ventanilla.appointments.selectors import free_times
from ventanilla.appointments.services import (
    BookingError,
    Holder,
    booking_check_in,
    booking_create,
    booking_no_show,
)
from ventanilla.catalog.models import Service
from ventanilla.core import clock
from ventanilla.demo.organizations import EDUCATION
from ventanilla.demo.sync import Tally, rows_sync
from ventanilla.notifications.services import notifications_settle_history
from ventanilla.organization.models import Entity, ServicePoint, ServicePointKind

BOGOTA = ZoneInfo("America/Bogota")
SCHOOL_PLACE = "solicitud-cupo-escolar"
CERTIFICATE = "certificado-de-estudios"
WEEKDAYS = range(5)
SATURDAY = 5
CENTRE_PERIODS = ((time(7, 0), time(12, 0)), (time(13, 0), time(16, 0)))
SCHOOL_PERIOD = (time(7, 0), time(10, 0))
CAMPAIGN_NAME = "Jornada especial de matrículas"
CAMPAIGN_PERIODS = (
    *((day, time(7, 0), time(16, 0)) for day in WEEKDAYS),
    (SATURDAY, time(8, 0), time(13, 0)),
)
KENNEDY_CENTRE = "CA-DLE-08"
SEED = 1755


def _rng(seed: str) -> random.Random:
    return random.Random(f"ventanilla-demo:appointments:{seed}")  # noqa: S311 - demo data


def campaign_days(today: date) -> tuple[date, date]:
    """5 to 10 January of the next January (this one while its campaign is not over)."""
    year = today.year if today <= date(today.year, 1, 10) else today.year + 1
    return date(year, 1, 5), date(year, 1, 10)


def _schedule_rows(
    points: list[ServicePoint], services: dict[str, Service], today: date
) -> Iterator[tuple[dict[str, Any], tuple[tuple[int, time, time], ...]]]:
    """Each schedule's row and its periods."""
    starts_on, ends_on = campaign_days(today)
    for point in points:
        if point.kind == ServicePointKind.SUPPORT_CENTRE:
            periods = tuple((day, *period) for day in WEEKDAYS for period in CENTRE_PERIODS)
            for slug in (SCHOOL_PLACE, CERTIFICATE):
                yield (
                    {
                        "point_id": point.pk,
                        "service_id": services[slug].pk,
                        "starts_on": None,
                        "ends_on": None,
                        "name": "",
                        "slot_minutes": 20,
                        "capacity": _rng(f"{point.code}:{slug}").randint(2, 4),
                        "horizon_days": 30,
                    },
                    periods,
                )
        elif point.kind == ServicePointKind.SCHOOL:
            yield (
                {
                    "point_id": point.pk,
                    "service_id": services[SCHOOL_PLACE].pk,
                    "starts_on": None,
                    "ends_on": None,
                    "name": "",
                    "slot_minutes": 20,
                    "capacity": max(1, point.desks),
                    "horizon_days": 30,
                },
                tuple((day, *SCHOOL_PERIOD) for day in WEEKDAYS),
            )
        elif point.code.startswith("PEM-"):
            yield (
                {
                    "point_id": point.pk,
                    "service_id": services[SCHOOL_PLACE].pk,
                    "starts_on": starts_on,
                    "ends_on": ends_on,
                    "name": CAMPAIGN_NAME,
                    "slot_minutes": 15,
                    "capacity": 8,
                    # Bookable from early December, when the campaign is announced.
                    "horizon_days": 45,
                },
                CAMPAIGN_PERIODS,
            )


def schedules_load(today: date | None = None) -> dict[str, Tally]:
    """Create or bring up to date the demo's schedules and fairness rules (needs the
    catalogue). A second run writes nothing."""
    today = today or clock.now().astimezone(BOGOTA).date()
    sed = Entity.objects.filter(code=EDUCATION).first()
    services = {s.slug: s for s in Service.objects.filter(slug__in=[SCHOOL_PLACE, CERTIFICATE])}
    if sed is None or len(services) < 2:
        return {}
    points = list(
        ServicePoint.objects.filter(entity=sed, active=True)
        .order_by("code")
        .only("pk", "code", "kind", "desks")
    )
    planned = list(_schedule_rows(points, services, today))
    tallies: dict[str, Tally] = {}
    schedules, tallies["appointment schedules"] = rows_sync(
        Schedule,
        key=["point_id", "service_id", "starts_on"],
        rows=(row for row, _periods in planned),
    )
    _, tallies["schedule periods"] = rows_sync(
        SchedulePeriod,
        key=["schedule_id", "weekday", "opens"],
        rows=(
            {
                "schedule_id": schedules[row["point_id"], row["service_id"], row["starts_on"]].pk,
                "weekday": weekday,
                "opens": opens,
                "closes": closes,
            }
            for row, periods in planned
            for weekday, opens, closes in periods
        ),
    )
    _, tallies["booking rules"] = rows_sync(
        BookingPolicy,
        key=["entity_id", "service_id"],
        rows=[
            {
                "entity_id": sed.pk,
                "service_id": None,
                "max_active_per_id": 2,
                "no_show_limit": 2,
                "no_show_window_days": 90,
                "block_days": 30,
                "guests_allowed": True,
            }
        ],
    )
    return tallies


NAMES = (
    "Luz Rodríguez",
    "Carlos Gómez",
    "Diana Martínez",
    "Jorge López",
    "Paola Hernández",
    "Andrés Díaz",
    "Marcela Moreno",
    "Felipe Rojas",
    "Nidia Suárez",
    "Óscar Martínez",
    "Sandra Pérez",
    "Wilson Castro",
)


def _first_free(point: ServicePoint, service: Service, start: date, skip: int) -> datetime | None:
    times = [
        t
        for day in free_times(point=point, service=service, start=start, days=2)
        for t in day.times
    ]
    return times[min(skip, len(times) - 1)].starts_at if times else None


def bookings_load(now: datetime | None = None) -> int:
    """A few bookings at the Kennedy support centre and a Kennedy school, when the demo has
    none: past ones attended or missed (so the agenda's figures have data) and upcoming ones,
    one of them the demo citizen's. Made at past instants, and their mail settled as sent."""
    if Booking.objects.exists():
        return 0
    now = now or clock.now()
    official = User.objects.filter(email="supervisor@demo.ventanilla.co").first()
    citizen = User.objects.filter(email="ciudadana@demo.ventanilla.co").first()
    centre = ServicePoint.objects.filter(code=KENNEDY_CENTRE).select_related("entity").first()
    school = (
        ServicePoint.objects.filter(kind=ServicePointKind.SCHOOL, locality__code="08")
        .order_by("code")
        .first()
    )
    services = {s.slug: s for s in Service.objects.filter(slug__in=[SCHOOL_PLACE, CERTIFICATE])}
    if official is None or centre is None or school is None or len(services) < 2:
        return 0
    rng = _rng("bookings")
    made = 0
    plan: list[tuple[int, ServicePoint, Service, str]] = []
    # Past: each of the last ten days, two at the centre; one in four missed.
    for days_ago in range(10, 0, -1):
        for slug in (SCHOOL_PLACE, CERTIFICATE):
            plan.append(
                (-days_ago, centre, services[slug], "missed" if rng.random() < 0.25 else "came")
            )
    # Ahead: a few at the centre and the school.
    for days_ahead in (1, 2, 3):
        plan.append((days_ahead, centre, services[CERTIFICATE], "ahead"))
        plan.append((days_ahead, school, services[SCHOOL_PLACE], "ahead"))
    for index, (offset, point, service, outcome) in enumerate(plan):
        booked_at = now + timedelta(days=offset - 3)
        day = (now + timedelta(days=offset)).astimezone(BOGOTA).date()
        mine = citizen is not None and index == len(plan) - 1
        channel = rng.choice(["online", "online", "online", "counter", "phone"])
        holder = Holder(
            id_type="CC",
            id_number=str(rng.randint(10_000_000, 1_099_999_999)),
            name=rng.choice(NAMES),
            email=f"cita{index}@example.co",
        )
        if mine and citizen is not None:
            holder = Holder(
                id_type=citizen.id_type or "CC",
                id_number=citizen.id_number or holder.id_number,
                name=citizen.get_full_name() or holder.name,
                email=citizen.email,
                user=citizen,
            )
            channel = "online"
        with clock.frozen(booked_at):
            when = _first_free(point, service, day, skip=rng.randint(0, 10))
            if when is None or (outcome != "ahead" and when > now - timedelta(hours=2)):
                continue
            try:
                booking = booking_create(
                    point=point,
                    service=service,
                    starts_at=when,
                    holder=holder,
                    channel=channel,
                    booked_by=official if channel != "online" else None,
                )
            except BookingError:
                continue
        made += 1
        if outcome == "came":
            with clock.frozen(booking.starts_at + timedelta(minutes=5)):
                booking_check_in(booking=booking, actor=official, id_number=booking.id_number)
        elif outcome == "missed":
            with clock.frozen(booking.starts_at + timedelta(hours=1)):
                booking_no_show(booking=booking, actor=official)
    notifications_settle_history(before=now)
    return made
