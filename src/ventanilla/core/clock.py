"""The one clock of the application.

Deadlines depend on "now"; every domain function asks this module for it, so that tests can
freeze or move time with `frozen(...)` without patching the standard library. The freeze is
process-wide, so a live test server running in another thread sees it too.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import datetime

from django.utils import timezone

_frozen_at: list[datetime] = []


def now() -> datetime:
    """The current instant, timezone-aware, or the frozen instant inside `frozen()`."""
    return _frozen_at[-1] if _frozen_at else timezone.now()


@contextlib.contextmanager
def frozen(at: datetime) -> Iterator[None]:
    """Freeze `now()` at `at` (an aware datetime) while the block runs."""
    if timezone.is_naive(at):
        raise ValueError("frozen() needs an aware datetime")
    _frozen_at.append(at)
    try:
        yield
    finally:
        _frozen_at.pop()
