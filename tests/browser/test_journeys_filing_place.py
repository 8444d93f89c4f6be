"""Choosing where a request is handled, on a phone and by keyboard: narrow the schools by
locality, choose one, go on; the page passes axe at 360 and 1280 px."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from tests import factories
from tests.api.test_api_places import routed_variant
from tests.browser.test_journeys_counter import PHONE, shot
from tests.browser.test_journeys_filing import services  # noqa: F401
from tests.browser.test_journeys_workspace import sign_in
from tests.catalog.fixtures import organisation  # noqa: F401
from tests.portal.test_filing_place import more_schools
from ventanilla.cases.models import FilingDraft
from ventanilla.catalog.models import Service

PLACE = "/tramites/certificado-en-el-colegio/radicar/donde/"


def test_a_parent_on_a_phone_finds_and_chooses_the_school(
    new_visitor: Any,
    services: dict[str, Service],  # noqa: F811
) -> None:
    routed_variant(services["school_place"], "certificado-en-el-colegio", "service_point")
    more_schools(30)
    factories.user("luz@example.co", first_name="Luz")
    wide = new_visitor(viewport={"width": 1280, "height": 900})
    sign_in(wide, "luz@example.co", None)
    wide.goto(PLACE)
    shot(wide.page, "place-1280")

    phone = new_visitor(viewport=PHONE, is_mobile=True)
    page = phone.page
    sign_in(phone, "luz@example.co", None)
    phone.goto(PLACE)
    expect(page.get_by_role("status")).to_contain_text("Encontramos 31 lugares")
    page.get_by_label("Localidad").select_option(label="Kennedy")
    phone.press_and_wait(page.get_by_label("Nombre del colegio o del punto (opcional)"))
    expect(page.get_by_role("status")).to_contain_text("Encontramos 1 lugar.")
    phone.press_and_wait(page.get_by_role("button", name="Continuar"))  # nothing chosen yet
    expect(page.get_by_role("alert")).to_contain_text("Elija el colegio o el punto de atención.")
    shot(page, "place-error-360")
    page.get_by_label("Colegio Kennedy IED", exact=False).check()
    phone.press_and_wait(page.get_by_role("button", name="Continuar"))
    assert phone.path.endswith("/radicar/documentos/")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert FilingDraft.objects.get().place == {"service_point": "IED-0001"}
