"""What a process remembers is forgotten when the configuration changes: at once in the process
that changed it, within a second in the others (through the shared token), and after a while
whatever happens."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.cache import cache

from ventanilla.accounts.models import ConsentText
from ventanilla.accounts.selectors import consent_text_current
from ventanilla.core import clock, memo


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def monotonic(monkeypatch: pytest.MonkeyPatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(memo.time, "monotonic", clock)
    return clock


def counting(values: list[Any]) -> Any:
    calls = iter(values)
    return lambda: next(calls)


def test_a_value_is_read_once_while_nothing_changes(monotonic: Clock) -> None:
    read = counting(["first", "second"])
    assert memo.remembered("thing", 1, read) == "first"
    monotonic.now += 60
    assert memo.remembered("thing", 1, read) == "first"
    assert memo.remembered("thing", 2, counting(["other"])) == "other"


def test_another_process_change_is_seen_within_a_second(monotonic: Clock) -> None:
    read = counting(["before", "after"])
    assert memo.remembered("thing", 1, read) == "before"
    cache.set(memo.GENERATION_KEY, "a token another process wrote", None)
    monotonic.now += memo.GENERATION_SECONDS / 2
    assert memo.remembered("thing", 1, read) == "before"
    monotonic.now += memo.GENERATION_SECONDS
    assert memo.remembered("thing", 1, read) == "after"


def test_a_value_is_forgotten_after_a_while_whatever_happens(monotonic: Clock) -> None:
    read = counting(["before", "after"])
    assert memo.remembered("thing", 1, read) == "before"
    monotonic.now += memo.MEMO_SECONDS + 1
    assert memo.remembered("thing", 1, read) == "after"


@pytest.mark.django_db(transaction=True)
def test_a_saved_row_is_seen_at_once_here_and_renews_the_shared_token(monotonic: Clock) -> None:
    first = consent_text_current()
    assert first is not None
    token = cache.get(memo.GENERATION_KEY)
    newer = ConsentText.objects.create(
        version="memo-test",
        title_es="Aviso nuevo",
        title_en="New notice",
        body_es="Texto",
        body_en="Text",
        in_force_from=clock.now() - timedelta(minutes=1),
    )
    assert consent_text_current() == newer
    assert cache.get(memo.GENERATION_KEY) not in (None, token)


def test_a_miss_is_not_kept(monotonic: Clock) -> None:
    """Made-up keys (a wrong token, an unknown slug) must not fill the memory."""
    read = counting([None, "found"])
    assert memo.remembered("thing", "made-up", read) is None
    assert memo.remembered("thing", "made-up", read) == "found"
