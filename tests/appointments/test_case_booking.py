"""A booking that belongs to a case: the official asks for it through a workflow action, the
citizen books from their case page, and the case's route records what happens to it."""

from __future__ import annotations

import pytest
from django.test import Client

from tests import factories
from tests.appointments.conftest import at
from tests.cases.test_case_file import file_one
from ventanilla.accounts.models import User
from ventanilla.appointments.models import Booking, Schedule
from ventanilla.appointments.services import booking_cancel, booking_check_in
from ventanilla.cases.models import Case, FilerKind
from ventanilla.cases.route_text import official_route
from ventanilla.cases.services import case_transition
from ventanilla.organization.models import Role

pytestmark = pytest.mark.usefixtures("now")


def _file(schedule: Schedule, citizen: User) -> Case:
    filing = file_one(
        schedule.service, filer_kind=FilerKind.CITIZEN, applicant=citizen, contact=None
    )
    return filing.case


def test_the_official_asks_the_citizen_books_and_the_route_shows_it(
    client: Client, schedule: Schedule
) -> None:
    citizen = factories.user(
        "ana@example.co", first_name="Ana", last_name="Ruiz", id_type="CC", id_number="1012345678"
    )
    case = _file(schedule, citizen)
    handler = factories.official(case.dependency, Role.HANDLER)
    case = case_transition(case=case, action="iniciar_revision", actor=handler)
    client.force_login(citizen)
    page = client.get(f"/mi-cuenta/solicitudes/{case.filing_number}/").content.decode()
    assert "Agendar cita" not in page
    case = case_transition(case=case, action="citar", actor=handler)
    page = client.get(f"/mi-cuenta/solicitudes/{case.filing_number}/").content.decode()
    assert "Le pedimos agendar una cita" in page
    invite = f"/citas/agendar/{schedule.service.slug}/?caso={case.filing_number}"
    assert invite in page
    assert client.get(invite).status_code == 200
    client.post(
        f"/citas/agendar/{schedule.service.slug}/{schedule.point.pk}/datos/",
        {
            "step": "details",
            "hora": at(2, 9).isoformat(),
            "name": "Ana Ruiz",
            "id_type": "CC",
            "id_number": "1012345678",
        },
    )
    booking = Booking.objects.get()
    assert booking.case == case
    page = client.get(f"/mi-cuenta/solicitudes/{case.filing_number}/").content.decode()
    assert "Cita agendada para el 2 de diciembre de 2026, 09:00" in page
    assert "Agendar cita</a>" not in page
    route = official_route(case, list(case.timeline.order_by("sequence")))
    assert route[-1].title == "Cita"
    assert booking.code in route[-1].detail


def test_a_stranger_cannot_book_for_someone_elses_case(client: Client, schedule: Schedule) -> None:
    owner = factories.user()
    case = _file(schedule, owner)
    client.force_login(factories.user())
    assert (
        client.get(f"/citas/agendar/{schedule.service.slug}/?caso={case.filing_number}").status_code
        == 404
    )


def test_check_in_and_cancel_write_the_route(schedule: Schedule) -> None:
    from ventanilla.appointments.services import Holder, booking_create
    from ventanilla.core import clock

    citizen = factories.user()
    case = _file(schedule, citizen)
    official = factories.official(schedule.point.dependency, Role.HANDLER)
    first = booking_create(
        point=schedule.point,
        service=schedule.service,
        starts_at=at(1, 9),
        holder=Holder("CC", "1012345678", "Ana"),
        case=case,
    )
    booking_cancel(booking=first, actor=citizen)
    second = booking_create(
        point=schedule.point,
        service=schedule.service,
        starts_at=at(1, 10),
        holder=Holder("CC", "1012345678", "Ana"),
        case=case,
    )
    with clock.frozen(at(1, 9, 55)):
        booking_check_in(booking=second, actor=official, id_number="1.012.345.678")
    whats = [e.data["what"] for e in case.timeline.filter(kind="appointment").order_by("sequence")]
    assert whats == ["booked", "cancelled", "booked", "checked_in"]
