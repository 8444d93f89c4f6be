"""A citizen answers the satisfaction survey from the email that says their case closed, on a
360 px screen, and the approver reads the answer on the office's results page; a citizen served
at a desk answers from the invitation after their turn and sees the characters left. Every page
is checked by axe."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.core import mail
from playwright.sync_api import expect

from tests import factories
from tests.browser.test_journeys_filing import services  # noqa: F401
from tests.browser.test_journeys_workspace import at, sign_in
from tests.cases.test_case_file import file_one
from tests.catalog.fixtures import organisation  # noqa: F401
from ventanilla.cases.services import TransitionInput, case_transition
from ventanilla.catalog.models import Service
from ventanilla.core import clock
from ventanilla.organization.models import Dependency, Role, ServicePoint
from ventanilla.surveys.models import Invitation
from ventanilla.turns.models import TurnQueue
from ventanilla.turns.services import ticket_call_next, ticket_finish, ticket_issue, ticket_start

SHOTS = Path("/tmp/shots-surveys2")  # noqa: S108 - looked at by hand, never committed


def test_the_citizen_answers_from_the_closing_email_and_the_office_reads_it(
    new_visitor: Any,
    services: dict[str, Service],  # noqa: F811
) -> None:
    coverage = Dependency.objects.get(code="DIR-COBERTURA")
    handler = factories.official(coverage, Role.HANDLER)
    approver = factories.official(coverage, Role.APPROVER, email="ana@sed.gov.co")
    secret = factories.enrol_totp(approver)
    with clock.frozen(at("2026-03-02")):
        case = file_one(services["school_place"]).case
    with clock.frozen(at("2026-03-04")):
        case = case_transition(case=case, action="iniciar_revision", actor=handler)
        case = case_transition(
            case=case,
            action="negar",
            actor=approver,
            payload=TransitionInput(comment="No hay cupos en la localidad."),
        )
    (closing,) = [m for m in mail.outbox if "tiene respuesta" in m.subject]
    link = re.search(r"https?://\S+/encuesta/[\w-]+/", closing.body)
    assert link, closing.body
    path = urlsplit(link.group(0)).path

    citizen = new_visitor(viewport={"width": 360, "height": 800})
    page = citizen.page
    with clock.frozen(at("2026-03-05")):
        citizen.goto(path)
        expect(page.get_by_role("heading", level=1)).to_have_text("Encuesta de satisfacción")
        rating = page.get_by_role("group", name="¿Cómo califica la atención?")
        # The keyboard picks the rating: focus the first radio and move with the arrows.
        rating.get_by_label("5 · Excelente").focus()
        page.keyboard.press("ArrowDown")
        expect(rating.get_by_label("4 · Buena")).to_be_checked()
        page.get_by_role("group", name="¿Se resolvió su solicitud?").get_by_label(
            "En parte"
        ).check()
        page.get_by_label(re.compile("¿Quiere contarnos algo más?")).fill(
            "Me atendieron rápido, pero no entendí la razón."
        )
        citizen.click_and_wait(page.get_by_role("button", name="Enviar respuesta"))
        expect(page.get_by_role("heading", level=1)).to_have_text("Gracias por responder")
        expect(page.get_by_text("Ya respondió esta encuesta, gracias.")).to_be_visible()
        expect(
            page.get_by_role("button", name="Convertir mi comentario en una petición")
        ).to_be_visible()
    answer = Invitation.objects.get(case=case)
    assert (answer.rating, answer.solved) == (4, "partly")

    office = new_visitor(viewport={"width": 1280, "height": 900})
    with clock.frozen(at("2026-03-20")):
        sign_in(office, "ana@sed.gov.co", secret)
        office.goto("/espacio/encuestas/")
        expect(
            office.page.get_by_text("Me atendieron rápido, pero no entendí la razón.")
        ).to_be_visible()
        expect(office.page.get_by_role("link", name=case.filing_number)).to_be_visible()


def test_after_a_turn_the_comment_box_counts_the_characters_left(
    new_visitor: Any,
    services: dict[str, Service],  # noqa: F811
) -> None:
    point = ServicePoint.objects.get(code="SEDE")
    service = services["school_place"]
    TurnQueue.objects.create(point=point, service=service, prefix="A")
    official = factories.official(Dependency.objects.get(code="DIR-COBERTURA"), Role.HANDLER)
    with clock.frozen(at("2026-03-02")):
        ticket_issue(point=point, service=service, channel="kiosk", email="luis@example.co")
        ticket = ticket_call_next(point=point, desk="3", actor=official)
        assert ticket is not None
        ticket_finish(ticket=ticket_start(ticket=ticket, actor=official), actor=official)
    (invitation,) = [m for m in mail.outbox if "Sede central" in m.subject]
    link = re.search(r"https?://\S+/encuesta/[\w-]+/", invitation.body)
    assert link, invitation.body
    path = urlsplit(link.group(0)).path
    SHOTS.mkdir(exist_ok=True)
    for width in (1280, 360):
        citizen = new_visitor(viewport={"width": width, "height": 900})
        page = citizen.page
        with clock.frozen(at("2026-03-03")):
            citizen.goto(path)
            expect(page.get_by_text("su turno A-001 en Sede central")).to_be_visible()
            count = page.locator(".field__count")
            expect(count).to_have_text("Quedan 1000 caracteres")
            box = page.get_by_label(re.compile("¿Quiere contarnos algo más?"))
            box.focus()
            page.keyboard.type("Muy bien")
            expect(count).to_have_text("Quedan 992 caracteres")
            # The screen reader hears it once typing pauses.
            expect(page.locator("[aria-live=polite]").filter(has_text="Quedan")).to_have_text(
                "Quedan 992 caracteres"
            )
            citizen.check()
            page.screenshot(path=str(SHOTS / f"survey-turn-{width}.png"), full_page=True)
    page.get_by_role("group", name="¿Cómo califica la atención?").get_by_label(
        "5 · Excelente"
    ).check()
    page.get_by_role("group", name="¿Se resolvió su solicitud?").get_by_label("Sí").check()
    with clock.frozen(at("2026-03-03")):
        citizen.click_and_wait(page.get_by_role("button", name="Enviar respuesta"))
        expect(page.get_by_role("heading", level=1)).to_have_text("Gracias por responder")
    answer = Invitation.objects.get(ticket=ticket)
    assert (answer.rating, answer.solved, answer.channel) == (5, "yes", "in_person")
