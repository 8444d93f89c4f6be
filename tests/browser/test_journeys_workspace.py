"""An official's day in a real browser, with the legal clock frozen at known dates: a handler
signs in with TOTP, takes a case from the inbox and asks for information; the citizen answers;
the handler extends the term and drafts the answer; the approver issues it; the citizen
downloads the PDF. Every page is checked by axe."""

from __future__ import annotations

import time
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from tests import factories
from tests.browser.conftest import Visitor
from tests.browser.test_journeys_filing import services  # noqa: F401
from tests.cases.test_case_file import file_one
from tests.catalog.fixtures import organisation  # noqa: F401
from ventanilla.cases.models import Case
from ventanilla.catalog.models import Service
from ventanilla.core import clock
from ventanilla.organization.models import Dependency, Role

BOGOTA = ZoneInfo("America/Bogota")


def at(day: str) -> datetime:
    return datetime.fromisoformat(day).replace(hour=10, tzinfo=BOGOTA)


def sign_in(visitor: Visitor, email: str, secret: str | None) -> None:
    page = visitor.page
    visitor.goto("/cuenta/login/")
    page.get_by_label("Correo electrónico").fill(email)
    page.get_by_label("Contraseña").fill(factories.PASSWORD)
    visitor.click_and_wait(page.get_by_role("main").get_by_role("button", name="Iniciar sesión"))
    if secret is not None:
        if time.time() % 30 > 25:  # never type a code about to expire
            time.sleep(30 - time.time() % 30 + 0.5)
        page.get_by_label("Código", exact=True).fill(factories.totp_code(secret))
        visitor.click_and_wait(page.get_by_role("main").get_by_role("button").first)


def open_box(visitor: Visitor, title: str) -> None:
    """Open the action's box (keyboard: focus its summary and press Enter) unless it is open."""
    box = visitor.page.locator(
        "details.action-box", has=visitor.page.locator("summary", has_text=title)
    )
    if box.get_attribute("open") is None:
        box.locator("summary").focus()
        visitor.page.keyboard.press("Enter")
    expect(box).to_have_attribute("open", "")


def route_texts(visitor: Visitor) -> str:
    return visitor.page.locator(".route").inner_text()


def test_handler_citizen_and_approver_take_a_case_to_its_answer(
    new_visitor: Any,
    services: dict[str, Service],  # noqa: F811
) -> None:
    coverage = Dependency.objects.get(code="DIR-COBERTURA")
    handler = factories.official(coverage, Role.HANDLER, first_name="Hugo", email="hugo@sed.gov.co")
    approver = factories.official(coverage, Role.APPROVER, first_name="Ana", email="ana@sed.gov.co")
    handler_secret = factories.enrol_totp(handler)
    approver_secret = factories.enrol_totp(approver)
    citizen = factories.user("luz@example.co", first_name="Luz", last_name="Rojas")
    with clock.frozen(at("2026-03-02")):
        case = file_one(
            services["school_place"], filer_kind="citizen", applicant=citizen, contact=None
        ).case
    number = case.filing_number
    assert case.due_date.isoformat() == "2026-03-24"

    official = new_visitor()
    page = official.page
    with clock.frozen(at("2026-03-03")):
        sign_in(official, "hugo@sed.gov.co", handler_secret)
        official.goto("/espacio/?pestana=unassigned")
        # A filing number stays on one line, however narrow its column.
        number_cell = page.locator("table.inbox td.nowrap").first
        assert number_cell.evaluate("e => getComputedStyle(e).whiteSpace") == "nowrap"
        expect(page.locator(".sla-counts")).to_contain_text("A tiempo: 1")
        official.click_and_wait(page.get_by_role("link", name=number))
        page.get_by_label("Asignar").select_option("mi")
        official.click_and_wait(page.get_by_role("button", name="Guardar asignación"))
        official.click_and_wait(page.get_by_role("button", name="Iniciar revisión"))
        open_box(official, "Pedir información al ciudadano")
        page.get_by_label("Qué necesita el ciudadano enviar").fill("Envíe el registro civil.")
        official.click_and_wait(page.get_by_role("button", name="Pedir información al ciudadano"))
    expect(page.locator(".panel--clock")).to_contain_text("en pausa desde")

    citizen_visitor = new_visitor()
    with clock.frozen(at("2026-03-05")):
        sign_in(citizen_visitor, "luz@example.co", None)
        citizen_visitor.goto(f"/mi-cuenta/solicitudes/{number}/")
        cpage = citizen_visitor.page
        expect(cpage.get_by_text("Envíe el registro civil.")).to_be_visible()
        cpage.get_by_label("Su respuesta").fill("Adjunto el registro civil.")
        citizen_visitor.click_and_wait(cpage.get_by_role("button", name="Enviar la información"))
    case.refresh_from_db()
    # Paused on the 3rd, answered on the 5th: two business days (4, 5) are given back.
    assert (case.paused_business_days, case.due_date.isoformat()) == (2, "2026-03-26")

    with clock.frozen(at("2026-03-06")):
        official.goto(f"/espacio/casos/{number}/")
        open_box(official, "Prorrogar el término")
        page.get_by_label("Nueva fecha de vencimiento").fill("2026-04-08")
        page.locator("#f-prorrogar-c").fill("Alto volumen de solicitudes de cupo.")
        official.click_and_wait(page.get_by_role("button", name="Prorrogar el término"))
        drafting = "Proyectar la respuesta y pasar a asignación de cupo"
        open_box(official, drafting)
        page.get_by_label("Texto de la respuesta").fill("Se asigna cupo en el Colegio Kennedy IED.")
        official.click_and_wait(page.get_by_role("button", name=drafting))
    case.refresh_from_db()
    assert case.due_date.isoformat() == "2026-04-08" and case.extended
    assert "Asignar cupo y responder" not in page.content()  # a handler cannot issue it

    boss = new_visitor()
    bpage = boss.page
    with clock.frozen(at("2026-03-09")):
        sign_in(boss, "ana@sed.gov.co", approver_secret)
        boss.goto("/espacio/")
        boss.click_and_wait(bpage.get_by_role("link", name="Respuestas por aprobar"))
        boss.click_and_wait(bpage.get_by_role("link", name=number))
        open_box(boss, "Asignar cupo y responder")
        expect(bpage.locator("#f-asignar_cupo-c")).to_have_value(
            "Se asigna cupo en el Colegio Kennedy IED."
        )
        boss.click_and_wait(bpage.get_by_role("button", name="Asignar cupo y responder"))
    case.refresh_from_db()
    assert case.is_closed
    route = route_texts(boss)
    for step in [
        "Radicado: Recibida",
        "Pedir información al ciudadano: En revisión → Esperando información del ciudadano",
        "Enviar la información pedida: Esperando información del ciudadano → En revisión",
        "Prorrogar el término",
        "Asignar cupo y responder: Asignación de cupo → Cerrada con respuesta",
    ]:
        assert step in route, step

    citizen_visitor.goto(f"/mi-cuenta/solicitudes/{number}/")
    cpage = citizen_visitor.page
    expect(cpage.get_by_text("Le respondimos.")).to_be_visible()
    with cpage.expect_download() as download:
        cpage.get_by_role("link", name="respuesta-SED-2026-S000001.pdf").click()
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF-")
    assert Case.objects.get(pk=case.pk).documents.filter(is_response=True).count() == 1
