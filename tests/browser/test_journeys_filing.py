"""Filing and tracking in a real browser: a citizen files with an upload, a guest files after
confirming their email, someone files an anonymous complaint, a case is tracked without
signing in, and the citizen answers an information request. Every page is checked by axe."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests import factories
from tests.browser.conftest import Visitor
from tests.catalog.fixtures import DEMO_CATALOG, REFERENCE, organisation  # noqa: F401
from tests.factories import pdf_bytes
from ventanilla.cases.models import Case
from ventanilla.cases.services import case_transition
from ventanilla.catalog.interchange import catalog_import
from ventanilla.catalog.models import Service
from ventanilla.notifications.models import Notification
from ventanilla.organization.models import Dependency, Role

PDF = pdf_bytes("prueba")


@pytest.fixture
def services(organisation: None, tmp_path: Path) -> dict[str, Service]:  # noqa: F811
    """The reference service (uploads, guests) and an anonymous-friendly complaint."""
    shutil.copy(DEMO_CATALOG / "_taxonomy.yaml", tmp_path)
    shutil.copy(DEMO_CATALOG / REFERENCE, tmp_path)
    (school_place,) = catalog_import(tmp_path)
    complaint = factories.service_variant(
        school_place,
        "queja-de-prueba",
        title={"es": "Queja de prueba", "en": "Test complaint"},
        filers=["citizen", "guest", "anonymous"],
        documents=[],
        templates=[],
        form={
            **school_place.versions.get().definition["form"],
            "sections": [
                {
                    "key": "queja",
                    "title": {"es": "Su queja", "en": "Your complaint"},
                    "fields": [
                        {
                            "key": "hechos",
                            "type": "long_text",
                            "label": {"es": "¿Qué pasó?", "en": "What happened?"},
                            "max": 2000,
                        },
                        {
                            "key": "fecha_hechos",
                            "type": "date",
                            "label": {"es": "¿Cuándo?", "en": "When?"},
                        },
                        {
                            "key": "lugar",
                            "type": "choice",
                            "label": {"es": "¿Dónde?", "en": "Where?"},
                            "choices": [
                                {
                                    "value": "colegio",
                                    "label": {"es": "En un colegio", "en": "At a school"},
                                },
                                {
                                    "value": "oficina",
                                    "label": {"es": "En una oficina", "en": "At an office"},
                                },
                            ],
                        },
                    ],
                }
            ],
        },
    )
    return {"school_place": school_place, "complaint": complaint}


def fill_student_page(visitor: Visitor) -> None:
    """The school-place form's first page: the student."""
    page = visitor.page
    page.get_by_label("Nombres y apellidos del estudiante").fill("Sofía Ramírez")
    page.get_by_label("Documento del estudiante: tipo de documento").select_option("TI")
    page.get_by_label("Documento del estudiante: número").fill("1012345678")
    page.get_by_label("Fecha de nacimiento").fill("2015-04-03")
    page.get_by_label("Primero", exact=True).check()
    visitor.click_and_wait(page.get_by_role("button", name="Continuar"))


def fill_school_place_sections(visitor: Visitor) -> None:
    """The school-place form's questions, up to its documents step."""
    page = visitor.page
    fill_student_page(visitor)
    page.get_by_label("De un colegio privado de la ciudad").check()
    page.locator("#id_tiene_hermanos_1").check()
    page.locator("#id_discapacidad_1").check()
    visitor.click_and_wait(page.get_by_role("button", name="Continuar"))
    page.get_by_label("Dirección de la vivienda: dirección").fill("Calle 38 Sur No. 72-15")
    page.get_by_label("Dirección de la vivienda: localidad").select_option("08")
    page.get_by_label("Teléfono de contacto").fill("3001234567")
    visitor.click_and_wait(page.get_by_role("button", name="Continuar"))
    # Schools and priority: no season is open here, so nothing to rank and no group.
    visitor.click_and_wait(page.get_by_role("button", name="Continuar"))


