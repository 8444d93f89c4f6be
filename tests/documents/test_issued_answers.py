"""The answer to a case: numbered in the outgoing series when the case is answered, rendered
and signed afterwards outside any transaction, and verifiable by anyone — with pyHanko's
validator and with Poppler's pdfsig."""

from __future__ import annotations

import shutil
import subprocess
from io import BytesIO
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from django.db import connection

from tests import factories
from tests.cases.test_case_file import file_one
from ventanilla.cases.models import Case, FilingCounter
from ventanilla.cases.services import TransitionInput, case_transition
from ventanilla.catalog.models import Service
from ventanilla.documents import issuing, rendering, signing
from ventanilla.documents.models import IssuedDocument, IssuedState
from ventanilla.documents.verification import document_check_file, signatures_check
from ventanilla.organization.models import Dependency, Role

ANSWER = "Se asigna cupo en el Colegio Kennedy.\nPresentarse el lunes con el documento."
pdfsig = shutil.which("pdfsig")
needs_pdfsig = pytest.mark.skipif(pdfsig is None, reason="pdfsig (poppler-utils) is missing")


def ready_to_answer(service: Service) -> tuple[Case, Any]:
    coverage = Dependency.objects.get(code="DIR-COBERTURA")
    handler = factories.official(coverage, Role.HANDLER)
    case = file_one(service).case
    case = case_transition(case=case, action="iniciar_revision", actor=handler)
    case = case_transition(
        case=case,
        action="pasar_asignacion",
        actor=handler,
        payload=TransitionInput(comment=ANSWER),
    )
    return case, factories.official(coverage, Role.APPROVER)


def answered(service: Service, capture: Any) -> tuple[Case, IssuedDocument]:
    case, approver = ready_to_answer(service)
    with capture(execute=True):
        case = case_transition(
            case=case, action="asignar_cupo", actor=approver, payload=TransitionInput(ANSWER)
        )
    return case, IssuedDocument.objects.get(case=case, kind="answer")


def pdf_of(document: IssuedDocument) -> bytes:
    assert document.document is not None
    with document.document.file.open("rb") as handle:
        return handle.read()


@pytest.mark.django_db
def test_answering_numbers_the_answer_and_signs_it_after_commit(
    reference_service: Service, django_capture_on_commit_callbacks: Any
) -> None:
    case, approver = ready_to_answer(reference_service)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        case = case_transition(
            case=case, action="asignar_cupo", actor=approver, payload=TransitionInput(ANSWER)
        )
    # Decided and numbered with the case closed; nothing rendered yet.
    document = IssuedDocument.objects.get(case=case)
    assert case.is_closed
    assert document.number == "SED-2026-S000001" and document.state == IssuedState.PENDING
    assert FilingCounter.objects.get(series="out").last == 1
    assert not case.documents.filter(is_response=True).exists()
    for callback in callbacks:
        callback()
    document.refresh_from_db()
    assert document.state == IssuedState.READY
    assert document.signature_level == "B-B"
    assert document.signed_by == document.entity.name
    stored = case.documents.get(is_response=True)
    assert stored.original_name == "respuesta-SED-2026-S000001.pdf"
    assert stored.sha256 == document.sha256
    checks = signatures_check(pdf_of(document))
    assert len(checks) == 1 and checks[0].good, checks
    assert checks[0].signer == document.entity.name


