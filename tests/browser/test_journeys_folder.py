"""The citizen's folder in a real browser, on a phone's width: a citizen files with their
identity document, files a second service reusing it with one click (no upload), finds it in
"Mis documentos", downloads the electronic file's index, and removes the document after a
confirmation. Every page is checked by axe."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.browser.conftest import Visitor
from tests.browser.test_journeys_filing import (
    fill_school_place,
    fill_school_place_sections,
    services,  # noqa: F401
    submit_and_read_receipt,
)
from tests.catalog.fixtures import organisation  # noqa: F401
from ventanilla.cases.models import Case
from ventanilla.catalog.models import Service
from ventanilla.documents.models import FolderDocument

SHOTS = os.environ.get("FOLDER_SCREENSHOTS", "")


def shot(visitor: Visitor, name: str) -> None:
    """Screenshots for a person to look at, when asked for (FOLDER_SCREENSHOTS=dir)."""
    if SHOTS:
        visitor.page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("width", [360, 1280])
def test_a_citizen_reuses_their_identity_document_then_removes_it(
    new_visitor: Any,
    services: dict[str, Service],  # noqa: F811
    width: int,
) -> None:
    factories.service_variant(services["school_place"], "otro-tramite")
    citizen = factories.user("ana@example.co", first_name="Ana", last_name="Rojas")
    visitor: Visitor = new_visitor(viewport={"width": width, "height": 900})
    page = visitor.page
    visitor.goto("/cuenta/login/")
    page.get_by_label("Correo electrónico").fill("ana@example.co")
    page.get_by_label("Contraseña").fill(factories.PASSWORD)
    visitor.click_and_wait(page.get_by_role("main").get_by_role("button", name="Iniciar sesión"))
    visitor.goto("/tramites/solicitud-cupo-escolar/radicar/")
    fill_school_place(visitor)
    first, _code = submit_and_read_receipt(visitor)

    visitor.goto("/tramites/otro-tramite/radicar/")
    fill_school_place_sections(visitor)
    reuse = page.get_by_label("Usar el que ya tiene: ti.pdf", exact=False)
    expect(reuse).to_be_checked()
    shot(visitor, f"documents-step-{width}")
    visitor.click_and_wait(page.get_by_role("button", name="Continuar"))  # the one click
    second, _code = submit_and_read_receipt(visitor)
    case = Case.objects.get(filing_number=second)
    assert case.applicant == citizen
    assert case.documents.get().sha256 == (
        Case.objects.get(filing_number=first).documents.get().sha256
    )

    visitor.goto("/mi-cuenta/")
    visitor.click_and_wait(page.get_by_role("link", name="Mis documentos"))
    expect(page.get_by_role("cell", name="Documento de identidad")).to_be_visible()
    expect(page.get_by_text("no vence")).to_be_visible()
    shot(visitor, f"folder-{width}")

    visitor.goto(f"/mi-cuenta/solicitudes/{second}/")
    expect(page.get_by_role("link", name="índice (PDF)")).to_be_visible()
    shot(visitor, f"case-{width}")

    visitor.goto("/mi-cuenta/documentos/")
    remove = page.get_by_role("link", name="Quitar ti.pdf")
    remove.focus()
    visitor.press_and_wait(remove)  # the keyboard reaches it
    shot(visitor, f"remove-{width}")
    visitor.click_and_wait(page.get_by_role("button", name="Sí, quitarlo"))
    expect(page.get_by_text("Quitamos ti.pdf de sus documentos.")).to_be_visible()
    assert not FolderDocument.objects.filter(owner=citizen).exists()
    assert case.documents.get().file.storage.exists(case.documents.get().file.name)
