"""Issuing, calling and serving turns: numbering, call order, wrong states, transfer."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError

from tests.turns.conftest import BOGOTA, MORNING, Turns
from ventanilla.core import clock
from ventanilla.notifications.models import Notification
from ventanilla.turns.models import PriorityGroup, Ticket, TicketEvent, TicketState, TurnQueue
from ventanilla.turns.services import (
    TurnError,
    ticket_call_next,
    ticket_finish,
    ticket_issue,
    ticket_no_show,
    ticket_recall,
    ticket_start,
    ticket_transfer,
)

pytestmark = pytest.mark.django_db


def issue(t: Turns, at_minutes: int = 0, service: object = None, **fields: object) -> Ticket:
    with clock.frozen(MORNING + timedelta(minutes=at_minutes)):
        return ticket_issue(
            point=t.point,
            service=service or t.places,  # type: ignore[arg-type]
            channel=fields.pop("channel", "kiosk"),  # type: ignore[arg-type]
            **fields,  # type: ignore[arg-type]
        )


def call(t: Turns, at_minutes: int = 30, desk: str = "1", **kwargs: object) -> Ticket | None:
    with clock.frozen(MORNING + timedelta(minutes=at_minutes)):
        return ticket_call_next(
            point=t.point,
            desk=desk,
            actor=kwargs.pop("actor", t.official),  # type: ignore[arg-type]
            **kwargs,  # type: ignore[arg-type]
        )


def test_numbers_run_per_queue_and_day_with_the_prefix(turns: Turns) -> None:
    a1, a2 = issue(turns), issue(turns, 1)
    c1 = issue(turns, 2, service=turns.certificates)
    assert [a1.code, a2.code, c1.code] == ["A-001", "A-002", "C-001"]
    with clock.frozen(MORNING + timedelta(days=1)):
        next_day = ticket_issue(point=turns.point, service=turns.places, channel="kiosk")
    assert (next_day.code, next_day.day.isoformat()) == ("A-001", "2026-03-03")
    assert a1.day.isoformat() == "2026-03-02"
    assert TicketEvent.objects.filter(ticket=a1, action="issued").exists()


def test_the_day_is_the_points_local_date(turns: Turns) -> None:
    # 23:30 in Bogotá is already the next day in UTC.
    late = MORNING.replace(hour=23, minute=30)
    with clock.frozen(late):
        ticket = ticket_issue(point=turns.point, service=turns.places, channel="kiosk")
    assert ticket.day == late.date()


def test_the_database_refuses_a_repeated_number(turns: Turns) -> None:
    first = issue(turns)
    with pytest.raises(IntegrityError):
        Ticket.objects.create(
            point=turns.point,
            service=turns.places,
            queue=turns.queue_a,
            day=first.day,
            number=first.number,
            code="A-001",
            channel="kiosk",
            arrived_at=first.arrived_at,
            issued_at=first.issued_at,
        )


def test_a_service_without_a_queue_or_an_inactive_one_is_refused(turns: Turns) -> None:
    TurnQueue.objects.filter(pk=turns.queue_a.pk).update(active=False)
    with pytest.raises(TurnError) as refused:
        issue(turns)
    assert "no da turnos" in refused.value.messages[0]


def test_remote_joining_only_where_the_queue_allows_it(turns: Turns) -> None:
    with pytest.raises(TurnError) as refused:
        issue(turns, channel="remote")
    assert "celular" in refused.value.messages[0]
    joined = issue(turns, service=turns.certificates, channel="remote", name="Ana")
    assert joined.channel == "remote"


def test_an_unknown_priority_group_is_refused(turns: Turns) -> None:
    with pytest.raises(TurnError):
        issue(turns, priority_group="vip")


def test_issuing_at_a_desk_needs_an_official_of_the_point(turns: Turns) -> None:
    with pytest.raises(PermissionDenied):
        issue(turns, channel="desk", actor=turns.outsider)
    assert issue(turns, channel="desk", actor=turns.official).channel == "desk"


def test_call_order_booked_due_then_priority_then_arrival(turns: Turns) -> None:
    walk_in = issue(turns, 0)
    older = issue(turns, 5, priority_group=PriorityGroup.OLDER_ADULT)
    booked_later = issue(turns, 6, appointment_at=MORNING + timedelta(hours=3), reference="X1")
    booked_due = issue(turns, 10, appointment_at=MORNING + timedelta(minutes=35), reference="B7")
    second_walk_in = issue(turns, 11)
    # At 08:30 the 08:35 appointment is within the tolerance; the 11:00 one is not.
    order = [call(turns, 30, desk=str(n)) for n in range(1, 6)]
    assert [t.code for t in order if t] == [
        booked_due.code,
        older.code,
        walk_in.code,
        booked_later.code,
        second_walk_in.code,
    ]
    assert call(turns, 31, desk="6") is None


def test_call_next_only_calls_the_chosen_services(turns: Turns) -> None:
    issue(turns, 0)
    certificate = issue(turns, 1, service=turns.certificates)
    called = call(turns, services=[turns.certificates])
    assert called is not None and called.pk == certificate.pk


def test_a_called_ticket_stamps_desk_time_and_official(turns: Turns) -> None:
    issued = issue(turns, 0)
    called = call(turns, 30, desk=" Puesto  3 ")
    assert called is not None and called.pk == issued.pk
    assert called.state == TicketState.CALLED
    assert called.desk == "Puesto 3"
    assert called.called_at == MORNING + timedelta(minutes=30)
    assert called.called_by == turns.official


def test_a_desk_with_an_open_ticket_cannot_call_another(turns: Turns) -> None:
    issue(turns, 0)
    issue(turns, 1)
    call(turns, desk="2")
    with pytest.raises(TurnError) as refused:
        call(turns, desk="2")
    assert "A-001" in refused.value.messages[0]


def test_a_desk_needs_a_name(turns: Turns) -> None:
    issue(turns)
    with pytest.raises(TurnError):
        call(turns, desk="   ")


def test_officials_of_other_dependencies_and_viewers_cannot_call(turns: Turns) -> None:
    issue(turns)
    for person in (turns.outsider, turns.viewer):
        with pytest.raises(PermissionDenied):
            call(turns, actor=person)


def test_serving_path_and_wrong_states_refused(turns: Turns) -> None:
    issue(turns)
    ticket = call(turns)
    assert ticket is not None
    with clock.frozen(MORNING + timedelta(minutes=31)):
        with pytest.raises(TurnError) as refused:
            ticket_finish(ticket=ticket, actor=turns.official)
        assert "llamado" in refused.value.messages[0]
        ticket_recall(ticket=ticket, actor=turns.official)
        ticket = ticket_start(ticket=ticket, actor=turns.official)
        with pytest.raises(TurnError):
            ticket_start(ticket=ticket, actor=turns.official)
        with pytest.raises(TurnError):
            ticket_no_show(ticket=ticket, actor=turns.official)
        with pytest.raises(TurnError):
            ticket_recall(ticket=ticket, actor=turns.official)
    with clock.frozen(MORNING + timedelta(minutes=40)):
        done = ticket_finish(ticket=ticket, actor=turns.official)
    assert done.state == TicketState.DONE
    assert done.recalls == 1
    assert (done.finished_at - done.started_at).total_seconds() == 9 * 60  # type: ignore[operator]
    actions = list(TicketEvent.objects.filter(ticket=done).values_list("action", flat=True))
    assert actions == ["issued", "called", "recalled", "started", "finished"]
    with pytest.raises(PermissionDenied):
        ticket_recall(ticket=done, actor=turns.outsider)


def test_no_show(turns: Turns) -> None:
    issue(turns)
    ticket = call(turns)
    assert ticket is not None
    with clock.frozen(MORNING + timedelta(minutes=35)):
        gone = ticket_no_show(ticket=ticket, actor=turns.official)
    assert gone.state == TicketState.NO_SHOW
    # The desk is free again.
    issue(turns, 36)
    assert call(turns, 37) is not None


def test_transfer_keeps_arrival_and_priority_with_a_new_code(turns: Turns) -> None:
    issue(turns, 0, service=turns.certificates)
    first = issue(turns, 1, priority_group=PriorityGroup.PREGNANT, phone="3001234567")
    later = issue(turns, 20, service=turns.certificates)
    called = call(turns, 30, services=[turns.places])
    assert called is not None and called.pk == first.pk
    with clock.frozen(MORNING + timedelta(minutes=32)):
        moved = ticket_transfer(ticket=called, service=turns.certificates, actor=turns.official)
    old = Ticket.objects.get(pk=first.pk)
    assert old.state == TicketState.TRANSFERRED and old.transferred_to == moved
    assert moved.code == "C-003" and moved.state == TicketState.WAITING
    assert moved.arrived_at == first.arrived_at
    assert moved.priority_group == PriorityGroup.PREGNANT and moved.phone == "3001234567"
    # Pregnant: before the earlier certificate walk-in and the later one.
    next_called = call(turns, 33, desk="2", services=[turns.certificates])
    assert next_called is not None and next_called.pk == moved.pk
    assert later.pk != moved.pk


def test_transfer_refuses_the_same_service_and_a_point_without_that_queue(turns: Turns) -> None:
    issue(turns)
    called = call(turns)
    assert called is not None
    with pytest.raises(TurnError):
        ticket_transfer(ticket=called, service=turns.places, actor=turns.official)
    TurnQueue.objects.filter(pk=turns.queue_c.pk).update(active=False)
    with pytest.raises(TurnError):
        ticket_transfer(ticket=called, service=turns.certificates, actor=turns.official)
    assert Ticket.objects.get(pk=called.pk).state == TicketState.CALLED


def test_notices_go_only_to_who_left_a_contact(turns: Turns) -> None:
    issue(turns, 0, phone="3001112233", name="Ana")
    issue(turns, 1)  # no contact: nothing is sent
    issue(turns, 2, email="beto@example.co")
    for n in range(3):
        issue(turns, 3 + n)
    call(turns, 30)
    rows = Notification.objects.order_by("pk")
    # Ana is called by SMS; Beto, second in line now, hears his turn is near, by email.
    assert [(r.event, r.channel, r.recipient) for r in rows] == [
        ("turn_called", "sms", "3001112233"),
        ("turn_near", "email", "beto@example.co"),
    ]
    assert "A-001" in rows[0].context["code"]
    call(turns, 31, desk="2")
    # Beto is told once that his turn is near.
    assert Notification.objects.filter(event="turn_near").count() == 1


def test_notice_text_renders_in_the_citizens_language(turns: Turns) -> None:
    from ventanilla.notifications.services import notification_deliver

    issue(turns, 0, email="ana@example.co", language="en")
    call(turns, 30, desk="7")
    row = Notification.objects.get(event="turn_called")
    notification_deliver(notification_id=row.pk)
    row.refresh_from_db()
    assert row.subject == "It is your turn A-001! Go to desk 7"


def test_times_are_the_points_clock(turns: Turns) -> None:
    ticket = issue(turns, 0)
    assert ticket.issued_at.astimezone(BOGOTA).hour == 8


def test_contacts_are_forgotten_after_the_retention_days(turns: Turns, settings: object) -> None:
    from ventanilla.turns.services import tickets_forget_contacts

    settings.TURNS_CONTACT_RETENTION_DAYS = 7  # type: ignore[attr-defined]
    old = issue(turns, 0, name="Ana", phone="3001112233")
    with clock.frozen(MORNING + timedelta(days=6)):
        recent = ticket_issue(
            point=turns.point,
            service=turns.places,
            channel="kiosk",
            email="beto@example.co",
        )
    with clock.frozen(MORNING + timedelta(days=7, hours=1)):
        assert tickets_forget_contacts() == 1
        assert tickets_forget_contacts() == 0
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.name, old.phone, old.code) == ("", "", "A-001")
    assert recent.email == "beto@example.co"
