"""What the desk, the display, the citizen's phone and the dashboards read about turns."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.db.models import (
    Aggregate,
    Avg,
    Case,
    Count,
    F,
    FloatField,
    Func,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import ExtractHour

from ventanilla.core import clock
from ventanilla.organization.models import Role, ServicePoint
from ventanilla.organization.selectors import dependencies_for
from ventanilla.turns.models import DeviceLink, Ticket, TicketState, TurnQueue

# How far back the estimate looks for service times, and how many it averages.
RECENT_DAYS = 14
RECENT_SERVICES = 20
# A desk counts as serving a queue if it called one of its tickets within this time.
DESK_ACTIVE_MINUTES = 60
# Estimates are rounded up to this many minutes: a wait is never known to the minute.
ESTIMATE_STEP_MINUTES = 5


def today(point: ServicePoint, now: datetime | None = None) -> date:
    """The point's own date (its entity's time zone): a ticket's day."""
    return (now or clock.now()).astimezone(ZoneInfo(point.entity.timezone)).date()


def waiting_in_call_order(
    *,
    point: ServicePoint,
    now: datetime,
    service_ids: Sequence[int] | None = None,
    queue_ids: Sequence[int] | None = None,
) -> QuerySet[Ticket]:
    """Today's waiting tickets of `point` in the order desks call them: booked citizens whose
    appointment is due (from `TURNS_APPOINTMENT_TOLERANCE_MINUTES` before it), by appointment
    time; then priority groups; then everybody else; each by arrival."""
    due_from = now + timedelta(minutes=settings.TURNS_APPOINTMENT_TOLERANCE_MINUTES)
    due = Q(appointment_at__isnull=False, appointment_at__lte=due_from)
    tickets = Ticket.objects.filter(
        point=point, day=today(point, now), state=TicketState.WAITING, queue__active=True
    )
    if service_ids is not None:
        tickets = tickets.filter(service_id__in=list(service_ids))
    if queue_ids is not None:
        tickets = tickets.filter(queue_id__in=list(queue_ids))
    return tickets.annotate(
        booked_due=Case(When(due, then=Value(0)), default=Value(1), output_field=IntegerField()),
        preferential=Case(
            When(priority_group="", then=Value(1)), default=Value(0), output_field=IntegerField()
        ),
        order_at=Case(When(due, then=F("appointment_at")), default=F("arrived_at")),
    ).order_by("booked_due", "preferential", "order_at", "pk")


def ticket_token_for_reference(reference: str) -> str:
    """The phone page's secret of the turn given for `reference` (a booking's code), or ""."""
    if not reference:
        return ""
    token = (
        Ticket.objects.filter(reference=reference)
        .order_by("-issued_at")
        .values_list("token", flat=True)
        .first()
    )
    return token or ""


def ticket_by_token(token: str) -> Ticket | None:
    """The ticket whose phone page has this secret, following transfers to the current one."""
    ticket = (
        Ticket.objects.select_related("point__entity", "queue__service", "service")
        .filter(token=token)
        .first()
    )
    seen = 0
    while ticket is not None and ticket.transferred_to_id is not None and seen < 10:
        ticket = Ticket.objects.select_related("point__entity", "queue__service", "service").get(
            pk=ticket.transferred_to_id
        )
        seen += 1
    return ticket


def point_by_device_secret(secret: str) -> ServicePoint | None:
    """The point whose kiosk and display open with `secret`, if it still does."""
    link = (
        DeviceLink.objects.select_related("point__entity")
        .filter(secret=secret, point__active=True)
        .first()
    )
    return link.point if link else None


def queues_of(point: ServicePoint, *, remote_only: bool = False) -> QuerySet[TurnQueue]:
    """The point's active queues, in kiosk order."""
    queues = TurnQueue.objects.filter(point=point, active=True).select_related("service")
    if remote_only:
        queues = queues.filter(remote_joining=True)
    return queues.order_by("position", "prefix")


def points_joinable() -> QuerySet[ServicePoint]:
    """Active points where a citizen may take a turn from a phone."""
    return (
        ServicePoint.objects.filter(
            active=True, turn_queues__active=True, turn_queues__remote_joining=True
        )
        .select_related("locality")
        .distinct()
        .order_by("name")
    )


