"""State changes owned by the core app."""

from __future__ import annotations

import os
import socket
from datetime import datetime, timedelta

from ventanilla.core import clock
from ventanilla.core.models import PeriodicTask, WorkerHeartbeat


def heartbeat_record(*, worker_id: str, started_at: datetime) -> None:
    """Record that the worker `worker_id` is alive now."""
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "host": socket.gethostname()[:255],
            "pid": os.getpid(),
            "started_at": started_at,
            "seen_at": clock.now(),
        },
    )


def periodic_tasks_claim(*, worker_id: str, schedule: list[tuple[str, int]]) -> list[str]:
    """The periodic tasks of `schedule` (path, seconds between runs) that this worker must
    enqueue now. Each due task is claimed by moving its next run forward with an update
    conditioned on it being due, so exactly one of any number of workers gets it."""
    now = clock.now()
    known = dict(PeriodicTask.objects.values_list("path", "next_run_at"))
    missing = [PeriodicTask(path=p, next_run_at=now) for p, _ in schedule if p not in known]
    if missing:
        PeriodicTask.objects.bulk_create(missing, ignore_conflicts=True)
    claimed = []
    for path, seconds in schedule:
        if path in known and known[path] > now:
            continue
        won = PeriodicTask.objects.filter(path=path, next_run_at__lte=now).update(
            next_run_at=now + timedelta(seconds=seconds), last_run_at=now, last_worker=worker_id
        )
        if won:
            claimed.append(path)
    return claimed
