"""Filing numbers stay gap-free and unique under concurrent filings, also when some fail."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection, connections

from tests.cases.test_case_file import file_one
from ventanilla.cases import filing
from ventanilla.cases.models import Case
from ventanilla.catalog.models import Service

FILERS = 32


def _run_concurrently(service: Service, fail_every: int = 0) -> list[BaseException]:
    barrier = threading.Barrier(FILERS)
    errors: list[BaseException] = []
    original_append = filing.event_append
    local = threading.local()

    def failing_append(**kwargs: Any) -> Any:
        if getattr(local, "fail", False):
            raise RuntimeError("simulated failure after the number was taken")
        return original_append(**kwargs)

    def worker(index: int) -> None:
        local.fail = bool(fail_every) and index % fail_every == 0
        try:
            barrier.wait()
            file_one(service)
        except BaseException as error:  # collected and checked below
            errors.append(error)
        finally:
            connections.close_all()

    filing.event_append = failing_append  # type: ignore[assignment]
    try:
        threads = [threading.Thread(target=worker, args=(i,)) for i in range(FILERS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    finally:
        filing.event_append = original_append
    return errors


@pytest.mark.django_db(transaction=True)
def test_concurrent_filings_get_consecutive_numbers(reference_service: Service) -> None:
    errors = _run_concurrently(reference_service)
    assert errors == []
    sequences = sorted(Case.objects.values_list("sequence", flat=True))
    assert sequences == list(range(1, FILERS + 1)), connection.vendor


@pytest.mark.django_db(transaction=True)
def test_failed_filings_do_not_burn_numbers(reference_service: Service) -> None:
    errors = _run_concurrently(reference_service, fail_every=4)
    failed = FILERS // 4
    assert len(errors) == failed
    assert all(isinstance(e, RuntimeError) for e in errors)
    sequences = sorted(Case.objects.values_list("sequence", flat=True))
    assert sequences == list(range(1, FILERS - failed + 1)), connection.vendor
    numbers = set(Case.objects.values_list("filing_number", flat=True))
    assert len(numbers) == FILERS - failed
