"""Operations on appointments: book, reschedule, cancel, check in, mark a no-show, remind, and
tell people when a schedule changes under their booking.

Capacity is the database's decision: a booking takes its seat with one conditional `UPDATE … SET
booked = booked + 1 WHERE booked < capacity` on the time's slot row (a CHECK constraint backs it),
and one pending booking per person and service is a partial unique index. Two people asking for
the last seat at once: one UPDATE changes the row, the other finds it full; nothing is read and
then written.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils.crypto import salted_hmac
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import override

from ventanilla.accounts.id_documents import normalize_id_number
from ventanilla.appointments import notices
from ventanilla.appointments.codes import code_new
from ventanilla.appointments.models import (
    Booking,
    BookingChannel,
    BookingEvent,
    BookingState,
    Schedule,
    Slot,
)
from ventanilla.appointments.selectors import (
    Policy,
    active_bookings_of,
    blocked_until,
    offered_time,
    point_place,
    point_rules_forget,
    policy_for,
    serves_point,
)
from ventanilla.catalog.models import Service
from ventanilla.core import clock
from ventanilla.core.ratelimit import Limit
from ventanilla.organization.models import ServicePoint
from ventanilla.turns.models import TicketChannel
from ventanilla.turns.selectors import queues_of
from ventanilla.turns.services import ticket_issue

if TYPE_CHECKING:
    from ventanilla.accounts.models import User
    from ventanilla.cases.models import Case

MANAGE_SALT = "ventanilla.appointments.manage"
API_CLIENT_PREFIX = "api-client:"


class BookingError(Exception):
    """A booking the rules refuse: `code` for integrators, `message` for the person."""

    def __init__(
        self, code: str, message: str, *, existing: Booking | None = None, retry_after: int = 0
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.existing = existing
        self.retry_after = retry_after  # seconds, for `rate_limited`


@dataclass(frozen=True)
class Holder:
    """Who the seat is for: the ID number is what the door checks."""

    id_type: str
    id_number: str
    name: str
    email: str = ""
    phone: str = ""
    language: str = "es"
    user: User | None = None


def manage_token(booking: Booking) -> str:
    """The key of a booking's own page, sent to its holder: it names the code and the ID
    number, so it is good for that booking only."""
    value = f"{booking.code}:{booking.id_type}:{booking.id_number}"
    return salted_hmac(MANAGE_SALT, value, algorithm="sha256").hexdigest()[:24]


def api_client_key(client_id: int) -> str:
    """The `client` of bookings made through an API client: counted against that client's own
    hourly limit (`BOOKINGS_PER_API_CLIENT_PER_HOUR`), not against a shared address's."""
    return f"{API_CLIENT_PREFIX}{client_id}"


def _limits(holder: Holder, client: str) -> list[Limit]:
    hour = 3600
    limits = []
    if client:
        per_hour = (
            settings.BOOKINGS_PER_API_CLIENT_PER_HOUR
            if client.startswith(API_CLIENT_PREFIX)
            else settings.BOOKINGS_PER_CLIENT_PER_HOUR
        )
        limits.append(Limit(f"booking-client:{client}", per_hour, hour))
    contact = (holder.email or holder.phone).strip().lower()
    if contact:
        digest = hashlib.sha256(contact.encode()).hexdigest()[:24]
        limits.append(
            Limit(f"booking-contact:{digest}", settings.BOOKINGS_PER_CONTACT_PER_HOUR, hour)
        )
    if holder.user is not None:
        limits.append(
            Limit(f"booking-user:{holder.user.pk}", settings.BOOKINGS_PER_CONTACT_PER_HOUR, hour)
        )
    return limits


