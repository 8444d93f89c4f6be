"""An administrator edits a draft service version in the structured editor, on a phone and on
a desktop; every page passes axe."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from playwright.sync_api import expect

from tests import factories
from tests.browser.conftest import Visitor
from tests.catalog.fixtures import organisation_build, reference_service_import
from ventanilla.catalog.services import service_version_clone


def sign_in_administrator(visitor: Visitor, email: str, secret: str) -> None:
    page = visitor.page
    visitor.goto("/cuenta/login/?next=/admin/")
    page.get_by_label("Correo electrónico").fill(email)
    page.get_by_label("Contraseña").fill(factories.PASSWORD)
    visitor.click_and_wait(page.get_by_role("main").get_by_role("button", name="Iniciar sesión"))
    if time.time() % 30 > 25:  # never type a code about to expire
        time.sleep(30 - time.time() % 30 + 0.5)
    page.get_by_label("Código", exact=True).fill(factories.totp_code(secret))
    visitor.click_and_wait(page.get_by_role("main").get_by_role("button").first)


def test_an_administrator_changes_a_title_in_the_editor_on_a_phone_and_a_desktop(
    new_visitor: Callable[..., Visitor], tmp_path: Any
) -> None:
    organisation_build()
    service = reference_service_import(tmp_path)
    draft = service_version_clone(version=service.versions.get())
    staff = factories.user("admin@sed.gov.co", staff=True, is_superuser=True)
    secret = factories.enrol_totp(staff)
    url = f"/admin/catalog/serviceversion/{draft.pk}/change/"
    visitor = new_visitor(viewport={"width": 360, "height": 800})
    page = visitor.page
    # One sign-in: a TOTP code is accepted once, and a second device would need the next one.
    sign_in_administrator(visitor, "admin@sed.gov.co", secret)
    for width, title in ((360, "Cupo escolar (teléfono)"), (1280, "Cupo escolar (escritorio)")):
        page.set_viewport_size({"width": width, "height": 800})
        visitor.goto(url)
        title_es = page.locator("#ed-title-es")
        title_es.fill(title)
        # Nothing overflows the phone's width.
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        visitor.click_and_wait(page.get_by_role("button", name="Guardar borrador").first)
        expect(page.locator(".messagelist")).to_contain_text("se guardó")
        expect(title_es).to_have_value(title)
        draft.refresh_from_db()
        assert draft.definition["title"]["es"] == title
    # A row more without JavaScript: the page comes back at the new row, with what was typed.
    title_es.fill("Sin guardar")
    questions = page.locator("#ed-form-sections-0-fields")
    adding = questions.get_by_role("button", name="Añadir pregunta", exact=True)
    rows = int(page.locator("input[name='form.sections.0.fields.__rows']").input_value())
    visitor.press_and_wait(adding, "Enter")
    assert visitor.page.url.endswith(f"#ed-form-sections-0-fields-{rows}")
    expect(title_es).to_have_value("Sin guardar")
    new_row = page.locator(f"#ed-form-sections-0-fields-{rows}")
    expect(new_row).to_be_in_viewport()
    visitor.click_and_wait(
        new_row.get_by_role("button", name=f"Quitar pregunta {rows + 1}", exact=True)
    )
    expect(new_row).to_have_count(0)
    expect(title_es).to_have_value("Sin guardar")
    visitor.goto(f"/admin/catalog/serviceversion/{draft.pk}/yaml/")
    expect(page.get_by_label("Definición (YAML)")).to_contain_text("Cupo escolar (escritorio)")
