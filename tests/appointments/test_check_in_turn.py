"""Check-in gives a booked citizen a turn (where the point runs a queue for the service), and
the desk calls it before the walk-ins who arrived earlier."""

from __future__ import annotations

import pytest

from tests import factories
from tests.appointments.conftest import at, holder
from ventanilla.appointments.models import Schedule
from ventanilla.appointments.services import BookingError, booking_check_in, booking_create
from ventanilla.core import clock
from ventanilla.organization.models import Dependency, Role
from ventanilla.turns.models import Ticket, TurnQueue
from ventanilla.turns.services import ticket_call_next, ticket_issue

pytestmark = pytest.mark.django_db


def test_check_in_issues_a_turn_called_before_earlier_walk_ins(
    schedule: Schedule, now: object
) -> None:
    point, service = schedule.point, schedule.service
    TurnQueue.objects.create(point=point, service=service, prefix="A")
    official = factories.official(Dependency.objects.get(code="IED-0001"), Role.HANDLER)
    booking = booking_create(
        point=point, service=service, starts_at=at(1, 10), holder=holder(phone="3004445566")
    )
    with clock.frozen(at(1, 9, 40)):
        walk_in = ticket_issue(point=point, service=service, channel="kiosk")
    with clock.frozen(at(1, 9, 50)):
        checked = booking_check_in(booking=booking, actor=official, id_number="1012345678")
    assert checked.turn_code == "A-002"
    ticket = Ticket.objects.get(code="A-002")
    assert (ticket.channel, ticket.reference, ticket.appointment_at) == (
        "check_in",
        booking.code,
        at(1, 10),
    )
    assert (ticket.name, ticket.phone) == ("Ana Pérez", "3004445566")
    with clock.frozen(at(1, 9, 52)):
        first = ticket_call_next(point=point, desk="1", actor=official)
        second = ticket_call_next(point=point, desk="2", actor=official)
    assert first is not None and first.pk == ticket.pk
    assert second is not None and second.pk == walk_in.pk


def test_no_queue_no_turn_and_a_refused_check_in_issues_none(
    schedule: Schedule, now: object
) -> None:
    point, service = schedule.point, schedule.service
    official = factories.official(Dependency.objects.get(code="IED-0001"), Role.HANDLER)
    booking = booking_create(point=point, service=service, starts_at=at(1, 10), holder=holder())
    TurnQueue.objects.create(point=point, service=service, prefix="A")
    with clock.frozen(at(1, 9, 50)), pytest.raises(BookingError):
        booking_check_in(booking=booking, actor=official, id_number="99999999")
    assert not Ticket.objects.exists()
    TurnQueue.objects.all().delete()
    with clock.frozen(at(1, 9, 51)):
        checked = booking_check_in(booking=booking, actor=official, id_number="1012345678")
    assert checked.turn_code == ""
