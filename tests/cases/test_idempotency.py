"""Idempotency keys belong to their caller: a retry gets the first case back, another caller's
key or a different request under the same key never does."""

from __future__ import annotations

from typing import Any

import pytest

from tests import factories
from tests.cases.test_case_file import file_one
from tests.catalog.test_formkit import GOOD
from tests.factories import pdf_bytes
from ventanilla.cases.filing import Caller, IdempotencyConflict
from ventanilla.cases.models import Case
from ventanilla.cases.uploads import Upload
from ventanilla.catalog.models import Service

CALL_CENTRE = Caller.api_client(1)


def test_a_retry_by_the_same_caller_gets_the_first_case_and_code(
    reference_service: Service,
) -> None:
    first = file_one(reference_service, idempotency_key="k-123", caller=CALL_CENTRE)
    second = file_one(reference_service, idempotency_key="k-123", caller=CALL_CENTRE)
    assert second.case.pk == first.case.pk
    assert not second.created
    assert second.verification_code == first.verification_code
    assert Case.objects.count() == 1


def test_the_same_key_from_another_caller_files_its_own_case(
    reference_service: Service,
) -> None:
    official = factories.official(reference_service.dependency)
    api = file_one(reference_service, idempotency_key="call-2026-0001", caller=CALL_CENTRE)
    counter = file_one(
        reference_service, idempotency_key="call-2026-0001", caller=Caller.official(official)
    )
    assert counter.created and counter.case.pk != api.case.pk
    assert counter.verification_code != api.verification_code


def test_a_key_cannot_name_another_callers_scope(reference_service: Service) -> None:
    """The first slice stored `api:<client>:<key>`: an official typing that got the case."""
    official = factories.official(reference_service.dependency)
    api = file_one(reference_service, idempotency_key="call-2026-0001", caller=CALL_CENTRE)
    forged = file_one(
        reference_service,
        idempotency_key="api:1:call-2026-0001",
        caller=Caller.official(official),
    )
    assert forged.created
    assert forged.case.filing_number != api.case.filing_number
    assert forged.verification_code != api.verification_code


@pytest.mark.parametrize(
    "change",
    [
        {"answers": {**GOOD, "grado": "segundo"}},
        {"contact": None, "filer_kind": "anonymous"},
        {"documents": [Upload("documento_estudiante", "ti.pdf", pdf_bytes("otro"))]},
    ],
    ids=["answers", "filer", "document"],
)
def test_the_same_key_with_a_different_request_is_a_conflict(
    reference_service: Service, change: dict[str, Any]
) -> None:
    first = file_one(reference_service, idempotency_key="k-9", caller=CALL_CENTRE)
    with pytest.raises(IdempotencyConflict) as raised:
        file_one(reference_service, idempotency_key="k-9", caller=CALL_CENTRE, **change)
    assert raised.value.case == first.case
    assert "idempotency_key" in raised.value.errors
    assert Case.objects.count() == 1


@pytest.mark.parametrize("length", [64, 65, 1000])
def test_keys_of_any_length_work(reference_service: Service, length: int) -> None:
    key = "k" * length
    first = file_one(reference_service, idempotency_key=key, caller=CALL_CENTRE)
    again = file_one(reference_service, idempotency_key=key, caller=CALL_CENTRE)
    assert again.case.pk == first.case.pk and not again.created


def test_a_key_without_its_caller_is_a_programming_error(reference_service: Service) -> None:
    with pytest.raises(ValueError, match="caller"):
        file_one(reference_service, idempotency_key="k-1")
