"""A school place in a real browser: a guardian reads the season's rules, applies in stage 1
with a priority group and ranked schools (sharing the home's location with the button), and —
after the real allocation runs — reads the result with its reason on the case page, accepts
the place and formalises the enrolment from a phone. Every page passes axe at 360 and 1280 px.
"""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

from PIL import Image
from playwright.sync_api import expect

from tests import factories
from tests.browser.conftest import Visitor
from tests.browser.test_journeys_counter import PHONE, shot
from tests.browser.test_journeys_filing import submit_and_read_receipt
from tests.browser.test_journeys_workspace import sign_in
from tests.catalog.fixtures import organisation, reference_service  # noqa: F401
from tests.places.conftest import ALLOCATION_DAY, NOW, PDF
from tests.places.conftest import season as season
from ventanilla.core import clock
from ventanilla.places.allocating import allocation_run, results_announce
from ventanilla.places.models import Application, Assignment, Evidence, Season
from ventanilla.places.services import evidence_review

WIDE = {"width": 1280, "height": 900}
HOME = {"latitude": 4.6285, "longitude": -74.1505}  # next door to Colegio Alameda
EMAIL = "paula@example.co"


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(out, "PNG")
    return out.getvalue()


def _apply(visitor: Visitor, slug: str) -> str:
    """Through the portal's form, with the home's location, three schools and a group."""
    page = visitor.page
    visitor.goto(f"/tramites/{slug}/radicar/")
    page.get_by_label("Nombres y apellidos del estudiante").fill("Sofía Ramírez")
    page.get_by_label("Documento del estudiante: tipo de documento").select_option("TI")
    page.get_by_label("Documento del estudiante: número").fill("1012345678")
    page.get_by_label("Fecha de nacimiento").fill("2020-04-03")
    page.get_by_label("Primero", exact=True).check()
    visitor.click_and_wait(page.get_by_role("button", name="Continuar"))
    page.get_by_label("De un colegio privado de la ciudad").check()
    page.locator("#id_tiene_hermanos_1").check()
    page.locator("#id_discapacidad_1").check()
    visitor.click_and_wait(page.get_by_role("button", name="Continuar"))
    page.get_by_label("Dirección de la vivienda: dirección").fill("Calle 38 Sur No. 72-15")
    page.get_by_label("Dirección de la vivienda: localidad").select_option("08")
    page.get_by_label("Teléfono de contacto").fill("3001234567")
    page.get_by_role("button", name="Usar la ubicación de mi vivienda").click()
    expect(page.get_by_role("status")).to_contain_text("guardamos la ubicación de su vivienda")
    assert page.locator("input[name=direccion__lat]").input_value() == "4.628500"
    visitor.check()  # the button and its live region pass axe too
    shot(page, "places-home-button")
    visitor.click_and_wait(page.get_by_role("button", name="Continuar"))
    # Nearest home first, with the distance.
    first_choice = page.get_by_label("1.ª opción")
    expect(first_choice.locator("option").nth(1)).to_contain_text("Colegio Alameda")
    first_choice.select_option("COL-A:manana")
    page.get_by_label("2.ª opción").select_option("COL-B:manana")
    page.get_by_label("3.ª opción").select_option("COL-C:manana")
    evidence = page.get_by_label("Soporte del grupo prioritario")
    expect(evidence).to_be_hidden()
    page.get_by_label("Víctima del conflicto armado").check()
    # The group's evidence is asked right here, once a group is chosen.
    pdf = {"mimeType": "application/pdf", "buffer": PDF}
    evidence.set_input_files(files=[{"name": "ruv.pdf", **pdf}])
    visitor.click_and_wait(page.get_by_role("button", name="Continuar"))
    page.get_by_label("Documento de identidad del estudiante").set_input_files(
        files=[{"name": "ti.pdf", **pdf}]
    )
    visitor.click_and_wait(page.get_by_role("button", name="Continuar"))
    number, _code = submit_and_read_receipt(visitor)
    return number


def test_a_guardian_applies_reads_the_rules_and_accepts_and_formalises_the_place(
    new_visitor: Any,
    season: Season,
) -> None:
    factories.user(EMAIL, first_name="Paula", last_name="Ramírez")
    slug = season.service.slug
    with clock.frozen(NOW):
        wide = new_visitor(viewport=WIDE, geolocation=HOME, permissions=["geolocation"])
        sign_in(wide, EMAIL, None)
        wide.goto("/cupos/")
        wide.click_and_wait(wide.page.get_by_role("link", name="Cupos escolares para el año 2027"))
        expect(wide.page.get_by_role("heading", level=1)).to_have_text(
            "Cupos escolares para el año 2027"
        )
        expect(wide.page.get_by_text("primeros 8 bytes del SHA-256")).to_be_visible()
        shot(wide.page, "places-season-1280")
        number = _apply(wide, slug)
        wide.goto(f"/mi-cuenta/solicitudes/{number}/")
        panel = wide.page.locator("#cupo")
        expect(panel).to_contain_text("Víctima del conflicto armado")
        expect(panel).to_contain_text("por verificar")
        shot(wide.page, "places-case-applied-1280")

    application = Application.objects.get(case__filing_number=number)
    assert application.home_located and application.group == "victima"
    assert [c.offer.point.code for c in application.choices.order_by("rank")] == [
        "COL-A",
        "COL-B",
        "COL-C",
    ]
    with clock.frozen(NOW + timedelta(days=1)):
        evidence_review(
            application=application, approved=True, note="", actor=factories.user(staff=True)
        )
    assert Application.objects.get(pk=application.pk).evidence == Evidence.APPROVED
    with clock.frozen(ALLOCATION_DAY):
        allocation_run(season=season, dry_run=False, actor=None)
        results_announce()

    with clock.frozen(ALLOCATION_DAY + timedelta(days=1)):
        phone = new_visitor(viewport=PHONE, is_mobile=True)
        page = phone.page
        sign_in(phone, EMAIL, None)
        phone.goto(f"/mi-cuenta/solicitudes/{number}/")
        panel = page.locator("#cupo")
        expect(panel).to_contain_text("Le asignamos su 1.ª opción: Colegio Alameda")
        expect(panel).to_contain_text("Acepte el cupo a más tardar el")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        shot(page, "places-case-result-360")
        phone.click_and_wait(page.get_by_role("button", name="Aceptar el cupo"))
        expect(page.get_by_role("status").first).to_contain_text("Aceptó el cupo")
        page.get_by_label("Documentos de la matrícula").set_input_files(
            files=[
                {"name": "matricula.pdf", "mimeType": "application/pdf", "buffer": PDF},
                {"name": "foto.png", "mimeType": "image/png", "buffer": _png()},
            ]
        )
        shot(page, "places-case-formalise-360")
        phone.click_and_wait(page.get_by_role("button", name="Enviar y formalizar"))
        expect(page.locator("#cupo")).to_contain_text("matrícula formalizada")
        expect(page.get_by_role("link", name="matricula.pdf")).to_be_visible()
        shot(page, "places-case-formalised-360")
        wide.goto(f"/mi-cuenta/solicitudes/{number}/")
        shot(wide.page, "places-case-formalised-1280")
        phone.goto("/cupos/2027/?localidad=08&grado=primero")
        expect(page.get_by_role("cell", name="menos de 5").first).to_be_visible()
        shot(page, "places-season-360")
    assignment = Assignment.objects.get(application=application)
    assert assignment.state == Assignment.State.FORMALISED
