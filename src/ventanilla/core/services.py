"""State changes owned by the core app."""

from __future__ import annotations

import os
import socket
from datetime import datetime

from ventanilla.core import clock
from ventanilla.core.models import WorkerHeartbeat


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
