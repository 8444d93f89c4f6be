"""Background delivery of notifications."""

from __future__ import annotations

from django.tasks import task

from ventanilla.notifications import services


@task(queue_name="mail")
def notification_deliver(*, notification_id: int) -> None:
    services.notification_deliver(notification_id=notification_id)


@task(queue_name="mail")
def notifications_sweep() -> int:
    """Deliver what is due: retries after an outage, and anything whose enqueue was lost."""
    return services.notifications_deliver_due()
