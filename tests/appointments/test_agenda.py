"""The point's agenda: the day's bookings, check-in against the ID number, no-shows, booking
for a citizen at the counter; officials of other points see none of it."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests import factories
from tests.appointments.conftest import at, holder
from ventanilla.appointments.models import Booking, BookingChannel, BookingState, Schedule
from ventanilla.appointments.services import booking_create
from ventanilla.core import clock
from ventanilla.organization.models import Role
from ventanilla.turns.models import TurnQueue

pytestmark = pytest.mark.usefixtures("now")


@pytest.fixture
def official(schedule: Schedule) -> Any:
    person = factories.official(schedule.point.dependency, Role.HANDLER, first_name="Luz")
    factories.enrol_totp(person)
    return person


@pytest.fixture
def booked(schedule: Schedule) -> Booking:
    return booking_create(
        point=schedule.point, service=schedule.service, starts_at=at(1, 9), holder=holder()
    )


def test_the_day_shows_bookings_and_check_in_checks_the_id(
    client: Client, schedule: Schedule, official: Any, booked: Booking
) -> None:
    client.force_login(official)
    assert client.get("/espacio/agenda/")["Location"] == f"/espacio/agenda/{schedule.point.pk}/"
    page = client.get(f"/espacio/agenda/{schedule.point.pk}/").content.decode()
    assert "Ana Pérez" in page and "09:00" in page and "···5678" in page
    assert "1012345678" not in page  # the ID is asked, not shown
    desk = f"/espacio/turnos/{schedule.point.pk}/"
    assert desk not in page  # the point runs no queue: no walk-in turns
    TurnQueue.objects.create(point=schedule.point, service=schedule.service, prefix="A")
    assert desk in client.get(f"/espacio/agenda/{schedule.point.pk}/").content.decode()
    wrong = client.post(
        f"/espacio/agenda/citas/{booked.code}/llegada/", {"documento": "99999999"}, follow=True
    )
    assert "El documento no coincide" in wrong.content.decode()
    booked.refresh_from_db()
    assert booked.state == BookingState.BOOKED
    with clock.frozen(at(1, 8, 50)):
        right = client.post(
            f"/espacio/agenda/citas/{booked.code}/llegada/",
            {"documento": "1.012.345.678"},
            follow=True,
        )
    assert "llegó a su cita" in right.content.decode()
    booked.refresh_from_db()
    assert booked.state == BookingState.CHECKED_IN


def test_no_show_after_the_time(
    client: Client, schedule: Schedule, official: Any, booked: Booking
) -> None:
    client.force_login(official)
    early = client.post(f"/espacio/agenda/citas/{booked.code}/no-asistio/", follow=True)
    assert "después de la hora" in early.content.decode()
    with clock.frozen(at(1, 9, 30)):
        client.post(f"/espacio/agenda/citas/{booked.code}/no-asistio/")
    booked.refresh_from_db()
    assert booked.state == BookingState.NO_SHOW


def test_an_official_of_another_point_is_refused(
    client: Client, schedule: Schedule, booked: Booking
) -> None:
    stranger = factories.official(factories.dependency("OTRA"), Role.SUPERVISOR)
    factories.enrol_totp(stranger)
    client.force_login(stranger)
    assert client.get(f"/espacio/agenda/{schedule.point.pk}/").status_code == 403
    assert client.post(f"/espacio/agenda/citas/{booked.code}/llegada/").status_code == 403
    assert client.get(f"/espacio/agenda/{schedule.point.pk}/agendar/").status_code == 403
    page = client.get("/espacio/agenda/").content.decode()
    assert schedule.point.name not in page


def test_booking_for_a_citizen_at_the_counter(
    client: Client, schedule: Schedule, official: Any
) -> None:
    client.force_login(official)
    form = client.get(f"/espacio/agenda/{schedule.point.pk}/agendar/").content.decode()
    assert at(1, 9).isoformat() in form
    bad = client.post(
        f"/espacio/agenda/{schedule.point.pk}/agendar/",
        {
            "service": schedule.service.pk,
            "hora": at(1, 9).isoformat(),
            "name": "Pedro Gómez",
            "id_type": "CC",
            "id_number": "1",
            "channel": "phone",
        },
    ).content.decode()
    assert "La cédula tiene de 4 a 10 cifras" in bad and 'value="Pedro Gómez"' in bad
    done = client.post(
        f"/espacio/agenda/{schedule.point.pk}/agendar/",
        {
            "service": schedule.service.pk,
            "hora": at(1, 9).isoformat(),
            "name": "Pedro Gómez",
            "id_type": "CC",
            "id_number": "79123456",
            "channel": "phone",
        },
        follow=True,
    )
    booking = Booking.objects.get()
    assert (booking.channel, booking.booked_by) == (BookingChannel.PHONE, official)
    assert booking.code in done.content.decode()


def test_after_check_in_the_booking_page_leads_to_the_turn(
    client: Client, schedule: Schedule, official: Any, booked: Booking
) -> None:
    from ventanilla.appointments.services import booking_check_in, manage_token
    from ventanilla.turns.models import Ticket

    TurnQueue.objects.create(point=schedule.point, service=schedule.service, prefix="C")
    with clock.frozen(at(1, 8, 50)):
        done = booking_check_in(booking=booked, actor=official, id_number="1012345678")
    ticket = Ticket.objects.get(reference=booked.code)
    assert done.turn_code == ticket.code == "C-001"
    holder_page = Client()
    holder_page.get(f"/citas/{booked.code}/?clave={manage_token(booked)}")
    page = holder_page.get(f"/citas/{booked.code}/").content.decode()
    assert f'href="/turnos/t/{ticket.token}/"' in page and "turno C-001" in page
