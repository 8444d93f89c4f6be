"""Read queries of notifications."""

from __future__ import annotations

from django.db.models import QuerySet

from ventanilla.notifications.models import Channel, Notification


def notifications_for(user_id: int) -> QuerySet[Notification]:
    """A person's in-app notices, newest first."""
    return Notification.objects.filter(user_id=user_id, channel=Channel.IN_APP).order_by(
        "-created_at"
    )
