"""A case filed at the counter for someone whose account nobody has verified: the official sees
why it stays with the contact details, and the citizen, on a phone, adds it to her account with
the number and code — by keyboard alone. Every page is checked by axe."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from tests import factories
from tests.browser.test_journeys_filing import services  # noqa: F401
from tests.browser.test_journeys_workspace import sign_in
from tests.cases.test_case_file import file_one
from tests.catalog.fixtures import organisation  # noqa: F401
from ventanilla.cases.filing import Contact
from ventanilla.cases.models import Case, FilingChannel
from ventanilla.catalog.models import Service
from ventanilla.organization.models import Dependency, Role

PHONE = {"width": 360, "height": 740}
SHOTS = os.environ.get("SCREENSHOTS_DIR")


def shot(page: Any, name: str) -> None:
    """Keep a full-page screenshot when SCREENSHOTS_DIR is set (for a person to look at)."""
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def test_a_counter_case_reaches_the_account_by_its_number_and_code(
    new_visitor: Any,
    services: dict[str, Service],  # noqa: F811
) -> None:
    coverage = Dependency.objects.get(code="DIR-COBERTURA")
    handler = factories.official(coverage, Role.HANDLER, email="hugo@sed.gov.co")
    secret = factories.enrol_totp(handler)
    # Luz typed her number at signup; nobody verified it.
    factories.user("luz@example.co", first_name="Luz", id_type="CC", id_number="52123456")
    filing = file_one(
        services["school_place"],
        contact=Contact(name="Luz Rojas", phone="3001234567", id_type="CC", id_number="52123456"),
        filed_by=handler,
        channel=FilingChannel.IN_PERSON,
    )
    number, code = filing.case.filing_number, filing.verification_code

    official = new_visitor(viewport={"width": 1280, "height": 900})
    sign_in(official, "hugo@sed.gov.co", secret)
    official.goto("/espacio/radicar/solicitud-cupo-escolar/")
    seen = official.page.get_by_label("Tuve en mis manos el documento de identidad original")
    expect(seen).not_to_be_checked()
    shot(official.page, "assisted-file-1280")

    citizen = new_visitor(viewport=PHONE, is_mobile=True)
    page = citizen.page
    sign_in(citizen, "luz@example.co", None)
    citizen.goto("/mi-cuenta/")
    expect(page.get_by_text("Su documento de identidad no está verificado")).to_be_visible()
    citizen.goto("/mi-cuenta/solicitudes/")
    expect(page.get_by_role("link", name=number)).to_have_count(0)
    citizen.press_and_wait(page.get_by_role("link", name="Agregue esa solicitud a su cuenta"))
    page.get_by_label("Número de radicado").fill(number)
    page.get_by_label("Código de verificación").fill("AAAAA-AAAAA")
    citizen.press_and_wait(page.get_by_label("Código de verificación"))
    expect(page.get_by_role("alert")).to_contain_text("No encontramos una solicitud")
    expect(page.get_by_label("Número de radicado")).to_have_value(number)
    shot(page, "claim-error-360")
    page.get_by_label("Código de verificación").fill(code.lower())
    citizen.press_and_wait(page.get_by_label("Código de verificación"))
    assert citizen.path == f"/mi-cuenta/solicitudes/{number}/"
    expect(page.get_by_text("La solicitud quedó en su cuenta.")).to_be_visible()
    shot(page, "claimed-case-360")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert Case.objects.get().applicant is not None
