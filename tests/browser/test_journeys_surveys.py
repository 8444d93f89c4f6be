"""A citizen answers the satisfaction survey from the email that says their case closed, on a
360 px screen, and the approver reads the answer on the office's results page. Every page is
checked by axe."""

from __future__ import annotations

import re
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
from ventanilla.organization.models import Dependency, Role
from ventanilla.surveys.models import Invitation


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
