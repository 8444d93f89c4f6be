"""Turns under concurrency: kiosks issuing at once get distinct, gap-free numbers; desks
calling at once never get the same ticket (on PostgreSQL through SKIP LOCKED, on SQLite
because IMMEDIATE transactions run one at a time)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, connections

from tests.turns.conftest import Turns, turns_build
from ventanilla.turns.models import Ticket, TicketState
from ventanilla.turns.services import ticket_call_next, ticket_issue

WORKERS = 16


def _run(work: Callable[[int], Any]) -> tuple[list[Any], list[BaseException]]:
    barrier = threading.Barrier(WORKERS)
    results: list[Any] = []
    errors: list[BaseException] = []

    def worker(index: int) -> None:
        try:
            barrier.wait()
            results.append(work(index))
        except BaseException as error:  # collected and checked by the test
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results, errors


@pytest.fixture
def turns_committed(transactional_db: None, tmp_path: Path) -> Turns:
    return turns_build(tmp_path)


@pytest.mark.django_db(transaction=True)
def test_concurrent_kiosks_get_distinct_gap_free_numbers(turns_committed: Turns) -> None:
    t = turns_committed
    _results, errors = _run(
        lambda i: ticket_issue(point=t.point, service=t.places, channel="kiosk")
    )
    assert errors == []
    numbers = sorted(Ticket.objects.values_list("number", flat=True))
    assert numbers == list(range(1, WORKERS + 1)), connection.vendor


@pytest.mark.django_db(transaction=True)
def test_concurrent_desks_never_share_a_ticket(turns_committed: Turns) -> None:
    t = turns_committed
    waiting = WORKERS // 2
    for _ in range(waiting):
        ticket_issue(point=t.point, service=t.places, channel="kiosk")
    results, errors = _run(
        lambda i: ticket_call_next(point=t.point, desk=f"P{i}", actor=t.official)
    )
    assert errors == []
    called = [r.pk for r in results if r is not None]
    assert len(called) == len(set(called)) == waiting, connection.vendor
    assert results.count(None) == WORKERS - waiting
    assert Ticket.objects.filter(state=TicketState.CALLED).count() == waiting
    desks = Ticket.objects.values_list("desk", flat=True)
    assert len(set(desks)) == waiting