def _rate_check(holder: Holder, client: str) -> None:
    for limit in _limits(holder, client):
        if limit.hit() > limit.limit:
            seconds = limit.seconds_left()
            minutes = max(1, seconds // 60)
            raise BookingError(
                "rate_limited",
                _(
                    "Hizo muchas reservas o cambios en poco tiempo. Espere %(minutes)s minutos "
                    "e inténtelo de nuevo."
                )
                % {"minutes": minutes},
                retry_after=seconds,
            )


def _when(at: datetime, zone: Any) -> str:
    local = at.astimezone(zone)
    return f"{date_format(local.date(), 'DATE_FORMAT')}, {local:%H:%M}"


def _fairness_check(*, service: Service, holder: Holder, policy: Policy, now: datetime) -> None:
    """The rules against hoarding, read inside the booking's transaction (after the person's
    lock on PostgreSQL; SQLite writes one transaction at a time)."""
    until = blocked_until(
        id_type=holder.id_type, id_number=holder.id_number, policy=policy, now=now
    )
    if until is not None:
        raise BookingError(
            "blocked",
            _(
                "Este documento no puede agendar citas hasta el %(date)s porque no asistió a "
                "%(count)s citas en los últimos %(days)s días. Si necesita atención antes, "
                "acérquese al punto sin cita: le daremos un turno."
            )
            % {
                "date": date_format(until.date(), "DATE_FORMAT"),
                "count": policy.no_show_limit,
                "days": policy.no_show_window_days,
            },
        )
    active = list(active_bookings_of(holder.id_type, holder.id_number))
    same = next((b for b in active if b.service_id == service.pk), None)
    if same is not None:
        raise BookingError(
            "already_booked",
            _(
                "Este documento ya tiene una cita para este trámite (%(code)s, %(when)s). "
                "Puede cambiarla o cancelarla; no se pueden tener dos."
            )
            % {"code": same.code, "when": _when(same.starts_at, point_place(same.point).zone)},
            existing=same,
        )
    if len(active) >= policy.max_active_per_id:
        raise BookingError(
            "limit_reached",
            _(
                "Este documento ya tiene %(count)s citas pendientes, el máximo permitido. "
                "Cancele una si necesita otra."
            )
            % {"count": len(active)},
        )


def _person_lock(holder: Holder) -> None:
    """Serialise one person's bookings on PostgreSQL, so that two at once cannot both pass the
    maximum per person (SQLite's IMMEDIATE transactions already run one writer at a time)."""
    if connection.vendor != "postgresql":
        return
    key = int.from_bytes(
        hashlib.sha256(f"booking:{holder.id_type}:{holder.id_number}".encode()).digest()[:8],
        "big",
        signed=True,
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


def _seat_take(*, point: ServicePoint, service: Service, starts_at: datetime) -> Slot:
    """Take one seat of the time `starts_at`, or refuse: the database decides."""
    offered = offered_time(point=point, service=service, starts_at=starts_at)
    if offered is None:
        raise BookingError(
            "not_available",
            _("Esa hora ya no se puede agendar. Elija otra de las disponibles."),
        )
    slot, _created = Slot.objects.get_or_create(
        point=point,
        service=service,
        starts_at=offered.starts_at,
        defaults={"minutes": offered.minutes, "capacity": offered.capacity},
    )
    if slot.capacity != offered.capacity:
        # The schedule's seats changed since the slot row was written: the rule counts now,
        # but never below the seats already taken (those bookings are kept).
        Slot.objects.filter(pk=slot.pk).update(capacity=Greatest(F("booked"), offered.capacity))
    taken = Slot.objects.filter(pk=slot.pk, booked__lt=F("capacity")).update(booked=F("booked") + 1)
    if not taken:
        raise BookingError(
            "slot_full", _("Alguien acaba de tomar el último cupo de esa hora. Elija otra.")
        )
    return slot


def _seat_free(slot_id: int) -> None:
    Slot.objects.filter(pk=slot_id, booked__gt=0).update(booked=F("booked") - 1)


def _event(booking: Booking, kind: str, actor: User | None, **data: Any) -> None:
    BookingEvent.objects.create(booking=booking, at=clock.now(), kind=kind, actor=actor, data=data)


def booking_create(
    *,
    point: ServicePoint,
    service: Service,
    starts_at: datetime,
    holder: Holder,
    channel: str = BookingChannel.ONLINE,
    booked_by: User | None = None,
    case: Case | None = None,
    client: str = "",
) -> Booking:
    """Book one seat at `starts_at` for `holder`, or raise BookingError saying why not."""
    if not holder.id_number or not holder.id_type or not holder.name.strip():
        raise BookingError("holder_missing", _("Faltan el documento o el nombre de la persona."))
    holder = replace(holder, id_number=normalize_id_number(holder.id_type, holder.id_number))
    if point.entity_id != service.entity_id or not point.active:
        raise BookingError("not_available", _("Este punto no atiende ese trámite."))
    policy = policy_for(service)
    online_guest = holder.user is None and booked_by is None and channel == BookingChannel.ONLINE
    if online_guest and not policy.guests_allowed:
        raise BookingError("account_required", _("Para este trámite debe ingresar con su cuenta."))
    if booked_by is None:
        _rate_check(holder, client)
    now = clock.now()
    try:
        with transaction.atomic():
            _person_lock(holder)
            _settle_past(now, id_type=holder.id_type, id_number=holder.id_number)
            _fairness_check(service=service, holder=holder, policy=policy, now=now)
            slot = _seat_take(point=point, service=service, starts_at=starts_at)
            booking = Booking.objects.create(
                code=code_new(),
                slot=slot,
                point=point,
                service=service,
                starts_at=slot.starts_at,
                ends_at=slot.starts_at + timedelta(minutes=slot.minutes),
                id_type=holder.id_type,
                id_number=holder.id_number,
                name=holder.name.strip(),
                email=holder.email,
                phone=holder.phone,
                language=holder.language,
                user=holder.user,
                case=case,
                channel=channel,
                booked_by=booked_by,
                created_at=now,
                changed_at=now,
            )
            _event(booking, "booked", booked_by or holder.user, channel=str(channel))
            notices.booking_notify(booking, notices.BOOKED, manage_token(booking))
            if case is not None:
                notices.case_route_note(booking, "booked", actor=booked_by)
    except IntegrityError as error:
        # The partial unique index: a second pending booking of this person and service that
        # slipped past the check (it cannot on either database; this keeps the message right).
        raise BookingError(
            "already_booked", _("Este documento ya tiene una cita para este trámite.")
        ) from error
    return booking


# How long after its end a booking nobody recorded still waits for the agenda (a late arrival,
# an official who records the morning at noon) before it stops holding the person's place.
SETTLE_AFTER = timedelta(hours=2)


def _settle_past(now: datetime, **holder: str) -> int:
    """Bookings whose time passed without an arrival or an absence recorded become EXPIRED, so
    that they no longer count as the person's pending booking (nor as a no-show)."""
    return Booking.objects.filter(
        state=BookingState.BOOKED, ends_at__lt=now - SETTLE_AFTER, **holder
    ).update(state=BookingState.EXPIRED, changed_at=now)


def bookings_settle(*, now: datetime | None = None) -> int:
    """Settle every booking whose time passed unrecorded (the periodic task)."""
    return _settle_past(now or clock.now())


def _locked(booking: Booking) -> Booking:
    return Booking.objects.select_for_update().select_related("point", "service").get(pk=booking.pk)


def booking_reschedule(
    *, booking: Booking, starts_at: datetime, actor: User | None = None, client: str = ""
) -> Booking:
    """Move a pending booking to another time of the same point and service: the new seat is
    taken before the old one is freed, in one transaction, so a failed move keeps the old."""
    if actor is None or actor.pk != booking.user_id:
        holder = Holder(booking.id_type, booking.id_number, booking.name, booking.email)
        _rate_check(holder, client)
    with transaction.atomic():
        current = _locked(booking)
        if current.state != BookingState.BOOKED:
            raise BookingError("not_active", _("Esta cita ya no está pendiente."))
        if current.starts_at == starts_at:
            return current
        slot = _seat_take(point=current.point, service=current.service, starts_at=starts_at)
        _seat_free(current.slot_id)
        before = current.starts_at
        current.slot = slot
        current.starts_at = slot.starts_at
        current.ends_at = slot.starts_at + timedelta(minutes=slot.minutes)
        current.changed_at = clock.now()
        current.reminded_at = None
        current.save(update_fields=["slot", "starts_at", "ends_at", "changed_at", "reminded_at"])
        _event(current, "rescheduled", actor, before=before.isoformat())
        notices.booking_notify(current, notices.RESCHEDULED, manage_token(current))
        if current.case_id:
            notices.case_route_note(current, "rescheduled", actor=actor)
    return current


def booking_cancel(*, booking: Booking, actor: User | None = None) -> Booking:
    """Cancel a pending booking; its seat is free again at once."""
    with transaction.atomic():
        current = _locked(booking)
        if current.state != BookingState.BOOKED:
            raise BookingError("not_active", _("Esta cita ya no está pendiente."))
        current.state = BookingState.CANCELLED
        current.changed_at = clock.now()
        current.save(update_fields=["state", "changed_at"])
        _seat_free(current.slot_id)
        _event(current, "cancelled", actor)
        notices.booking_notify(current, notices.CANCELLED, manage_token(current))
        if current.case_id:
            notices.case_route_note(current, "cancelled", actor=actor)
    return current


def _agenda_check(booking: Booking, actor: User) -> None:
    if not serves_point(actor, booking.point):
        raise BookingError("forbidden", _("No atiende en este punto."))


def booking_check_in(*, booking: Booking, actor: User, id_number: str) -> Booking:
    """The holder is at the point: their ID number must be the booking's. Marks it attended
    and, where the point runs turns, gives them a turn that is called before walk-ins."""
    _agenda_check(booking, actor)
    with transaction.atomic():
        current = _locked(booking)
        if current.state != BookingState.BOOKED:
            raise BookingError("not_active", _("Esta cita ya no está pendiente."))
        given = normalize_id_number(current.id_type, id_number).replace("-", "")
        if not given or given != current.id_number.replace("-", ""):
            raise BookingError(
                "wrong_holder",
                _(
                    "El documento no coincide con el de la cita. La cita solo sirve a la "
                    "persona que la agendó."
                ),
            )
        current.state = BookingState.CHECKED_IN
        current.changed_at = clock.now()
        current.turn_code = _turn_for(current, actor)
        current.save(update_fields=["state", "changed_at", "turn_code"])
        _event(current, "checked_in", actor, turn=current.turn_code)
        if current.case_id:
            notices.case_route_note(current, "checked_in", actor=actor)
    return current


def _turn_for(booking: Booking, actor: User) -> str:
    """The turn a checked-in booking gets, if the point runs a queue for its service: issued
    in this transaction with the appointment's time, so desks call it before walk-ins."""
    if not queues_of(booking.point).filter(service_id=booking.service_id).exists():
        return ""
    ticket = ticket_issue(
        point=booking.point,
        service=booking.service,
        channel=TicketChannel.CHECK_IN,
        appointment_at=booking.starts_at,
        reference=booking.code,
        name=booking.name,
        phone=booking.phone,
        email=booking.email,
        language=booking.language,
        actor=actor,
    )
    return ticket.code


def booking_no_show(*, booking: Booking, actor: User) -> Booking:
    """The holder did not come: counted against new bookings (see `BookingPolicy`)."""
    _agenda_check(booking, actor)
    with transaction.atomic():
        current = _locked(booking)
        if current.state not in (BookingState.BOOKED, BookingState.EXPIRED):
            raise BookingError("not_active", _("Esta cita ya no está pendiente."))
        if current.starts_at > clock.now():
            raise BookingError(
                "too_early", _("Solo se marca la inasistencia después de la hora de la cita.")
            )
        current.state = BookingState.NO_SHOW
        current.changed_at = clock.now()
        current.save(update_fields=["state", "changed_at"])
        _event(current, "no_show", actor)
        if current.case_id:
            notices.case_route_note(current, "no_show", actor=actor)
    return current


def bookings_remind(*, now: datetime | None = None, limit: int = 500) -> int:
    """Remind, once, everyone whose appointment is within the next day."""
    now = now or clock.now()
    due = list(
        Booking.objects.filter(
            state=BookingState.BOOKED,
            reminded_at__isnull=True,
            starts_at__gt=now,
            starts_at__lte=now + timedelta(hours=settings.BOOKING_REMINDER_HOURS),
            created_at__lt=now - timedelta(hours=1),
        )
        .select_related("point", "point__entity", "service")
        .order_by("starts_at")[:limit]
    )
    for booking in due:
        with transaction.atomic():
            if not Booking.objects.filter(pk=booking.pk, reminded_at__isnull=True).update(
                reminded_at=now
            ):
                continue
            notices.booking_notify(booking, notices.REMINDER, manage_token(booking))
    return len(due)


def schedule_changed(*, schedule: Schedule) -> int:
    """After a schedule (or a closure) changed: every pending booking it covered that the new
    rules no longer offer stays valid, and its holder is told, with a link to move it. Call it
    after a schedule is added (a campaign replaces the ordinary days it covers), changed or
    deleted."""
    point_rules_forget(point_id=schedule.point_id, service_id=schedule.service_id)
    now = clock.now()
    pending = Booking.objects.filter(
        point_id=schedule.point_id,
        service_id=schedule.service_id,
        state=BookingState.BOOKED,
        starts_at__gt=now,
    ).select_related("point", "point__entity", "service")
    told = 0
    for booking in pending:
        offered = offered_time(
            point=booking.point,
            service=booking.service,
            starts_at=booking.starts_at,
            now=booking.created_at,
        )
        if offered is not None:
            continue
        with transaction.atomic():
            _event(booking, "schedule_changed", None)
            notices.booking_notify(booking, notices.AFFECTED, manage_token(booking))
        told += 1
    return told


def bookings_on_closed_days(*, now: datetime | None = None) -> int:
    """Tell, once, the holders of pending bookings on a day their point or its entity closed
    after they booked (a closure added in the admin): the booking is kept, and they are asked
    to move it."""
    from zoneinfo import ZoneInfo

    from ventanilla.organization.models import EntityClosure, ServicePointClosure

    now = now or clock.now()
    today = now.date() - timedelta(days=1)
    days: list[tuple[dict[str, Any], Any, str]] = [
        ({"point_id": c.service_point_id}, c.date, c.service_point.entity.timezone)
        for c in ServicePointClosure.objects.filter(date__gte=today).select_related(
            "service_point__entity"
        )
    ] + [
        ({"point__entity_id": c.entity_id}, c.date, c.entity.timezone)
        for c in EntityClosure.objects.filter(date__gte=today).select_related("entity")
    ]
    told = 0
    for where, day, zone in days:
        start = datetime.combine(day, datetime.min.time(), ZoneInfo(zone))
        affected = (
            Booking.objects.filter(
                **where,
                state=BookingState.BOOKED,
                starts_at__gte=max(start, now),
                starts_at__lt=start + timedelta(days=1),
            )
            .exclude(events__kind="day_closed")
            .select_related("point", "point__entity", "service")
        )
        for booking in affected:
            with transaction.atomic():
                _event(booking, "day_closed", None, day=day.isoformat())
                notices.booking_notify(booking, notices.AFFECTED, manage_token(booking))
            told += 1
    return told


def booking_summary(booking: Booking, language: str) -> str:
    """One line: the service, the point and the time, in `language`."""
    with override(language):
        zone = point_place(booking.point).zone
        return f"{booking.service.title(language)} · {booking.point.name} · " + _when(
            booking.starts_at, zone
        )
