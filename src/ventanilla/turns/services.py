"""Operations on turns: issue a ticket, call the next one, serve it, transfer it.

Each is one transaction stamped with `core.clock.now()` and writes its `TicketEvent`. Numbers
are gap-free per queue and day, taken from a counter row with `UPDATE … RETURNING` (the lock is
held until the issuing transaction ends, so a rolled-back issue gives its number back).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext_lazy as _

from ventanilla.accounts.models import User
from ventanilla.catalog.models import Service
from ventanilla.core import clock
from ventanilla.organization.models import ROLE_RANK, Role, ServicePoint
from ventanilla.organization.selectors import role_on
from ventanilla.turns.models import (
    DeviceLink,
    PriorityGroup,
    Ticket,
    TicketAction,
    TicketChannel,
    TicketCounter,
    TicketEvent,
    TicketState,
    TurnQueue,
    new_secret,
)
from ventanilla.turns.notify import TURN_CALLED, TURN_NEAR, ticket_notify
from ventanilla.turns.selectors import today, waiting_in_call_order

DESK_MAX_LENGTH = 20


class TurnError(ValidationError):
    """A turn operation that cannot be done now; its message is for the person."""


def local_day(point: ServicePoint, at: datetime) -> date:
    """The point's own date at `at` (a ticket's day): its entity's time zone."""
    return today(point, at)


def may_serve(user: User | None, point: ServicePoint) -> bool:
    """Whether `user` may work a desk of `point`: a handler or above on its dependency."""
    if user is None or not user.is_authenticated:
        return False
    held = role_on(user, point.dependency)
    return held is not None and ROLE_RANK[held] >= ROLE_RANK[Role.HANDLER]


def _require_official(point: ServicePoint, actor: User | None) -> None:
    if not may_serve(actor, point):
        raise PermissionDenied("not an official of this service point")


def _number_next(*, queue_id: int, day: date) -> int:
    """Take the queue's next number of `day` in the caller's transaction (see
    `cases.numbering.counter_next`): the row stays locked until the transaction ends."""
    table = TicketCounter._meta.db_table
    sql = (
        f"UPDATE {table} SET last = last + 1 "  # noqa: S608 - the table name is ours
        "WHERE queue_id = %s AND day = %s RETURNING last"
    )
    for _attempt in range(2):
        with connection.cursor() as cursor:
            cursor.execute(sql, [queue_id, day])
            row = cursor.fetchone()
        if row is not None:
            return int(row[0])
        TicketCounter.objects.get_or_create(queue_id=queue_id, day=day)
    raise RuntimeError("the ticket counter row could not be created")  # pragma: no cover


def _event(
    ticket: Ticket, action: str, at: datetime, actor: User | None = None, detail: str = ""
) -> None:
    TicketEvent.objects.create(
        ticket=ticket, action=action, at=at, actor=actor, desk=ticket.desk, detail=detail[:200]
    )


def _ticket_new(queue: TurnQueue, *, now: datetime, **fields: object) -> Ticket:
    """Number and insert a ticket of `queue`, taking the counter last."""
    day = local_day(queue.point, now)
    number = _number_next(queue_id=queue.pk, day=day)
    return Ticket.objects.create(
        point=queue.point,
        service=queue.service,
        queue=queue,
        day=day,
        number=number,
        code=f"{queue.prefix}-{number:03d}",
        issued_at=now,
        **fields,
    )


def ticket_issue(
    *,
    point: ServicePoint,
    service: Service,
    channel: str,
    priority_group: str = "",
    appointment_at: datetime | None = None,
    reference: str = "",
    name: str = "",
    phone: str = "",
    email: str = "",
    language: str = "es",
    actor: User | None = None,
) -> Ticket:
    """Give a turn in the point's queue for `service`: at the kiosk, at check-in of a booked
    citizen (with `appointment_at` and the booking's `reference`), from a phone, or at a desk
    (by `actor`). Nests inside the caller's transaction; the queue's day counter stays locked
    until that transaction ends, so call it last there."""
    if channel not in TicketChannel.values:
        raise ValueError(f"unknown channel {channel!r}")
    if priority_group not in PriorityGroup.values:
        raise TurnError(_("Elija un grupo de atención preferencial de la lista."))
    if channel == TicketChannel.DESK:
        _require_official(point, actor)
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    with transaction.atomic():
        queue = (
            TurnQueue.objects.select_related("point__entity", "service")
            .filter(point=point, service=service, active=True, point__active=True)
            .first()
        )
        if queue is None:
            raise TurnError(_("Este punto no da turnos para ese servicio."))
        if channel == TicketChannel.REMOTE and not queue.remote_joining:
            raise TurnError(
                _("En este punto no se puede pedir turno desde el celular para ese servicio.")
            )
        now = clock.now()
        ticket = _ticket_new(
            queue,
            now=now,
            channel=channel,
            priority_group=priority_group,
            appointment_at=appointment_at,
            reference=reference[:40],
            name=name[:120],
            phone=phone[:20],
            email=email,
            language=language,
            arrived_at=now,
        )
        _event(ticket, TicketAction.ISSUED, now, actor, detail=reference)
    return ticket


