"""Outgoing numbers stay gap-free and unique when many officials answer at the same moment,
also when some of those closings fail after the number was taken (on PostgreSQL the closings
really run side by side; on SQLite they queue for the write lock)."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection, connections

from tests.documents.test_issued_answers import ANSWER, ready_to_answer
from ventanilla.cases.models import Case, FilingCounter
from ventanilla.cases.services import TransitionInput, case_transition
from ventanilla.catalog.models import Service
from ventanilla.documents import issuing
from ventanilla.documents.models import IssuedDocument

CLOSERS = 32


def _close_concurrently(
    cases: list[tuple[Case, Any]], monkeypatch: pytest.MonkeyPatch, fail_every: int = 0
) -> list[BaseException]:
    barrier = threading.Barrier(len(cases))
    errors: list[BaseException] = []
    original = issuing.IssuedDocument.objects.create
    local = threading.local()

    def create(**kwargs: Any) -> IssuedDocument:
        document = original(**kwargs)
        if getattr(local, "fail", False):
            raise RuntimeError("simulated failure after the outgoing number was taken")
        return document

    # Rendering and signing are not what races here; they run after commit, one by one.
    monkeypatch.setattr(issuing, "_enqueue", lambda pk: None)
    monkeypatch.setattr(issuing.IssuedDocument.objects, "create", create)

    def closer(index: int) -> None:
        case, approver = cases[index]
        local.fail = bool(fail_every) and index % fail_every == 0
        try:
            barrier.wait()
            case_transition(
                case=case, action="asignar_cupo", actor=approver, payload=TransitionInput(ANSWER)
            )
        except BaseException as error:  # collected and checked below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=closer, args=(i,)) for i in range(len(cases))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)
    return errors


@pytest.mark.django_db(transaction=True)
def test_concurrent_closings_take_consecutive_outgoing_numbers(
    reference_service: Service, monkeypatch: pytest.MonkeyPatch
) -> None:
    cases = [ready_to_answer(reference_service) for _ in range(CLOSERS)]
    errors = _close_concurrently(cases, monkeypatch)
    assert errors == []
    sequences = sorted(IssuedDocument.objects.values_list("sequence", flat=True))
    assert sequences == list(range(1, CLOSERS + 1)), connection.vendor
    assert FilingCounter.objects.get(series="out").last == CLOSERS
    assert Case.objects.filter(closed_at__isnull=False).count() == CLOSERS
    numbers = set(IssuedDocument.objects.values_list("number", flat=True))
    assert len(numbers) == CLOSERS


@pytest.mark.django_db(transaction=True)
def test_a_closing_that_fails_gives_its_number_back(
    reference_service: Service, monkeypatch: pytest.MonkeyPatch
) -> None:
    cases = [ready_to_answer(reference_service) for _ in range(CLOSERS)]
    errors = _close_concurrently(cases, monkeypatch, fail_every=4)
    failed = CLOSERS // 4
    assert len(errors) == failed and all(isinstance(e, RuntimeError) for e in errors)
    sequences = sorted(IssuedDocument.objects.values_list("sequence", flat=True))
    assert sequences == list(range(1, CLOSERS - failed + 1)), connection.vendor
    # The cases whose closing failed are still open, to be answered again.
    assert Case.objects.filter(closed_at__isnull=True).count() == failed
