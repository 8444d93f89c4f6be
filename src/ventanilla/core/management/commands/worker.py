"""Run the background worker: django-tasks-db's queue runner, a heartbeat for /healthz, and
the periodic tasks (delivery retries, SLA upkeep)."""

from __future__ import annotations

import logging
import math
import threading
import time
from typing import Any

from django.conf import settings
from django.db import close_old_connections
from django.utils.module_loading import import_string
from django_tasks_db.management.commands import db_worker

from ventanilla.core import clock
from ventanilla.core.services import heartbeat_record

logger = logging.getLogger(__name__)
HEARTBEAT_SECONDS = 15


def _enqueue_due(last_run: dict[str, float]) -> None:
    """Enqueue each periodic task (settings.PERIODIC_TASKS) whose interval has passed. Every
    periodic task is idempotent, so two workers enqueuing the same one is harmless."""
    now = time.monotonic()
    for path, seconds in settings.PERIODIC_TASKS:
        if now - last_run.get(path, -math.inf) >= seconds:
            import_string(path).enqueue()
            last_run[path] = now


def _beat(worker_id: str, stop: threading.Event) -> None:
    started_at = clock.now()
    last_run: dict[str, float] = {}
    while True:
        try:
            heartbeat_record(worker_id=worker_id, started_at=started_at)
            _enqueue_due(last_run)
        except Exception:  # a failed beat must never stop the worker; /healthz shows its age
            logger.exception("worker heartbeat failed")
        finally:
            close_old_connections()
        if stop.wait(HEARTBEAT_SECONDS):
            return


class Command(db_worker.Command):
    help = "Run the background worker (all queues) and record its heartbeat for /healthz."

    def handle(self, *args: Any, **options: Any) -> None:
        if options.get("queue_name") == "default":
            options["queue_name"] = "*"
        stop = threading.Event()
        beat = threading.Thread(target=_beat, args=(options["worker_id"], stop), daemon=True)
        beat.start()
        try:
            super().handle(*args, **options)
        finally:
            stop.set()
