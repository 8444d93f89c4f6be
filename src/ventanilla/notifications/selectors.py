"""Read queries of notifications."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import QuerySet

from ventanilla.core import clock
from ventanilla.notifications.models import Channel, Notification, State

# A notification still waiting this long after it was queued means mail is not leaving: the
# mail server refuses it (retries with backoff) or no worker is sending.
OUTBOX_LATE = timedelta(minutes=15)
# Failed notifications this recent make the outbox unhealthy.
FAILED_RECENTLY = timedelta(days=1)


def notifications_for(user_id: int) -> QuerySet[Notification]:
    """A person's in-app notices, newest first (not one whose template failed: it is empty)."""
    return Notification.objects.filter(
        user_id=user_id, channel=Channel.IN_APP, state=State.SENT
    ).order_by("-created_at")


def notifications_failed_count() -> int:
    """How many notifications ended as failed (shown to administrators)."""
    return Notification.objects.filter(state=State.FAILED).count()


def outbox_health() -> dict[str, object]:
    """The outbox's part of `/healthz`: not ok while mail waits longer than `OUTBOX_LATE` or
    when a notification failed in the last day."""
    now = clock.now()
    pending = Notification.objects.filter(state=State.PENDING)
    oldest = pending.order_by("created_at").values_list("created_at", flat=True).first()
    failed = Notification.objects.filter(state=State.FAILED)
    failed_recently = failed.filter(failed_at__gte=now - FAILED_RECENTLY).count()
    oldest_age = (now - oldest).total_seconds() if oldest else None
    return {
        "ok": failed_recently == 0 and (oldest is None or now - oldest <= OUTBOX_LATE),
        "pending": pending.count(),
        "due": pending.filter(next_attempt_at__lte=now).count(),
        "oldest_pending_age_seconds": round(oldest_age, 1) if oldest_age is not None else None,
        "failed": failed.count(),
        "failed_last_day": failed_recently,
    }
