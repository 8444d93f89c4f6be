"""Booking an appointment in a real browser, on a phone's width and a desktop's: a guest finds a
school, chooses a time, confirms their email with a code, gets the calendar file (read back with
the icalendar library: the right local time), moves the appointment and cancels it. An official
then sees the point's agenda. Every page is checked by axe."""

from __future__ import annotations

import os
import re
from datetime import time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from icalendar import Calendar
from playwright.sync_api import expect

from tests import factories
from tests.browser.conftest import Visitor
from tests.browser.test_journeys_filing import services  # noqa: F401
from tests.catalog.fixtures import organisation  # noqa: F401
from ventanilla.appointments.models import Booking, BookingState, Schedule, SchedulePeriod, Slot
from ventanilla.catalog.models import Service
from ventanilla.organization.models import Role, ServicePoint

SHOTS = os.environ.get("APPOINTMENT_SCREENSHOTS", "")
BOGOTA = ZoneInfo("America/Bogota")


def shot(visitor: Visitor, name: str) -> None:
    """Screenshots for a person to look at, when asked for (APPOINTMENT_SCREENSHOTS=dir)."""
    if SHOTS:
        visitor.page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


@pytest.fixture
def schedule(services: dict[str, Service]) -> Schedule:  # noqa: F811
    """Every day from 6:00 to 12:00 and 13:00 to 22:00, so that the test finds free times
    whenever it runs (public holidays have none)."""
    point = ServicePoint.objects.get(code="IED-0001")
    schedule = Schedule.objects.create(
        point=point, service=services["school_place"], slot_minutes=30, capacity=2
    )
    for weekday in range(7):
        SchedulePeriod.objects.create(
            schedule=schedule, weekday=weekday, opens=time(6), closes=time(12)
        )
        SchedulePeriod.objects.create(
            schedule=schedule, weekday=weekday, opens=time(13), closes=time(22)
        )
    return schedule


@pytest.mark.parametrize("width", [360, 1280])
def test_a_guest_books_gets_the_calendar_file_moves_and_cancels(
    new_visitor: Any, schedule: Schedule, width: int, tmp_path: Path
) -> None:
    visitor: Visitor = new_visitor(viewport={"width": width, "height": 800}, accept_downloads=True)
    page = visitor.page
    visitor.goto("/")
    visitor.click_and_wait(page.get_by_role("link", name="Agendar o consultar mi cita"))
    shot(visitor, f"appointments-home-{width}")
    visitor.click_and_wait(
        page.get_by_role("link", name="Solicitud de cupo escolar para estudiantes nuevos")
    )
    page.get_by_label("Localidad").select_option(label="Kennedy")
    visitor.click_and_wait(page.get_by_role("button", name="Buscar"))
    shot(visitor, f"appointments-points-{width}")
    visitor.click_and_wait(page.get_by_role("link", name="Colegio Kennedy IED"))
    shot(visitor, f"appointments-times-{width}")
    first = page.locator("input[name=hora]").first
    chosen = first.get_attribute("value")
    assert chosen
    first.check()
    visitor.click_and_wait(page.get_by_role("button", name="Continuar"))
    page.get_by_label("Nombre completo de quien asistirá").fill("Marta Díaz")
    page.get_by_label("Tipo de documento").select_option("CC")
    page.get_by_label("Número de documento").fill("52123456")
    page.get_by_label("Correo electrónico").fill("marta@example.co")
    visitor.click_and_wait(page.get_by_role("button", name="Enviarme el código"))
    code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body)
    assert code
    page.get_by_label("Código que le enviamos").fill(code.group(1))
    shot(visitor, f"appointments-details-{width}")
    visitor.click_and_wait(page.get_by_role("button", name="Confirmar y agendar"))
    expect(page.get_by_role("heading", name="Su cita", exact=True)).to_be_visible()
    booking = Booking.objects.get()
    expect(page.get_by_text(booking.code).first).to_be_visible()
    expect(page.get_by_label("Código QR de la cita")).to_be_visible()
    shot(visitor, f"appointments-booking-{width}")

    with page.expect_download() as download:
        page.get_by_role("link", name="Agregar a mi calendario (.ics)").click()
    saved = tmp_path / "cita.ics"
    download.value.save_as(saved)
    (event,) = Calendar.from_ical(saved.read_bytes()).walk("VEVENT")
    start = event.decoded("dtstart")
    assert start.isoformat() == chosen
    assert start.astimezone(BOGOTA).utcoffset().total_seconds() == -5 * 3600
    assert "Colegio Kennedy IED" in str(event["location"])

    visitor.click_and_wait(page.get_by_role("link", name="Cambiar la hora"))
    expect(page.get_by_text("Está cambiando su cita")).to_be_visible()
    other = page.locator("input[name=hora]").nth(1)
    moved_to = other.get_attribute("value")
    other.check()
    visitor.click_and_wait(page.get_by_role("button", name="Cambiar a esta hora"))
    expect(page.get_by_text("Su cita cambió al")).to_be_visible()
    booking.refresh_from_db()
    assert booking.starts_at.astimezone(BOGOTA).isoformat() == moved_to

    visitor.click_and_wait(page.get_by_role("link", name="Cancelar la cita"))
    visitor.click_and_wait(page.get_by_role("button", name="Sí, cancelar la cita"))
    expect(page.get_by_text("Cancelamos su cita")).to_be_visible()
    booking.refresh_from_db()
    assert booking.state == BookingState.CANCELLED
    assert sum(Slot.objects.values_list("booked", flat=True)) == 0
    shot(visitor, f"appointments-cancelled-{width}")


def test_the_point_official_checks_a_citizen_in_with_the_keyboard(
    new_visitor: Any, schedule: Schedule
) -> None:
    from ventanilla.appointments.selectors import free_times
    from ventanilla.appointments.services import Holder, booking_create

    when = free_times(point=schedule.point, service=schedule.service, days=1)[0].times[0]
    booking = booking_create(
        point=schedule.point,
        service=schedule.service,
        starts_at=when.starts_at,
        holder=Holder("CC", "52123456", "Marta Díaz", email="marta@example.co"),
    )
    official = factories.official(schedule.point.dependency, Role.HANDLER, email="luz@example.co")
    secret = factories.enrol_totp(official)
    visitor: Visitor = new_visitor(viewport={"width": 1280, "height": 800})
    page = visitor.page
    visitor.goto("/cuenta/login/")
    page.get_by_label("Correo electrónico").fill("luz@example.co")
    page.get_by_label("Contraseña").fill(factories.PASSWORD)
    visitor.click_and_wait(page.get_by_role("main").get_by_role("button", name="Iniciar sesión"))
    page.get_by_label("Código").fill(factories.totp_code(secret))
    visitor.press_and_wait(page.get_by_label("Código"))
    day = when.starts_at.date().isoformat()
    visitor.goto(f"/espacio/agenda/{schedule.point.pk}/?dia={day}")
    expect(page.get_by_role("cell", name=re.compile("^Marta Díaz CC"))).to_be_visible()
    shot(visitor, "agenda-1280")
    field = page.get_by_label("Documento de Marta Díaz")
    field.fill("52.123.456")
    visitor.press_and_wait(field)
    expect(page.get_by_text("Marta Díaz llegó a su cita.")).to_be_visible()
    booking.refresh_from_db()
    assert booking.state == BookingState.CHECKED_IN
