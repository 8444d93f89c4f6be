"""The form keeps every answer, in a real browser: a question an earlier answer hides is not
shown (and not kept when it was typed before the answer changed), a long answer counts its
characters, and a file question inside a step uploads there, reads on the review page under its
question, is not asked again on the documents page and reaches the case."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from playwright.sync_api import expect

from tests import factories
from tests.browser.conftest import Visitor
from tests.browser.test_journeys_filing import (  # noqa: F401
    PDF,
    fill_student_page,
    services,
    submit_and_read_receipt,
)
from tests.cases.test_case_file import file_one
from tests.catalog.fixtures import organisation  # noqa: F401
from ventanilla.cases.models import Case, FilerKind
from ventanilla.catalog.models import Service
from ventanilla.core import clock


def _sign_in(visitor: Visitor, email: str) -> None:
    page = visitor.page
    visitor.goto("/cuenta/login/")
    page.get_by_label("Correo electrónico").fill(email)
    page.get_by_label("Contraseña").fill(factories.PASSWORD)
    visitor.click_and_wait(page.get_by_role("main").get_by_role("button", name="Iniciar sesión"))


def test_conditional_questions_and_a_file_inside_a_step(
    new_visitor: Any,
    services: dict[str, Service],  # noqa: F811
) -> None:
    citizen = factories.user("ana@example.co", first_name="Ana", last_name="Rojas")
    visitor = new_visitor(viewport={"width": 360, "height": 800})
    page = visitor.page
    _sign_in(visitor, "ana@example.co")
    visitor.goto("/tramites/solicitud-cupo-escolar/")
    visitor.click_and_wait(page.get_by_role("link", name="Iniciar en línea"))
    fill_student_page(visitor)

    # The country is asked only of a student who comes from another country.
    country = page.get_by_label("País de donde viene")
    expect(country).to_be_hidden()
    page.get_by_label("De otro país").check()
    expect(country).to_be_visible()
    country.fill("Venezuela")
    page.get_by_label("De un colegio privado de la ciudad").check()
    expect(country).to_be_hidden()
    support = page.get_by_label("Cuéntenos qué apoyos necesita")
    expect(support).to_be_hidden()
    page.locator("#id_discapacidad_0").check()
    expect(support).to_be_visible()
    support.fill("Rampa de acceso")
    expect(page.get_by_text("Quedan 985 caracteres")).to_be_visible()
    page.locator("#id_tiene_hermanos_1").check()
    visitor.click_and_wait(page.get_by_role("button", name="Continuar"))

    # The utility bill is a question of the home's page: it uploads here.
    page.get_by_label("Dirección de la vivienda: dirección").fill("Calle 38 Sur No. 72-15")
    page.get_by_label("Dirección de la vivienda: localidad").select_option("08")
    page.get_by_label("Teléfono de contacto").fill("3001234567")
    page.get_by_label("Recibo de un servicio público").set_input_files(
        files=[{"name": "recibo-agua.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    visitor.click_and_wait(page.get_by_role("button", name="Continuar"))
    visitor.click_and_wait(page.get_by_role("button", name="Continuar"))  # schools: none open

    # The documents page asks only what no question asked.
    expect(page.get_by_label("Documento de identidad del estudiante")).to_be_visible()
    expect(page.get_by_text("Recibo de un servicio público de la vivienda")).to_have_count(0)
    page.get_by_label("Documento de identidad del estudiante").set_input_files(
        files=[{"name": "ti.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    visitor.click_and_wait(page.get_by_role("button", name="Continuar"))

    # The review: the file under its question, the date in words, no hidden answer.
    home = page.get_by_role("region", name="Vivienda")
    expect(home.get_by_text("recibo-agua.pdf")).to_be_visible()
    expect(page.get_by_text("3 de abril de 2015")).to_be_visible()
    expect(page.get_by_text("Rampa de acceso")).to_be_visible()
    expect(page.get_by_text("Venezuela")).to_have_count(0)
    number, _code = submit_and_read_receipt(visitor)

    case = Case.objects.get(filing_number=number)
    assert case.applicant == citizen
    assert sorted(d.key for d in case.documents.all()) == [
        "documento_estudiante",
        "recibo_servicio",
    ]
    assert case.answers["recibo"] == "recibo_servicio"
    assert "pais_origen" not in case.answers and case.answers["apoyos"] == "Rampa de acceso"


def test_an_overdue_case_says_so_on_the_citizens_phone(
    new_visitor: Any,
    services: dict[str, Service],  # noqa: F811
) -> None:
    """Past its due date, the citizen's own case says it is overdue and what she can do (write,
    or complain about the delay); the route's tamper check waits behind a link."""
    citizen = factories.user("ana@example.co", first_name="Ana", last_name="Rojas")
    Service.objects.filter(pk=services["complaint"].pk).update(petition_type="complaint")
    filing = file_one(
        services["school_place"],
        filer_kind=FilerKind.CITIZEN,
        applicant=citizen,
        contact=None,
    )
    case = filing.case
    Case.objects.filter(pk=case.pk).update(due_date=clock.now().date() - timedelta(days=3))
    visitor = new_visitor(viewport={"width": 360, "height": 800})
    page = visitor.page
    _sign_in(visitor, "ana@example.co")
    visitor.goto(f"/mi-cuenta/solicitudes/{case.filing_number}/")
    expect(page.get_by_role("heading", name="Su solicitud está vencida")).to_be_visible()
    expect(page.get_by_role("link", name="Presente una queja por la demora")).to_be_visible()
    expect(page.get_by_text("Recibimos su solicitud", exact=True)).to_have_count(0)
    expect(page.get_by_text("Vencida: aún no le hemos respondido")).to_be_visible()
    tamper = page.get_by_text("Comprobar que nadie cambió el recorrido")
    expect(page.locator(".chain-head")).to_be_hidden()
    tamper.click()
    expect(page.locator(".chain-head")).to_be_visible()
    visitor.click_and_wait(page.get_by_role("link", name="Presente una queja por la demora"))
    assert page.url.endswith("/tramites/queja-de-prueba/")
