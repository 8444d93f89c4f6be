"""Periodic tasks run once per period, whatever the number of workers."""

from __future__ import annotations

import itertools
import threading
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.db import connection
from django.tasks import task

from ventanilla.core import clock
from ventanilla.core.management.commands.worker import _enqueue_due
from ventanilla.core.models import PeriodicTask
from ventanilla.core.services import periodic_tasks_claim

RUNS: dict[str, list[datetime]] = {"sweep": [], "hourly": []}


@task()
def sweep() -> None:
    RUNS["sweep"].append(clock.now())


@task()
def hourly() -> None:
    RUNS["hourly"].append(clock.now())


SCHEDULE = [
    ("tests.core.test_periodic_tasks.sweep", 7),
    ("tests.core.test_periodic_tasks.hourly", 3600),
]


@pytest.mark.django_db
def test_two_workers_run_each_periodic_task_once_per_period(settings: Any) -> None:
    settings.PERIODIC_TASKS = SCHEDULE
    for runs in RUNS.values():
        runs.clear()
    start = datetime(2026, 3, 2, 15, tzinfo=UTC)
    by_worker: Counter[str] = Counter()
    # Two workers look every 5 seconds, 2 seconds apart, for two hours.
    for second in range(0, 7200, 5):
        for worker, lag in (("worker-a", 0), ("worker-b", 2)):
            with clock.frozen(start + timedelta(seconds=second + lag)):
                by_worker[worker] += len(_enqueue_due(worker))
    assert RUNS["hourly"] == [start, start + timedelta(hours=1)]
    gaps = {b - a for a, b in itertools.pairwise(RUNS["sweep"])}
    # Never twice in one period, and never later than one look after the period ends.
    assert min(gaps) >= timedelta(seconds=7) and max(gaps) <= timedelta(seconds=7 + 5)
    assert sum(by_worker.values()) == len(RUNS["sweep"]) + len(RUNS["hourly"])
    assert by_worker["worker-a"] > 100 and by_worker["worker-b"] > 100  # either takes a turn


@pytest.mark.django_db
def test_a_new_task_runs_at_once_and_a_late_one_runs_once_not_for_every_missed_period(
    settings: Any,
) -> None:
    start = datetime(2026, 3, 2, 15, tzinfo=UTC)
    with clock.frozen(start):
        assert periodic_tasks_claim(worker_id="a", schedule=SCHEDULE) == [p for p, _ in SCHEDULE]
    with clock.frozen(start + timedelta(hours=5)):  # no worker ran for five hours
        assert len(periodic_tasks_claim(worker_id="b", schedule=SCHEDULE)) == 2
        assert periodic_tasks_claim(worker_id="a", schedule=SCHEDULE) == []
    row = PeriodicTask.objects.get(path=SCHEDULE[1][0])
    assert row.next_run_at == start + timedelta(hours=6) and row.last_worker == "b"


@pytest.mark.django_db(transaction=True)
def test_two_workers_claiming_at_the_same_instant_get_each_task_once() -> None:
    rounds = 15
    claimed: list[list[str]] = []
    lock = threading.Lock()
    start = datetime(2026, 3, 2, 15, tzinfo=UTC)

    def worker(name: str, barrier: threading.Barrier) -> None:
        try:
            for index in range(rounds):
                barrier.wait(10)
                with clock.frozen(start + timedelta(hours=index)):
                    got = periodic_tasks_claim(worker_id=name, schedule=SCHEDULE)
                with lock:
                    claimed.append(got)
        finally:
            connection.close()

    barrier = threading.Barrier(2)
    threads = [threading.Thread(target=worker, args=(n, barrier)) for n in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    runs = Counter(path for got in claimed for path in got)
    assert runs == {path: rounds for path, _ in SCHEDULE}


@pytest.mark.django_db
def test_finished_task_results_are_pruned_after_two_weeks(settings: Any) -> None:
    from django_tasks_db.models import DBTaskResult

    from ventanilla.core.tasks import task_results_prune

    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "mail"]}
    }
    old, recent, waiting = (sweep.enqueue() for _ in range(3))
    now = clock.now()
    for result, finished in ((old, now - timedelta(days=15)), (recent, now - timedelta(days=13))):
        DBTaskResult.objects.filter(pk=result.id).update(
            status="SUCCESSFUL", started_at=finished, finished_at=finished
        )
    task_results_prune.call()
    left = set(DBTaskResult.objects.values_list("pk", flat=True))
    assert {str(pk) for pk in left} == {str(recent.id), str(waiting.id)}