def points_for_official(user: AbstractBaseUser | AnonymousUser) -> QuerySet[ServicePoint]:
    """The points with turns whose desks `user` may work (a handler or above)."""
    dependencies = dependencies_for(user, role_at_least=Role.HANDLER)
    return (
        ServicePoint.objects.filter(
            active=True, dependency__in=dependencies, turn_queues__active=True
        )
        .distinct()
        .order_by("name")
    )


def display_board(*, point: ServicePoint, limit: int = 6) -> list[Ticket]:
    """The tickets the waiting-room display shows: the latest called today, newest first."""
    return list(
        Ticket.objects.filter(
            point=point,
            day=today(point),
            announced_at__isnull=False,
            state__in=(TicketState.CALLED, TicketState.SERVING),
        ).order_by("-announced_at", "-pk")[:limit]
    )


def desk_current(*, point: ServicePoint, desk: str) -> list[Ticket]:
    """The tickets called to `desk` today and not closed yet."""
    if not desk:
        return []
    return list(
        Ticket.objects.filter(
            point=point,
            day=today(point),
            desk=desk,
            state__in=(TicketState.CALLED, TicketState.SERVING),
        )
        .select_related("service", "queue__service")
        .order_by("called_at")
    )


def desk_waiting(*, point: ServicePoint, limit: int = 50) -> list[Ticket]:
    """Who waits at `point`, in call order (the desk's list)."""
    return list(
        waiting_in_call_order(point=point, now=clock.now()).select_related(
            "queue__service", "service"
        )[:limit]
    )


class SecondsBetween(Func):
    """Seconds from one timestamp to another, as a float, on PostgreSQL and SQLite."""

    output_field = FloatField()
    arity = 2

    def _parts(self, compiler: Any) -> tuple[str, str, tuple[Any, ...]]:
        start, start_params = compiler.compile(self.source_expressions[0])
        end, end_params = compiler.compile(self.source_expressions[1])
        return start, end, (*end_params, *start_params)

    def as_sql(  # type: ignore[override]
        self, compiler: Any, connection: Any, **extra: Any
    ) -> tuple[str, tuple[Any, ...]]:
        start, end, params = self._parts(compiler)
        return f"((julianday({end}) - julianday({start})) * 86400.0)", params

    def as_postgresql(
        self, compiler: Any, connection: Any, **extra: Any
    ) -> tuple[str, tuple[Any, ...]]:
        start, end, params = self._parts(compiler)
        return f"EXTRACT(EPOCH FROM ({end} - {start}))::double precision", params


class Percentile90(Aggregate):
    """PostgreSQL's continuous 90th percentile (linear interpolation)."""

    function = "PERCENTILE_CONT"
    template = "%(function)s(0.9) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


def percentile_90(values: Sequence[float]) -> float:
    """The same percentile as PostgreSQL's `percentile_cont(0.9)`, in Python."""
    ordered = sorted(values)
    position = 0.9 * (len(ordered) - 1)
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


@dataclass(frozen=True)
class Position:
    """Where a ticket stands: how many are called before it, and a rough wait."""

    ahead: int
    minutes: int | None  # rounded up to ESTIMATE_STEP_MINUTES; None: no recent history


def _average_service_seconds(queue_id: int, now: datetime) -> float | None:
    recent = (
        Ticket.objects.filter(
            queue_id=queue_id,
            started_at__gte=now - timedelta(days=RECENT_DAYS),
            finished_at__isnull=False,
            started_at__isnull=False,
        )
        .order_by("-finished_at")
        .values_list("pk", flat=True)[:RECENT_SERVICES]
    )
    average = Ticket.objects.filter(pk__in=list(recent)).aggregate(
        seconds=Avg(SecondsBetween("started_at", "finished_at"))
    )["seconds"]
    return None if average is None else float(average)


def _desks_serving(queue_id: int, now: datetime) -> int:
    since = now - timedelta(minutes=DESK_ACTIVE_MINUTES)
    desks = (
        Ticket.objects.filter(queue_id=queue_id, called_at__gte=since)
        .exclude(desk="")
        .values("desk")
        .distinct()
        .count()
    )
    return max(1, desks)


