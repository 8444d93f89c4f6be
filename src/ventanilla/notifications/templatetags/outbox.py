"""The outbox's notice on the admin index."""

from __future__ import annotations

from django import template

from ventanilla.notifications.selectors import notifications_failed_count

register = template.Library()


@register.simple_tag
def outbox_failed_count() -> int:
    """How many notifications ended as failed."""
    return notifications_failed_count()
