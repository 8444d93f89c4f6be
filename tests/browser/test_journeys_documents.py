"""Issued documents in a browser: the citizen's answer and receipt, a page that says "signing…"
and updates itself when the document is ready, and /verificar opened from the QR code, typed by
keyboard and fed the PDF — at 360 and 1280 px, axe clean on every page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from tests import factories
from tests.browser.test_journeys_counter import PHONE, shot
from tests.browser.test_journeys_workspace import sign_in
from tests.cases.test_case_file import file_one
from tests.catalog.fixtures import organisation, reference_service  # noqa: F401
from tests.documents.test_issued_answers import ANSWER
from ventanilla.cases.models import Case, FilerKind
from ventanilla.cases.services import TransitionInput, case_transition
from ventanilla.catalog.models import Service
from ventanilla.documents import issuing
from ventanilla.documents.models import IssuedDocument
from ventanilla.organization.models import Dependency, Role


def answered_for(service: Service, email: str) -> Case:
    citizen = factories.user(email, first_name="Rosa")
    case = file_one(service, filer_kind=FilerKind.CITIZEN, applicant=citizen, contact=None).case
    coverage = Dependency.objects.get(code="DIR-COBERTURA")
    handler = factories.official(coverage, Role.HANDLER)
    case = case_transition(case=case, action="iniciar_revision", actor=handler)
    case = case_transition(
        case=case, action="pasar_asignacion", actor=handler, payload=TransitionInput(ANSWER)
    )
    approver = factories.official(coverage, Role.APPROVER)
    # Committed here, so the (immediate) task renders and signs it at once.
    return case_transition(
        case=case, action="asignar_cupo", actor=approver, payload=TransitionInput(ANSWER)
    )


def test_the_citizen_sees_the_signed_answer_and_anyone_verifies_it(
    new_visitor: Any,
    reference_service: Service,  # noqa: F811
    tmp_path: Path,
) -> None:
    case = answered_for(reference_service, "rosa@example.co")
    issued = IssuedDocument.objects.get(case=case, kind="answer")
    assert issued.state == "ready"

    phone = new_visitor(viewport=PHONE, is_mobile=True)
    page = phone.page
    sign_in(phone, "rosa@example.co", None)
    phone.goto(f"/mi-cuenta/solicitudes/{case.filing_number}/")
    link = page.get_by_role("link", name=f"Descargar la respuesta {issued.number} (PDF)")
    expect(link).to_be_visible()
    shot(page, "answer-360")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    # Anyone who scans the QR code lands on the verification page.
    stranger = new_visitor(viewport=PHONE, is_mobile=True)
    stranger.goto(f"/verificar/?codigo={issued.code}")
    expect(stranger.page.get_by_role("status")).to_contain_text("El documento es auténtico")
    expect(stranger.page.get_by_role("status")).to_contain_text(issued.number)
    shot(stranger.page, "verify-qr-360")
    assert stranger.page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    # At a desk: a wrong code typed by keyboard, then the PDF itself.
    desk = new_visitor(viewport={"width": 1280, "height": 900})
    desk.goto("/verificar/")
    desk.page.get_by_label("Código de verificación").fill("AAAA-BBBB-CCCC")
    desk.press_and_wait(desk.page.get_by_label("Código de verificación"))
    expect(desk.page.get_by_role("status")).to_contain_text("No encontramos un documento")
    shot(desk.page, "verify-wrong-1280")
    pdf = tmp_path / "respuesta.pdf"
    with issued.document.file.open("rb") as handle:  # type: ignore[union-attr]
        pdf.write_bytes(handle.read())
    desk.page.get_by_label("Código de verificación").fill("")
    desk.page.get_by_label("El documento en PDF (opcional)").set_input_files(str(pdf))
    desk.click_and_wait(desk.page.get_by_role("button", name="Verificar"))
    expect(desk.page.get_by_role("status")).to_contain_text("El documento es auténtico")
    expect(desk.page.get_by_role("status")).to_contain_text("Firma válida de")
    shot(desk.page, "verify-file-1280")


def test_a_document_being_signed_updates_itself_on_the_page(
    new_visitor: Any,
    reference_service: Service,  # noqa: F811
    monkeypatch: Any,
) -> None:
    citizen = factories.user("tomas@example.co", first_name="Tomás")
    case = file_one(
        reference_service, filer_kind=FilerKind.CITIZEN, applicant=citizen, contact=None
    ).case
    monkeypatch.setattr(issuing, "_enqueue", lambda pk: None)  # the worker is slow today
    visitor = new_visitor(viewport={"width": 1280, "height": 900})
    sign_in(visitor, "tomas@example.co", None)
    visitor.goto(f"/mi-cuenta/solicitudes/{case.filing_number}/")
    visitor.click_and_wait(
        visitor.page.get_by_role("link", name="Constancia de radicación firmada (PDF)")
    )
    expect(visitor.page.get_by_text("Preparando y firmando su constancia")).to_be_visible()
    shot(visitor.page, "receipt-pending-1280")
    receipt = IssuedDocument.objects.get(case=case, kind="receipt")
    issuing.document_produce(pk=receipt.pk)  # the worker catches up
    expect(
        visitor.page.get_by_role("link", name="Descargar la constancia de radicación (PDF)")
    ).to_be_visible(timeout=10_000)
    visitor.check()
    shot(visitor.page, "receipt-ready-1280")
