"""The answer's PDF is rendered and stored before the short transaction that numbers it and
closes the case, and the outgoing series stays gap-free when answers race."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.db import connection

from tests import factories
from tests.cases.test_case_file import file_one
from ventanilla.cases import responses
from ventanilla.cases.models import Case, CaseDocument, FilingCounter
from ventanilla.cases.services import TransitionInput, case_transition
from ventanilla.catalog.models import Service
from ventanilla.organization.models import Dependency, Role

SIGN = TransitionInput(comment="Se asigna cupo en el Colegio Kennedy.")


def ready_to_sign(service: Service) -> tuple[Case, Any]:
    coverage = Dependency.objects.get(code="DIR-COBERTURA")
    handler = factories.official(coverage, Role.HANDLER)
    case = file_one(service).case
    case = case_transition(case=case, action="iniciar_revision", actor=handler)
    case = case_transition(
        case=case,
        action="pasar_asignacion",
        actor=handler,
        payload=TransitionInput(comment="Se asigna cupo en el Colegio Kennedy."),
    )
    return case, factories.official(coverage, Role.APPROVER)


@pytest.mark.django_db(transaction=True)
def test_the_pdf_is_rendered_outside_any_transaction(
    reference_service: Service, monkeypatch: pytest.MonkeyPatch
) -> None:
    case, approver = ready_to_sign(reference_service)
    render = responses.render_response_pdf
    seen: list[bool] = []

    def watched(**kwargs: Any) -> bytes:
        seen.append(connection.in_atomic_block)
        return render(**kwargs)

    monkeypatch.setattr(responses, "render_response_pdf", watched)
    case = case_transition(case=case, action="asignar_cupo", actor=approver, payload=SIGN)
    assert seen == [False]
    assert case.is_closed
    document = case.documents.get(is_response=True)
    assert default_storage.exists(document.file.name)


def test_an_answer_whose_number_was_taken_while_rendering_takes_the_next(
    reference_service: Service, monkeypatch: pytest.MonkeyPatch, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    first, approver = ready_to_sign(reference_service)
    second, _other = ready_to_sign(reference_service)
    render = responses.render_response_pdf
    numbers: list[str] = []

    def racing(**kwargs: Any) -> bytes:
        numbers.append(kwargs["number"])
        if len(numbers) == 1:  # while the first renders, another answer is signed
            case_transition(case=second, action="asignar_cupo", actor=approver, payload=SIGN)
        return render(**kwargs)

    monkeypatch.setattr(responses, "render_response_pdf", racing)
    first = case_transition(case=first, action="asignar_cupo", actor=approver, payload=SIGN)
    assert numbers == ["SED-2026-S000001", "SED-2026-S000001", "SED-2026-S000002"]
    names = dict(CaseDocument.objects.filter(is_response=True).values_list("case", "original_name"))
    assert names == {
        second.pk: "respuesta-SED-2026-S000001.pdf",
        first.pk: "respuesta-SED-2026-S000002.pdf",
    }
    assert FilingCounter.objects.get(series="out").last == 2
    # The PDF that carried the taken number is gone; each kept one is on disk.
    on_disk = {str(p.relative_to(tmp_path)) for p in tmp_path.glob("cases/*/*/respuesta-*.pdf")}
    kept = {d.file.name for d in CaseDocument.objects.filter(is_response=True)}
    assert on_disk == kept and len(kept) == 2
