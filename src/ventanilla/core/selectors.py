"""Read queries owned by the core app."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils.module_loading import import_string

from ventanilla.core import clock
from ventanilla.core.models import WorkerHeartbeat

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Health:
    database_ok: bool
    database_ms: float | None
    worker_ok: bool
    worker_seen_at: datetime | None
    # Results of `settings.HEALTH_CHECKS`: name → {"ok": bool, …details}.
    parts: dict[str, dict[str, object]] = field(default_factory=dict)

    @property
    def status(self) -> str:
        if not self.database_ok:
            return "fail"
        parts_ok = all(part.get("ok") for part in self.parts.values())
        return "ok" if self.worker_ok and parts_ok else "degraded"

    def as_dict(self) -> dict[str, object]:
        age = (clock.now() - self.worker_seen_at).total_seconds() if self.worker_seen_at else None
        return {
            "status": self.status,
            "database": {"ok": self.database_ok, "latency_ms": self.database_ms},
            "worker": {
                "ok": self.worker_ok,
                "last_seen": self.worker_seen_at.isoformat() if self.worker_seen_at else None,
                "age_seconds": round(age, 1) if age is not None else None,
            },
            **self.parts,
        }


def _part(path: str) -> dict[str, object]:
    try:
        result: dict[str, object] = import_string(path)()
    except DatabaseError:
        raise
    except Exception as error:  # a broken check reports itself, it does not break /healthz
        logger.exception("health check %s failed", path)
        return {"ok": False, "error": type(error).__name__}
    return result


def health_check() -> Health:
    """Whether the database answers, a worker has beaten recently, and the other parts of
    `settings.HEALTH_CHECKS` (the outbox) are well."""
    started = time.perf_counter()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        latest = WorkerHeartbeat.objects.order_by("-seen_at").values_list("seen_at", flat=True)
        seen_at = latest.first()
        elapsed_ms = round((time.perf_counter() - started) * 1000, 1)
        parts = {name: _part(path) for name, path in settings.HEALTH_CHECKS.items()}
    except DatabaseError:
        return Health(database_ok=False, database_ms=None, worker_ok=False, worker_seen_at=None)
    worker_ok = (
        seen_at is not None
        and (clock.now() - seen_at).total_seconds() <= settings.WORKER_HEARTBEAT_MAX_AGE
    )
    return Health(
        database_ok=True,
        database_ms=elapsed_ms,
        worker_ok=worker_ok,
        worker_seen_at=seen_at,
        parts=parts,
    )