@pytest.mark.django_db
def test_rendering_and_signing_happen_outside_any_transaction(
    reference_service: Service,
    django_capture_on_commit_callbacks: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[bool] = []
    render = rendering.render_issued

    def watched(document: IssuedDocument) -> bytes:
        # The test's own transaction wraps everything; a produce inside the closing
        # transaction would be two levels deep.
        seen.append(connection.in_atomic_block and len(connection.atomic_blocks) > 1)
        return render(document)

    monkeypatch.setattr(issuing, "render_issued", watched)
    answered(reference_service, django_capture_on_commit_callbacks)
    assert seen == [False]


@pytest.mark.django_db
def test_the_answer_is_a_tagged_pdf_in_the_citizens_language_with_its_title(
    reference_service: Service, django_capture_on_commit_callbacks: Any
) -> None:
    _case, document = answered(reference_service, django_capture_on_commit_callbacks)
    with pikepdf.open(BytesIO(pdf_of(document))) as pdf:
        assert pdf.Root.MarkInfo.Marked is True
        assert "/StructTreeRoot" in pdf.Root
        assert str(pdf.Root.Lang) == "es"
        assert pdf.Root.ViewerPreferences.DisplayDocTitle is True
        with pdf.open_metadata() as meta:
            assert meta["dc:title"] == document.title
            assert "pdfuaid:part" in str(meta)


@needs_pdfsig
@pytest.mark.django_db
def test_pdfsig_validates_the_signature_and_one_changed_byte_breaks_it(
    reference_service: Service, django_capture_on_commit_callbacks: Any, tmp_path: Path
) -> None:
    _case, document = answered(reference_service, django_capture_on_commit_callbacks)
    content = pdf_of(document)
    good = tmp_path / "good.pdf"
    good.write_bytes(content)
    report = subprocess.run([pdfsig, str(good)], capture_output=True, text=True, check=False)  # noqa: S603
    assert "Signature Validation: Signature is Valid." in report.stdout, report.stdout
    assert document.entity.name in report.stdout

    # One byte of the text changed (inside the signed range).
    at = content.index(b"stream") + 40
    tampered = content[:at] + bytes([content[at] ^ 0x01]) + content[at + 1 :]
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(tampered)
    report = subprocess.run([pdfsig, str(bad)], capture_output=True, text=True, check=False)  # noqa: S603
    assert "Signature is Valid." not in report.stdout, report.stdout

    verdict = document_check_file(content=tampered, client="203.0.113.9", code=document.code)
    assert verdict.document == document and verdict.exact is False
    assert not verdict.signature_good
    verdict = document_check_file(content=content, client="203.0.113.9")
    assert verdict.document == document and verdict.exact is True and verdict.signature_good


@pytest.mark.django_db
def test_a_signing_failure_leaves_the_answer_pending_and_a_retry_produces_it(
    reference_service: Service,
    django_capture_on_commit_callbacks: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def unavailable(*args: Any, **kwargs: Any) -> signing.Signed:
        raise signing.SigningUnavailable("the signing module does not answer")

    monkeypatch.setattr(signing.Pkcs12Signer, "sign", unavailable)
    case, document = answered(reference_service, django_capture_on_commit_callbacks)
    assert case.is_closed
    assert document.state == IssuedState.PENDING and document.attempts == 1
    assert "does not answer" in document.error
    monkeypatch.undo()
    document = issuing.document_produce(pk=document.pk)
    assert document.state == IssuedState.READY and document.error == ""
    assert document.number == "SED-2026-S000001"  # the number taken at closing is kept
    # Producing it again changes nothing.
    again = issuing.document_produce(pk=document.pk)
    assert again.document_id == document.document_id
    assert case.documents.filter(is_response=True).count() == 1


@pytest.mark.django_db
def test_the_official_starts_the_answer_from_the_versions_template(
    reference_service: Service,
) -> None:
    from django.test import Client

    case, approver = ready_to_answer(reference_service)
    factories.enrol_totp(approver)
    client = Client()
    client.force_login(approver)
    page = client.get(f"/espacio/casos/{case.filing_number}/").content.decode()
    assert 'name="plantilla"' in page and "Cupo asignado" in page
    page = client.get(f"/espacio/casos/{case.filing_number}/?plantilla=cupo_asignado")
    html = page.content.decode()
    assert f"En respuesta a su solicitud {case.filing_number}" in html
    assert "Respetado(a) Marta Díaz:" in html
    assert "[response.school]" in html  # what the case cannot fill stays for the official
    # A key the version does not have changes nothing.
    html = client.get(f"/espacio/casos/{case.filing_number}/?plantilla=nada").content.decode()
    assert "[response.school]" not in html
