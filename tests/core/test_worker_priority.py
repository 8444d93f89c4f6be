"""The worker yields the processors to the web processes: a dashboards' rebuild over a million
cases must not make a citizen's page wait (docs/performance.md, scenario (c'))."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

import pytest
from django_tasks_db.management.commands import db_worker

from ventanilla.core.management.commands.worker import Command


def _run_worker(settings: Any, monkeypatch: pytest.MonkeyPatch, niceness: int) -> list[int]:
    """Start the worker command with its queue runner stubbed; the increments it asked of
    `os.nice` (the test process itself keeps its priority)."""
    asked: list[int] = []
    monkeypatch.setattr(os, "nice", lambda increment: asked.append(increment) or increment)
    monkeypatch.setattr(db_worker.Command, "handle", lambda self, *a, **o: None)
    settings.WORKER_LOOPS = []
    settings.PERIODIC_TASKS = []
    settings.WORKER_NICENESS = niceness
    Command().handle(worker_id="w1", queue_name="*")
    return asked


def test_the_worker_runs_at_a_lower_priority_than_the_web(
    settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _run_worker(settings, monkeypatch, 10) == [10]


def test_niceness_zero_keeps_the_priority_and_too_much_is_capped(
    settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _run_worker(settings, monkeypatch, 0) == []
    assert _run_worker(settings, monkeypatch, 40) == [19]


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