def _desk_clean(desk: str) -> str:
    desk = " ".join(desk.split())
    if not desk:
        raise TurnError(_("Escriba el nombre o número de su puesto, por ejemplo 3."))
    if len(desk) > DESK_MAX_LENGTH:
        raise TurnError(_("El puesto puede tener hasta 20 caracteres."))
    return desk


def _notify_near(queue_id: int, now: datetime) -> None:
    """Tell the holders of the first waiting tickets of a queue that their turn is near, once."""
    near: int = settings.TURNS_NEAR_POSITION
    queue = TurnQueue.objects.select_related("point__entity").get(pk=queue_id)
    waiting = list(
        waiting_in_call_order(point=queue.point, now=now, queue_ids=[queue_id]).select_related(
            "point"
        )[:near]
    )
    for ahead, ticket in enumerate(waiting):
        if ticket.near_notified_at is None and (ticket.phone or ticket.email):
            ticket_notify(ticket=ticket, event=TURN_NEAR, ahead=ahead)
            Ticket.objects.filter(pk=ticket.pk).update(near_notified_at=now)


def ticket_call_next(
    *,
    point: ServicePoint,
    desk: str,
    actor: User,
    services: Iterable[Service] | None = None,
) -> Ticket | None:
    """Call the next ticket of `point` (of `services` only, if given) to `desk`: booked
    citizens whose appointment is due, then priority groups, then arrival. None when nobody
    waits. Two desks calling at once never get the same ticket: PostgreSQL skips rows another
    desk has locked; SQLite's IMMEDIATE transactions run one call at a time."""
    desk = _desk_clean(desk)
    _require_official(point, actor)
    with transaction.atomic(durable=True):
        now = clock.now()
        busy = (
            Ticket.objects.filter(
                point=point,
                day=local_day(point, now),
                desk=desk,
                state__in=(TicketState.CALLED, TicketState.SERVING),
            )
            .values_list("code", flat=True)
            .first()
        )
        if busy is not None:
            raise TurnError(
                _("El puesto %(desk)s todavía tiene el turno %(code)s: termínelo o márquelo.")
                % {"desk": desk, "code": busy}
            )
        service_ids = None if services is None else [s.pk for s in services]
        candidates = waiting_in_call_order(point=point, now=now, service_ids=service_ids)
        if connection.features.has_select_for_update_skip_locked:
            candidates = candidates.select_for_update(skip_locked=True, of=("self",))
        ticket = candidates.first()
        if ticket is None:
            return None
        ticket.state = TicketState.CALLED
        ticket.called_at = ticket.announced_at = now
        ticket.desk = desk
        ticket.called_by = actor
        ticket.save(update_fields=["state", "called_at", "announced_at", "desk", "called_by"])
        _event(ticket, TicketAction.CALLED, now, actor)
        ticket_notify(ticket=ticket, event=TURN_CALLED)
        _notify_near(ticket.queue_id, now)
    return ticket


def _locked(ticket: Ticket, actor: User) -> Ticket:
    locked = Ticket.objects.select_for_update().select_related("point__entity").get(pk=ticket.pk)
    _require_official(locked.point, actor)
    return locked


def _refuse_unless(ticket: Ticket, *states: str) -> None:
    if ticket.state not in states:
        raise TurnError(
            _("El turno %(code)s está «%(state)s»: no se puede hacer eso ahora.")
            % {"code": ticket.code, "state": ticket.get_state_display()}
        )


def ticket_recall(*, ticket: Ticket, actor: User) -> Ticket:
    """Announce a called ticket again (the citizen did not come yet)."""
    with transaction.atomic(durable=True):
        ticket = _locked(ticket, actor)
        _refuse_unless(ticket, TicketState.CALLED)
        now = clock.now()
        ticket.recalls += 1
        ticket.announced_at = now
        ticket.save(update_fields=["recalls", "announced_at"])
        _event(ticket, TicketAction.RECALLED, now, actor)
        ticket_notify(ticket=ticket, event=TURN_CALLED)
    return ticket


def ticket_start(*, ticket: Ticket, actor: User) -> Ticket:
    """The citizen came to the desk: service starts."""
    with transaction.atomic(durable=True):
        ticket = _locked(ticket, actor)
        _refuse_unless(ticket, TicketState.CALLED)
        now = clock.now()
        ticket.state, ticket.started_at = TicketState.SERVING, now
        ticket.save(update_fields=["state", "started_at"])
        _event(ticket, TicketAction.STARTED, now, actor)
    return ticket


