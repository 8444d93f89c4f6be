"""Safe uploads in the browser: a file too big is refused on the step that asks it and a renamed
program on the documents step, said in words, with the answers kept; the pages stay accessible
on a phone and on a desktop."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.browser.conftest import Visitor
from tests.browser.test_journeys_filing import (  # noqa: F401
    fill_school_place_sections,
    services,
)
from tests.catalog.fixtures import organisation  # noqa: F401
from ventanilla.catalog.models import Service

SHOTS = os.environ.get("SCREENSHOTS_DIR", "")


@pytest.mark.parametrize("width", [360, 1280])
def test_a_renamed_program_and_a_file_too_big_are_refused_where_they_are_asked(
    new_visitor: Callable[..., Visitor],
    services: dict[str, Service],  # noqa: F811
    width: int,
    tmp_path: Path,
) -> None:
    factories.user("ana@example.co")
    visitor = new_visitor(viewport={"width": width, "height": 900})
    page = visitor.page
    visitor.goto("/cuenta/login/")
    page.get_by_label("Correo electrónico").fill("ana@example.co")
    page.get_by_label("Contraseña").fill(factories.PASSWORD)
    visitor.click_and_wait(page.get_by_role("main").get_by_role("button", name="Iniciar sesión"))
    visitor.goto("/tramites/solicitud-cupo-escolar/radicar/")
    fill_school_place_sections(visitor)
    # The utility bill is asked on the home's page: one too big is refused there, in words,
    # and what was typed on the page stays.
    visitor.goto("/tramites/solicitud-cupo-escolar/radicar/paso/vivienda/")
    big = tmp_path / "recibo.pdf"
    big.write_bytes(factories.pdf_bytes(size=11 * 1024 * 1024))
    bill = page.get_by_label("Recibo de un servicio público (opcional)")
    bill.set_input_files(big, timeout=60_000)
    visitor.click_and_wait(page.get_by_role("button", name="Continuar"))
    expect(page.locator(".error-summary")).to_be_visible()
    expect(page.get_by_text("El archivo pesa más de 10 MB").first).to_be_visible()
    expect(page.get_by_label("Teléfono de contacto")).to_have_value("3001234567")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / f"home-refused-{width}.png"), full_page=True)
    # A program renamed as a PDF is refused on the documents step.
    visitor.goto("/tramites/solicitud-cupo-escolar/radicar/documentos/")
    student = page.get_by_label("Documento de identidad del estudiante")
    student.set_input_files(
        files=[{"name": "foto\u202egpj.pdf", "mimeType": "application/pdf", "buffer": b"MZ\x90"}]
    )
    visitor.click_and_wait(page.get_by_role("button", name="Continuar"))
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(
        page.get_by_text("El archivo es un programa o un archivo comprimido").first
    ).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / f"documents-refused-{width}.png"), full_page=True)
    # The answers of the earlier steps are still there.
    visitor.goto("/tramites/solicitud-cupo-escolar/radicar/paso/estudiante/")
    expect(page.get_by_label("Nombres y apellidos del estudiante")).to_have_value("Sofía Ramírez")
