"""The worker yields the processors to the web processes: a dashboards' rebuild over a million
cases must not make a citizen's page wait (docs/performance.md, scenario (c'))."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django_tasks_db.management.commands import db_worker

from ventanilla.core.checks import worker_niceness_in_range
from ventanilla.core.management.commands.worker import Command


def idle_round() -> int:
    """A worker loop's round that finds nothing to do."""
    return 0


def _worker_threads() -> list[str]:
    return [t.name for t in threading.enumerate() if "(_beat)" in t.name or "(_loop)" in t.name]


def _run_worker(
    settings: Any, monkeypatch: pytest.MonkeyPatch, niceness: int
) -> tuple[list[int], list[str], list[str]]:
    """Start the worker command with its queue runner stubbed (the test process itself keeps
    its priority): the increments it asked of `os.nice`, the worker's threads that were running
    when it asked, and those running once the queue runner started."""
    asked: list[int] = []
    running_then: list[str] = []
    running_after: list[str] = []

    def nice(increment: int) -> int:
        asked.append(increment)
        running_then.extend(_worker_threads())
        return increment

    monkeypatch.setattr(os, "nice", nice)
    monkeypatch.setattr(
        db_worker.Command, "handle", lambda self, *a, **o: running_after.extend(_worker_threads())
    )
    settings.WORKER_LOOPS = [("tests.core.test_worker_priority.idle_round", 60)]
    settings.PERIODIC_TASKS = []
    settings.WORKER_NICENESS = niceness
    Command().handle(worker_id="w1", queue_name="*")
    return asked, running_then, running_after


def test_the_worker_lowers_its_priority_before_its_threads_start(
    settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked, running_then, running_after = _run_worker(settings, monkeypatch, 10)
    assert asked == [10]
    assert running_then == []  # so the heartbeat and the outbox loop inherit it
    assert any("(_beat)" in name for name in running_after)
    assert any("(_loop)" in name for name in running_after)


def test_niceness_zero_keeps_the_priority(settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    assert _run_worker(settings, monkeypatch, 0)[0] == []


@pytest.mark.django_db  # some of the project's other checks read the database
@pytest.mark.parametrize("wrong", [-5, 20, 40])
def test_a_niceness_nice_cannot_take_is_a_clear_error_at_start(settings: Any, wrong: int) -> None:
    settings.WORKER_NICENESS = wrong
    [error] = worker_niceness_in_range(None)
    assert error.id == "core.E001"
    assert str(wrong) in error.msg
    # `manage.py worker` runs the system checks before it starts: it refuses to run.
    with pytest.raises(SystemCheckError, match="WORKER_NICENESS"):
        call_command("check")


@pytest.mark.parametrize("right", [0, 10, 19])
def test_every_niceness_nice_takes_passes(settings: Any, right: int) -> None:
    settings.WORKER_NICENESS = right
    assert worker_niceness_in_range(None) == []


def test_the_priority_is_lowered_for_the_whole_worker_process(settings: Any) -> None:
    """In a real process: the threads the worker starts (the outbox loop) inherit it."""
    script = (
        "import os, threading, django\n"
        "django.setup()\n"
        "from ventanilla.core.management.commands.worker import _lower_priority\n"
        "_lower_priority(7)\n"
        "seen = []\n"
        "t = threading.Thread(target=lambda: seen.append(os.getpriority(os.PRIO_PROCESS, 0)))\n"
        "t.start(); t.join()\n"
        "print(os.getpriority(os.PRIO_PROCESS, 0), seen[0])\n"
    )
    before = os.getpriority(os.PRIO_PROCESS, 0)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings"}
    env["PYTHONPATH"] = os.pathsep.join([str(settings.BASE_DIR / "src"), str(settings.BASE_DIR)])
    out = subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, env=env
    ).stdout.split()
    assert [int(x) for x in out] == [min(19, before + 7)] * 2
