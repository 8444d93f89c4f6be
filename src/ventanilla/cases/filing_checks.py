"""Rules a capability adds to filing, through a registry: the case engine asks them and does not
know them. A check sees a request whose answers already passed the form's own rules and says
what else is wrong with it, by field path, in words for the citizen (the school-places season:
the stage is closed, this student already applied, that school does not teach the grade).

A check runs before the filing's transaction and must not write. What must hold under
concurrency is for a constraint to enforce, in a `CaseEvent.FILED` subscriber that raises
`FilingError` (the transaction then rolls back, the filing number with it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ventanilla.accounts.models import User
    from ventanilla.catalog.models import ServiceVersion


@dataclass(frozen=True)
class Request:
    """What a check may look at."""

    version: ServiceVersion
    answers: dict[str, Any]  # cleaned by the form's rules
    channel: str
    applicant: User | None
    documents: frozenset[str]  # keys of the documents given


Check = Callable[[Request], dict[str, list[str]]]

_CHECKS: list[Check] = []


def register(check: Check) -> Check:
    """Add `check` (from the app's `ready()`); a check is registered once."""
    if check not in _CHECKS:
        _CHECKS.append(check)
    return check


def unregister(check: Check) -> None:
    if check in _CHECKS:
        _CHECKS.remove(check)


def problems(request: Request) -> dict[str, list[str]]:
    """Every registered check's problems with `request`, merged by field path."""
    found: dict[str, list[str]] = {}
    for check in list(_CHECKS):
        for path, messages in check(request).items():
            found.setdefault(path, []).extend(messages)
    return found
