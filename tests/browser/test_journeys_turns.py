"""A turn in a real browser: the kiosk issues A-001, the waiting-room display shows it when a
desk calls it, the citizen's phone says it is their turn, the desk serves and finishes it; a
booked citizen checked in is called before an earlier walk-in. Every page, and every live
update of the display and the phone, is checked by axe."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.browser.test_journeys_appointments import schedule  # noqa: F401
from tests.browser.test_journeys_counter import PHONE, shot
from tests.browser.test_journeys_filing import services  # noqa: F401
from tests.browser.test_journeys_workspace import sign_in
from tests.catalog.fixtures import organisation  # noqa: F401
from ventanilla.appointments.models import Schedule
from ventanilla.appointments.selectors import free_times
from ventanilla.appointments.services import Holder, booking_create
from ventanilla.catalog.models import Service
from ventanilla.core import clock
from ventanilla.organization.models import Dependency, Role, ServicePoint
from ventanilla.turns.models import Ticket, TurnQueue
from ventanilla.turns.services import device_link_for, ticket_issue

BOGOTA = ZoneInfo("America/Bogota")
DESKTOP = {"width": 1280, "height": 900}
LIVE = 10_000  # ms to wait for a live update (the pages poll every second here)


@pytest.fixture
def fast_polling(settings: Any) -> None:
    settings.TURNS_POLL_SECONDS = 1


def test_a_turn_from_the_kiosk_to_the_desk(
    new_visitor: Any,
    services: dict[str, Service],  # noqa: F811
    fast_polling: None,
) -> None:
    point = ServicePoint.objects.get(code="SEDE")
    places = services["school_place"]
    TurnQueue.objects.create(point=point, service=places, prefix="A", label="Cupos escolares")
    TurnQueue.objects.create(point=point, service=services["complaint"], prefix="Q", label="Quejas")
    coverage = Dependency.objects.get(code="DIR-COBERTURA")
    handler = factories.official(coverage, Role.HANDLER, email="hugo@sed.gov.co")
    secret = factories.enrol_totp(handler)

    # The official opens the point's kiosk and display addresses from the workspace.
    official = new_visitor(viewport=DESKTOP)
    sign_in(official, "hugo@sed.gov.co", secret)
    official.goto("/espacio/turnos/")
    official.click_and_wait(official.page.get_by_role("link", name=point.name))
    official.press_and_wait(
        official.page.get_by_role("link", name="Abrir el quiosco y la pantalla en un dispositivo")
    )
    link = device_link_for(point=point, actor=handler)
    kiosk_path = f"/turnos/quiosco/{link.secret}/"
    assert official.page.get_by_role("link", name=f"{official.base_url}{kiosk_path}").count() == 1
    shot(official.page, "turn-devices-1280")

    # The kiosk: one press, one ticket.
    kiosk = new_visitor(viewport=DESKTOP)
    kiosk.goto(kiosk_path)
    shot(kiosk.page, "turn-kiosk-1280")
    kiosk.press_and_wait(kiosk.page.get_by_role("button", name="Cupos escolares"))
    expect(kiosk.page.get_by_role("status")).to_have_text("A-001")
    shot(kiosk.page, "turn-kiosk-ticket-1280")
    ticket = Ticket.objects.get(code="A-001")
    phone_path = f"/turnos/t/{ticket.token}/"
    assert kiosk.page.get_by_role("link", name=f"{kiosk.base_url}{phone_path}").count() == 1

    display = new_visitor(viewport=DESKTOP)
    display.goto(f"/turnos/pantalla/{link.secret}/")
    expect(display.page.get_by_text("Todavía no se ha llamado ningún turno.")).to_be_visible()

    phone = new_visitor(viewport=PHONE, is_mobile=True)
    phone.goto(phone_path)
    expect(phone.page.get_by_text("Nadie: usted sigue")).to_be_visible()
    shot(phone.page, "turn-phone-waiting-360")

    # The desk calls: the display and the phone update by themselves.
    official.goto(f"/espacio/turnos/{point.pk}/")
    official.page.get_by_label("Su puesto", exact=True).fill("3")
    official.press_and_wait(official.page.get_by_role("button", name="Llamar siguiente"))
    expect(official.page.get_by_text("Llamó el turno A-001 al puesto 3.")).to_be_visible()
    shot(official.page, "turn-desk-1280")

    expect(display.page.locator(".display__code")).to_have_text("A-001", timeout=LIVE)
    expect(display.page.locator(".display__desk")).to_have_text("3")
    display.check()
    shot(display.page, "turn-display-1280")
    expect(phone.page.get_by_text("¡Es su turno! Diríjase al puesto 3")).to_be_visible(timeout=LIVE)
    phone.check()
    shot(phone.page, "turn-phone-called-360")

    official.press_and_wait(official.page.get_by_role("button", name="Atender"))
    expect(phone.page.get_by_text("Lo están atendiendo en el puesto 3.")).to_be_visible(
        timeout=LIVE
    )
    official.press_and_wait(official.page.get_by_role("button", name="Terminar"))
    expect(official.page.get_by_text("Turno A-001 atendido.")).to_be_visible()
    assert Ticket.objects.get(pk=ticket.pk).state == "done"
    phone.goto(phone_path)
    expect(phone.page.get_by_text("Este turno terminó: atendido.")).to_be_visible()

    # A walk-in takes a turn; then a booked citizen checks in (what appointments does): the
    # booked one is called first.
    kiosk.goto(kiosk_path)
    kiosk.page.get_by_label("Persona mayor").check()
    kiosk.press_and_wait(kiosk.page.get_by_role("button", name="Cupos escolares"))
    expect(kiosk.page.get_by_role("status")).to_have_text("A-002")
    booked = ticket_issue(
        point=point,
        service=places,
        channel="check_in",
        appointment_at=clock.now() + timedelta(minutes=5),
        reference="CITA-7Q2",
    )
    assert booked.code == "A-003"
    official.goto(f"/espacio/turnos/{point.pk}/")
    expect(official.page.get_by_role("cell", name="cita", exact=False).first).to_be_visible()
    official.press_and_wait(official.page.get_by_role("button", name="Llamar siguiente"))
    expect(official.page.get_by_text("Llamó el turno A-003 al puesto 3.")).to_be_visible()
    expect(display.page.locator(".display__code")).to_have_text("A-003", timeout=LIVE)
    display.check()


def test_joining_the_queue_from_a_phone(
    new_visitor: Any,
    services: dict[str, Service],  # noqa: F811
) -> None:
    point = ServicePoint.objects.get(code="SEDE")
    TurnQueue.objects.create(
        point=point,
        service=services["school_place"],
        prefix="A",
        label="Cupos escolares",
        remote_joining=True,
    )
    phone = new_visitor(viewport=PHONE, is_mobile=True)
    phone.goto("/turnos/")
    phone.click_and_wait(phone.page.get_by_role("link", name=point.name))
    phone.page.get_by_label("Su nombre").fill("Ana Ruiz")
    phone.page.get_by_label("Celular (opcional)").fill("30O 1234567")
    phone.press_and_wait(phone.page.get_by_role("button", name="Pedir turno"))
    expect(phone.page.get_by_role("alert")).to_contain_text("Escriba solo cifras")
    expect(phone.page.get_by_label("Su nombre")).to_have_value("Ana Ruiz")
    shot(phone.page, "turn-join-error-360")
    phone.page.get_by_label("Celular (opcional)").fill("300 1234567")
    phone.press_and_wait(phone.page.get_by_role("button", name="Pedir turno"))
    expect(phone.page.get_by_role("heading", name="Turno A-001")).to_be_visible()
    shot(phone.page, "turn-joined-360")


def test_a_citizen_checked_in_at_the_agenda_is_called_before_an_earlier_walk_in(
    new_visitor: Any,
    schedule: Schedule,  # noqa: F811
) -> None:
    point, service = schedule.point, schedule.service
    TurnQueue.objects.create(point=point, service=service, prefix="A", label="Cupos escolares")
    when = free_times(point=point, service=service, days=1)[0].times[0].starts_at
    booking_create(
        point=point,
        service=service,
        starts_at=when,
        holder=Holder("CC", "52123456", "Marta Díaz", email="marta@example.co"),
    )
    official = factories.official(point.dependency, Role.HANDLER, email="luz@example.co")
    secret = factories.enrol_totp(official)
    desk = new_visitor(viewport=DESKTOP)
    sign_in(desk, "luz@example.co", secret)
    link = device_link_for(point=point, actor=official)

    with clock.frozen(when - timedelta(minutes=20)):
        kiosk = new_visitor(viewport=PHONE, is_mobile=True)
        kiosk.goto(f"/turnos/quiosco/{link.secret}/")
        kiosk.press_and_wait(kiosk.page.get_by_role("button", name="Cupos escolares"))
        expect(kiosk.page.get_by_role("status")).to_have_text("A-001")
        shot(kiosk.page, "turn-kiosk-ticket-360")
    with clock.frozen(when - timedelta(minutes=5)):
        desk.goto(f"/espacio/agenda/{point.pk}/?dia={when.astimezone(BOGOTA).date()}")
        field = desk.page.get_by_label("Documento de Marta Díaz")
        field.fill("52.123.456")
        desk.press_and_wait(field)
        expect(desk.page.get_by_text("Marta Díaz llegó a su cita.")).to_contain_text("A-002")
    with clock.frozen(when - timedelta(minutes=4)):
        desk.goto(f"/espacio/turnos/{point.pk}/")
        expect(desk.page.get_by_role("row", name=re.compile("^A-002"))).to_contain_text("cita")
        desk.page.get_by_label("Su puesto", exact=True).fill("1")
        desk.press_and_wait(desk.page.get_by_role("button", name="Llamar siguiente"))
        expect(desk.page.get_by_text("Llamó el turno A-002 al puesto 1.")).to_be_visible()
        expect(desk.page.get_by_role("row", name=re.compile("^A-001"))).to_be_visible()