def fill_school_place(visitor: Visitor) -> None:
    page = visitor.page
    fill_school_place_sections(visitor)
    page.get_by_label("Documento de identidad del estudiante").set_input_files(
        files=[{"name": "ti.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    visitor.click_and_wait(page.get_by_role("button", name="Continuar"))
    expect(
        page.get_by_role("heading", name="Revise sus respuestas antes de enviar")
    ).to_be_visible()
    expect(page.get_by_text("Sofía Ramírez")).to_be_visible()


def submit_and_read_receipt(visitor: Visitor) -> tuple[str, str]:
    page = visitor.page
    consent = page.locator("#consent")
    if consent.count():
        consent.focus()
        page.keyboard.press("Space")  # the keyboard works for the consent box
    visitor.click_and_wait(page.get_by_role("button", name="Enviar solicitud"))
    number = page.locator(".receipt__number").inner_text().strip()
    code = page.locator(".receipt__code").inner_text().strip()
    assert re.fullmatch(r"SED-\d{4}-\d{6}", number), number
    return number, code


def test_a_citizen_files_with_an_upload_and_answers_an_information_request(
    visitor: Visitor, services: dict[str, Service]
) -> None:
    citizen = factories.user("ana@example.co", first_name="Ana", last_name="Rojas")
    page = visitor.page
    visitor.goto("/cuenta/login/")
    page.get_by_label("Correo electrónico").fill("ana@example.co")
    page.get_by_label("Contraseña").fill(factories.PASSWORD)
    visitor.click_and_wait(page.get_by_role("main").get_by_role("button", name="Iniciar sesión"))
    visitor.goto("/tramites/solicitud-cupo-escolar/")
    visitor.click_and_wait(page.get_by_role("link", name="Iniciar en línea"))
    # An error keeps what was typed.
    page.get_by_label("Nombres y apellidos del estudiante").fill("Sofía Ramírez")
    visitor.click_and_wait(page.get_by_role("button", name="Continuar"))
    expect(page.locator(".error-summary")).to_be_visible()
    expect(page.get_by_label("Nombres y apellidos del estudiante")).to_have_value("Sofía Ramírez")
    fill_school_place(visitor)
    number, _code = submit_and_read_receipt(visitor)
    case = Case.objects.get(filing_number=number)
    assert case.applicant == citizen and case.documents.count() == 1
    # The receipt leads to her own case, with what she asked, not to the public status.
    expect(page.get_by_text("Le avisaremos cada cambio.", exact=False)).to_be_visible()
    visitor.click_and_wait(page.get_by_role("link", name="Ver su solicitud"))
    assert urlsplit(page.url).path == f"/mi-cuenta/solicitudes/{number}/"
    answers = page.get_by_role("region", name="Lo que nos pidió")
    expect(answers.get_by_text("Sofía Ramírez")).to_be_visible()

    factories.information_requested(case, "Adjunte el último boletín de notas.")
    visitor.goto("/mi-cuenta/solicitudes/?estado=waiting")
    visitor.click_and_wait(page.get_by_role("link", name=number))
    expect(page.get_by_text("Adjunte el último boletín de notas.")).to_be_visible()
    page.get_by_label("Su respuesta").fill("Adjunto el boletín.")
    page.get_by_label("Adjuntar documentos (opcional)").set_input_files(
        files=[{"name": "boletin.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    visitor.click_and_wait(page.get_by_role("button", name="Enviar la información"))
    expect(page.get_by_text("Recibimos la información que nos envió.")).to_be_visible()
    case.refresh_from_db()
    assert not case.is_paused and case.documents.count() == 2


def test_a_guest_files_then_anyone_tracks_it_with_number_and_code(
    new_visitor: Any, services: dict[str, Service]
) -> None:
    guest = new_visitor()
    page = guest.page
    guest.goto("/tramites/solicitud-cupo-escolar/radicar/")
    guest.click_and_wait(page.get_by_role("button", name="Continuar sin cuenta"))
    page.get_by_label("Nombre completo").fill("Marta Díaz")
    page.get_by_label("Correo electrónico").fill("marta@example.co")
    guest.click_and_wait(page.get_by_role("button", name="Enviarme el código"))
    code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body)
    assert code
    page.get_by_label("Código que le enviamos").fill(code.group(1))
    guest.click_and_wait(page.get_by_role("button", name="Confirmar mi correo"))
    fill_school_place(guest)
    number, verification = submit_and_read_receipt(guest)
    assert Case.objects.get(filing_number=number).filer_kind == "guest"

    stranger = new_visitor()
    page = stranger.page
    stranger.goto("/seguimiento/")
    page.get_by_label("Número de radicado").fill(number)
    page.get_by_label("Código de verificación").fill("AAAAA-AAAAA")
    stranger.click_and_wait(page.get_by_role("button", name="Consultar"))
    expect(
        page.get_by_text("No encontramos una solicitud con ese número y ese código")
    ).to_be_visible()
    page.get_by_label("Código de verificación").fill(verification)
    stranger.click_and_wait(page.get_by_role("button", name="Consultar"))
    expect(page.get_by_role("heading", name=f"Solicitud {number}")).to_be_visible()
    expect(page.get_by_text("Recibimos su solicitud.")).to_be_visible()
    expect(page.get_by_text("Marta")).to_have_count(0)  # nothing about the person

    # The official asks for something; the guest answers from the link in her email.
    case = factories.information_requested(
        Case.objects.get(filing_number=number), "Envíe un recibo de servicio público."
    )
    notice = Notification.objects.get(
        reference=number, event="information_requested", channel="email"
    )
    link = urlsplit(notice.context["tracking_path"]).path
    mailbox = new_visitor()
    page = mailbox.page
    mailbox.goto(link)
    expect(page.get_by_text("Envíe un recibo de servicio público.")).to_be_visible()
    page.get_by_label("Su respuesta").fill("Adjunto el recibo.")
    page.get_by_label("Adjuntar documentos (opcional)").set_input_files(
        files=[{"name": "recibo.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    mailbox.click_and_wait(page.get_by_role("button", name="Enviar la información"))
    expect(page.get_by_text("Recibimos la información que nos envió.")).to_be_visible()
    assert not Case.objects.get(pk=case.pk).is_paused


def test_an_anonymous_complaint(visitor: Visitor, services: dict[str, Service]) -> None:
    page = visitor.page
    visitor.goto("/tramites/queja-de-prueba/")
    visitor.click_and_wait(page.get_by_role("link", name="Iniciar en línea"))
    visitor.click_and_wait(page.get_by_role("button", name="Continuar de forma anónima"))
    page.get_by_label("¿Qué pasó?").fill("Cobraron por un cupo en la entrada del colegio.")
    page.get_by_label("¿Cuándo?").fill("2026-03-02")
    page.get_by_label("En un colegio").check()
    visitor.click_and_wait(page.get_by_role("button", name="Continuar"))
    expect(page.get_by_text("Está radicando de forma anónima")).to_be_visible()
    number, code = submit_and_read_receipt(visitor)
    case = Case.objects.get(filing_number=number)
    assert (case.filer_kind, case.applicant, case.contact_email) == ("anonymous", None, "")
    assert code
    # Nobody to write to: no promise of notices, and the way to follow it instead.
    expect(page.get_by_text("no podremos avisarle de los cambios", exact=False)).to_be_visible()
    expect(page.get_by_text("Le avisaremos cada cambio", exact=False)).to_have_count(0)
    visitor.click_and_wait(page.get_by_role("link", name="Ver el estado de la solicitud"))
    assert urlsplit(page.url).path == f"/seguimiento/{number}/"


def test_the_catalogue_search_and_a_service_page_fit_a_phone(
    new_visitor: Any, services: dict[str, Service]
) -> None:
    phone = new_visitor(viewport={"width": 320, "height": 640})
    page = phone.page
    phone.goto("/")
    page.get_by_role("searchbox", name="¿Qué necesita hacer?").fill("matricula")
    phone.press_and_wait(page.get_by_role("searchbox", name="¿Qué necesita hacer?"))
    expect(
        page.get_by_role("link", name="Solicitud de cupo escolar para estudiantes nuevos")
    ).to_be_visible()
    page.locator("summary", has_text="Filtrar resultados").click()
    page.get_by_label("Cómo se hace").select_option("phone")
    phone.click_and_wait(page.get_by_role("button", name="Aplicar filtros"))
    expect(page.locator(".filters")).to_have_attribute("open", "")
    phone.click_and_wait(
        page.get_by_role("link", name="Solicitud de cupo escolar para estudiantes nuevos")
    )
    for path in [
        "/tramites/",
        "/en/services/solicitud-cupo-escolar/",
        "/tramites/solicitud-cupo-escolar/?localidad=08",
    ]:
        phone.goto(path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 320, (path, width)


def test_the_citizens_own_pages_fit_a_phone(new_visitor: Any, services: dict[str, Service]) -> None:
    from tests.cases.test_case_file import file_one

    citizen = factories.user("ana@example.co", first_name="Ana", last_name="Rojas")
    filed = [
        file_one(services["school_place"], filer_kind="citizen", applicant=citizen, contact=None)
        for _ in range(3)
    ]
    number = filed[0].case.filing_number
    phone = new_visitor(viewport={"width": 320, "height": 640})
    page = phone.page
    phone.goto("/cuenta/login/")
    page.get_by_label("Correo electrónico").fill("ana@example.co")
    page.get_by_label("Contraseña").fill(factories.PASSWORD)
    phone.click_and_wait(page.get_by_role("main").get_by_role("button", name="Iniciar sesión"))
    for path in ["/mi-cuenta/solicitudes/", f"/mi-cuenta/solicitudes/{number}/", "/mi-cuenta/"]:
        phone.goto(path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 320, (path, width)
    phone.goto("/mi-cuenta/solicitudes/")
    # Each request reads as a small card: the column's name beside each value.
    first = page.locator("tbody tr").first
    expect(first.get_by_role("cell", name=re.compile("Solicitud de cupo escolar"))).to_be_visible()
    status = page.evaluate(
        "getComputedStyle(document.querySelector('td[data-label]'), '::before').content"
    )
    assert status == '"Trámite: "', status


def test_the_tracking_page_shows_a_change_by_itself(
    visitor: Visitor, services: dict[str, Service], monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.cases.test_case_file import file_one
    from ventanilla.portal import case_display

    monkeypatch.setattr(case_display, "LIVE_POLL_SECONDS", 1)
    filing = file_one(services["school_place"])
    number = filing.case.filing_number
    page = visitor.page
    visitor.goto("/seguimiento/")
    page.get_by_label("Número de radicado").fill(number)
    page.get_by_label("Código de verificación").fill(filing.verification_code)
    visitor.click_and_wait(page.get_by_role("button", name="Consultar"))
    expect(page.get_by_text("Estamos revisando su solicitud")).to_have_count(0)
    handler = factories.official(Dependency.objects.get(code="DIR-COBERTURA"), Role.HANDLER)
    case_transition(case=filing.case, action="iniciar_revision", actor=handler)
    # No reload: the page asks every second and swaps in the new status.
    status = page.locator("#case-status").get_by_text("Estamos revisando su solicitud", exact=True)
    expect(status).to_be_visible(timeout=6_000)
    assert visitor.path == f"/seguimiento/{number}/"