TicketFinished = Callable[[Ticket], None]
_ON_FINISHED: list[TicketFinished] = []


def ticket_finished_register(callback: TicketFinished) -> None:
    """Call `callback(ticket)` when a ticket is served to the end (not a no-show nor a
    transfer), inside the finishing transaction and before its contact may be forgotten.
    Registered from another app's `AppConfig.ready` (surveys invites the holder)."""
    if callback not in _ON_FINISHED:
        _ON_FINISHED.append(callback)


def ticket_finished_unregister(callback: TicketFinished) -> None:
    _ON_FINISHED[:] = [c for c in _ON_FINISHED if c is not callback]


def ticket_finish(*, ticket: Ticket, actor: User) -> Ticket:
    """Service ended; the apps listening (`ticket_finished_register`) hear of it."""
    with transaction.atomic(durable=True):
        ticket = _locked(ticket, actor)
        _refuse_unless(ticket, TicketState.SERVING)
        now = clock.now()
        ticket.state, ticket.finished_at = TicketState.DONE, now
        ticket.save(update_fields=["state", "finished_at"])
        _event(ticket, TicketAction.FINISHED, now, actor)
        for callback in list(_ON_FINISHED):
            callback(ticket)
    return ticket


def ticket_no_show(*, ticket: Ticket, actor: User) -> Ticket:
    """The called citizen did not come."""
    with transaction.atomic(durable=True):
        ticket = _locked(ticket, actor)
        _refuse_unless(ticket, TicketState.CALLED)
        now = clock.now()
        ticket.state, ticket.finished_at = TicketState.NO_SHOW, now
        ticket.save(update_fields=["state", "finished_at"])
        _event(ticket, TicketAction.NO_SHOW, now, actor)
    return ticket


def ticket_transfer(*, ticket: Ticket, service: Service, actor: User) -> Ticket:
    """Send a called or served citizen to another service's queue at the same point. The new
    ticket keeps the arrival time (so they do not start again at the back), the priority group
    and the appointment, and gets its own code; the old one is closed as transferred."""
    with transaction.atomic(durable=True):
        ticket = _locked(ticket, actor)
        _refuse_unless(ticket, TicketState.CALLED, TicketState.SERVING)
        if service.pk == ticket.service_id:
            raise TurnError(_("Elija un servicio distinto del actual."))
        target = (
            TurnQueue.objects.select_related("point__entity", "service")
            .filter(point_id=ticket.point_id, service=service, active=True)
            .first()
        )
        if target is None:
            raise TurnError(_("Este punto no da turnos para ese servicio."))
        now = clock.now()
        moved = _ticket_new(
            target,
            now=now,
            channel=ticket.channel,
            priority_group=ticket.priority_group,
            appointment_at=ticket.appointment_at,
            reference=ticket.reference,
            name=ticket.name,
            phone=ticket.phone,
            email=ticket.email,
            language=ticket.language,
            arrived_at=ticket.arrived_at,
        )
        ticket.state, ticket.finished_at, ticket.transferred_to = (
            TicketState.TRANSFERRED,
            now,
            moved,
        )
        ticket.save(update_fields=["state", "finished_at", "transferred_to"])
        _event(ticket, TicketAction.TRANSFERRED, now, actor, detail=moved.code)
        _event(moved, TicketAction.ISSUED, now, actor, detail=ticket.code)
    return moved


def device_link_for(*, point: ServicePoint, actor: User) -> DeviceLink:
    """The point's kiosk and display secret, made the first time an official asks."""
    _require_official(point, actor)
    with transaction.atomic():
        link, _created = DeviceLink.objects.get_or_create(
            point=point, defaults={"created_at": clock.now()}
        )
    return link


def device_link_renew(*, point: ServicePoint, actor: User) -> DeviceLink:
    """A new secret for the point's kiosk and display: the old addresses stop working."""
    _require_official(point, actor)
    with transaction.atomic(durable=True):
        link, created = DeviceLink.objects.select_for_update().get_or_create(
            point=point, defaults={"created_at": clock.now()}
        )
        if not created:
            link.secret, link.created_at = new_secret(), clock.now()
            link.save(update_fields=["secret", "created_at"])
    return link


def tickets_forget_contacts() -> int:
    """Erase the name, phone and email of tickets issued more than
    `TURNS_CONTACT_RETENTION_DAYS` ago (Ley 1581 de 2012: kept only while needed). Idempotent."""
    before = clock.now() - timedelta(days=settings.TURNS_CONTACT_RETENTION_DAYS)
    with transaction.atomic(durable=True):
        return (
            Ticket.objects.filter(issued_at__lt=before)
            .exclude(name="", phone="", email="")
            .update(name="", phone="", email="")
        )