def ticket_position(ticket: Ticket) -> Position | None:
    """The position and estimated wait of a waiting ticket (None once it is called or closed):
    the tickets of its queue called before it, times the recent average service time at that
    queue, shared among the desks that served it in the last hour."""
    if ticket.state != TicketState.WAITING:
        return None
    now = clock.now()
    order = list(
        waiting_in_call_order(point=ticket.point, now=now, queue_ids=[ticket.queue_id]).values_list(
            "pk", flat=True
        )
    )
    ahead = order.index(ticket.pk) if ticket.pk in order else 0
    average = _average_service_seconds(ticket.queue_id, now)
    if average is None:
        return Position(ahead=ahead, minutes=None)
    seconds = (ahead + 1) * average / _desks_serving(ticket.queue_id, now)
    step = ESTIMATE_STEP_MINUTES
    minutes = max(step, math.ceil(seconds / 60 / step) * step)
    return Position(ahead=ahead, minutes=minutes)


@dataclass(frozen=True)
class TimeFigure:
    """Waiting or service times of one point, service and hour of day over a period."""

    point_id: int
    service_id: int
    hour: int  # local hour of day, 0-23, when the wait or the service began
    count: int
    average_seconds: float
    p90_seconds: float


def _figures(
    tickets: QuerySet[Ticket], start_field: str, end_field: str, tz: ZoneInfo
) -> list[TimeFigure]:
    annotated = tickets.annotate(
        hour=ExtractHour(start_field, tzinfo=tz),
        seconds=SecondsBetween(start_field, end_field),
    )
    keys = ("point_id", "service_id", "hour")
    rows = annotated.values(*keys)
    if connection.vendor == "postgresql":
        grouped = rows.annotate(
            n=Count("pk"), average=Avg("seconds"), p90=Percentile90("seconds")
        ).order_by(*keys)
        return [
            TimeFigure(r["point_id"], r["service_id"], r["hour"], r["n"], r["average"], r["p90"])
            for r in grouped
        ]
    # SQLite has no percentile: count and average there, the percentile from the values.
    grouped = rows.annotate(n=Count("pk"), average=Avg("seconds")).order_by(*keys)
    values: dict[tuple[int, int, int], list[float]] = defaultdict(list)
    for point_id, service_id, hour, seconds in annotated.values_list(*keys, "seconds"):
        values[point_id, service_id, hour].append(seconds)
    return [
        TimeFigure(
            r["point_id"],
            r["service_id"],
            r["hour"],
            r["n"],
            r["average"],
            percentile_90(values[r["point_id"], r["service_id"], r["hour"]]),
        )
        for r in grouped
    ]


def _scope(
    tickets: QuerySet[Ticket],
    points: Iterable[ServicePoint] | None,
    services: Iterable[Any] | None,
) -> QuerySet[Ticket]:
    if points is not None:
        tickets = tickets.filter(point__in=list(points))
    if services is not None:
        tickets = tickets.filter(service__in=list(services))
    return tickets


def figures_waiting(
    *,
    start: datetime,
    end: datetime,
    points: Iterable[ServicePoint] | None = None,
    services: Iterable[Any] | None = None,
    tz: ZoneInfo | None = None,
) -> list[TimeFigure]:
    """Waiting time (issued → called) of the tickets issued in [start, end), per point,
    service and local hour of issue: count, average and 90th percentile in seconds."""
    tickets = Ticket.objects.filter(
        issued_at__gte=start, issued_at__lt=end, called_at__isnull=False
    )
    return _figures(
        _scope(tickets, points, services),
        "issued_at",
        "called_at",
        tz or ZoneInfo(settings.TIME_ZONE),
    )


def figures_service(
    *,
    start: datetime,
    end: datetime,
    points: Iterable[ServicePoint] | None = None,
    services: Iterable[Any] | None = None,
    tz: ZoneInfo | None = None,
) -> list[TimeFigure]:
    """Service time (started → finished) of the services started in [start, end), per point,
    service and local hour of start: count, average and 90th percentile in seconds."""
    tickets = Ticket.objects.filter(
        started_at__gte=start, started_at__lt=end, finished_at__isnull=False
    )
    return _figures(
        _scope(tickets, points, services),
        "started_at",
        "finished_at",
        tz or ZoneInfo(settings.TIME_ZONE),
    )
