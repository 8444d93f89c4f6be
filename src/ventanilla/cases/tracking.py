"""Public tracking with a filing number and its verification code, limited against guessing.

Only wrong codes count. Each client address has its own budget, overall and per number, so a
stranger who guesses at a number from elsewhere does not lock its owner out; a slower brake per
number stops guessing spread over many addresses (the code has ~2^49 values, so the brake is
about load, not about the odds).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from ventanilla.cases.models import Case
from ventanilla.cases.selectors import case_verify
from ventanilla.core.ratelimit import Limit, wait_seconds

WINDOW_SECONDS = 15 * 60
FAILURES_PER_CLIENT = 10  # any numbers, per 15 minutes
FAILURES_PER_CLIENT_AND_NUMBER = 5  # one number, per 15 minutes
FAILURES_PER_NUMBER = 200  # from all addresses together, per hour


@dataclass(frozen=True)
class Tracking:
    """What a tracking attempt found: the case, or how many seconds to wait before trying
    again (0 when the attempt was heard and the number or code is wrong)."""

    case: Case | None
    retry_after: int = 0


def _limits(number: str, client: str) -> list[Limit]:
    # The number as typed may hold anything a cache key should not (spaces, say): count it by
    # its digest.
    tag = hashlib.sha256(number.encode()).hexdigest()[:32]
    return [
        Limit(f"track-client:{client}", FAILURES_PER_CLIENT, WINDOW_SECONDS),
        Limit(
            f"track-client-number:{client}:{tag}", FAILURES_PER_CLIENT_AND_NUMBER, WINDOW_SECONDS
        ),
        Limit(f"track-number:{tag}", FAILURES_PER_NUMBER, 3600),
    ]


def case_track(*, filing_number: str, code: str, client: str) -> Tracking:
    """Check `code` for `filing_number` on behalf of the client at address `client`."""
    number = filing_number.strip().upper()
    limits = _limits(number, client)
    wait = wait_seconds(limits)
    if wait:
        return Tracking(None, retry_after=wait)
    case = case_verify(number, code)
    if case is None:
        for limit in limits:
            limit.hit()
    return Tracking(case)
