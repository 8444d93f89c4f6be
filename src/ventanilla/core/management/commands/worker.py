"""Run the background worker: django-tasks-db's queue runner, a heartbeat for /healthz, the
periodic tasks (delivery sweep, SLA upkeep), each enqueued by one worker per period, and the
loops of `settings.WORKER_LOOPS` (the outbox's delivery in batches)."""

from __future__ import annotations

import logging
import math
import os
import threading
import time
from typing import Any

from django.conf import settings
from django.db import OperationalError, close_old_connections
from django.utils.module_loading import import_string
from django_tasks_db.management.commands import db_worker
from django_tasks_db.utils import is_locked_database_exception

from ventanilla.core import clock
from ventanilla.core.services import heartbeat_record, periodic_tasks_claim

logger = logging.getLogger(__name__)
HEARTBEAT_SECONDS = 15
# How often the worker looks for periodic tasks that are due (more often when one of them runs
# more often than this).
TICK_SECONDS = 5.0


def _enqueue_due(worker_id: str) -> list[str]:
    """Enqueue the periodic tasks (settings.PERIODIC_TASKS) that are due and that this worker
    claimed: each runs once per period whatever the number of workers."""
    claimed = periodic_tasks_claim(worker_id=worker_id, schedule=settings.PERIODIC_TASKS)
    for path in claimed:
        try:
            import_string(path).enqueue()
        except Exception:  # this period is lost for this task; the others still run
            logger.exception("could not enqueue the periodic task %s", path)
    return claimed


def _tick_seconds() -> float:
    shortest = min((seconds for _, seconds in settings.PERIODIC_TASKS), default=TICK_SECONDS)
    return max(0.5, min(TICK_SECONDS, float(shortest)))


def _report(error: Exception, what: str, *args: object) -> None:
    """Log a failed round of a worker's thread. SQLite's one write lock can stay taken by other
    writers past its timeout when filings never let up (its waiters poll, and a late poller can
    lose every time). The transaction that met it did not happen and the work is done again (a
    claim at the next round; an outbox batch whose outcomes could not be recorded is sent again
    when its lease ends), so that is a warning without a traceback. Anything else is an error
    with its traceback."""
    if isinstance(error, OperationalError) and is_locked_database_exception(error):
        logger.warning(
            what + ": the database stayed busy (%s); tried again next round", *args, error
        )
    else:
        logger.exception(what, *args)


def _beat(worker_id: str, stop: threading.Event) -> None:
    started_at = clock.now()
    last_beat = -math.inf
    tick = _tick_seconds()
    while True:
        try:
            if time.monotonic() - last_beat >= HEARTBEAT_SECONDS:
                heartbeat_record(worker_id=worker_id, started_at=started_at)
                last_beat = time.monotonic()
            _enqueue_due(worker_id)
        except Exception as error:  # a failed beat never stops the worker; /healthz shows its age
            _report(error, "worker heartbeat failed")
        finally:
            close_old_connections()
        if stop.wait(tick):
            return


def _loop(path: str, idle_seconds: float, stop: threading.Event) -> None:
    """Call the function at `path` again at once while it does something, else after
    `idle_seconds`; an error is logged and waited out, never the end of the loop."""
    work = import_string(path)
    while not stop.is_set():
        done = 0
        try:
            done = work()
        except Exception as error:
            _report(error, "the worker loop %s failed", path)
        finally:
            close_old_connections()
        if not done and stop.wait(idle_seconds):
            return


def _lower_priority(niceness: int) -> None:
    """Run this process at `niceness` (0 to 19, `core.checks`) above the priority it was started
    with; the database's own processes are not affected."""
    if niceness and hasattr(os, "nice"):  # os.nice is POSIX only
        os.nice(niceness)


class Command(db_worker.Command):
    help = "Run the background worker (all queues) and record its heartbeat for /healthz."

    def handle(self, *args: Any, **options: Any) -> None:
        if options.get("queue_name") == "default":
            options["queue_name"] = "*"
        # Before any thread starts: on Linux each thread has its own priority, inherited.
        _lower_priority(settings.WORKER_NICENESS)
        stop = threading.Event()
        beat = threading.Thread(target=_beat, args=(options["worker_id"], stop), daemon=True)
        beat.start()
        loops = [
            threading.Thread(target=_loop, args=(path, idle_seconds, stop), daemon=True)
            for path, idle_seconds in settings.WORKER_LOOPS
        ]
        for loop in loops:
            loop.start()
        try:
            super().handle(*args, **options)
        finally:
            stop.set()
            # A loop finishes the round in hand (the outbox gives back what it has not sent
            # within half a lease), so a stopped worker leaves no mail claimed for a lease.
            for loop in loops:
                loop.join(timeout=settings.NOTIFICATION_LEASE_SECONDS)
