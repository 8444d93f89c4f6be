"""Case-event handlers from outside `cases`: one in the transaction, one after commit. They
keep what they heard, for the tests to read."""

from __future__ import annotations

from ventanilla.cases.events import CaseEvent, Happened, subscribe

HEARD_IN_TRANSACTION: list[tuple[str, frozenset[CaseEvent]]] = []
HEARD_AFTER_COMMIT: list[tuple[str, frozenset[CaseEvent]]] = []


@subscribe(CaseEvent.FILED, CaseEvent.ACTION_TAKEN)
def in_transaction(happened: Happened) -> None:
    HEARD_IN_TRANSACTION.append((happened.case.filing_number, happened.events))


@subscribe(CaseEvent.FILED, CaseEvent.CLOSED, after_commit=True)
def after_commit(happened: Happened) -> None:
    HEARD_AFTER_COMMIT.append((happened.case.filing_number, happened.events))
