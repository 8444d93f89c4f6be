"""System checks of the outbox's settings (run by `manage.py check` and at start)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, register


@register()
def lease_outlasts_smtp_timeout(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """A lease shorter than the SMTP timeout would let a second worker send a message while
    the first is still waiting for the server."""
    mailer: dict[str, Any] = settings.MAILERS.get("default", {})
    timeout = mailer.get("OPTIONS", {}).get("timeout")
    if timeout is not None and timeout >= settings.NOTIFICATION_LEASE_SECONDS:
        return [
            Error(
                f"NOTIFICATION_LEASE_SECONDS ({settings.NOTIFICATION_LEASE_SECONDS}) must be "
                f"longer than EMAIL_TIMEOUT ({timeout}).",
                hint="Raise NOTIFICATION_LEASE_SECONDS to EMAIL_TIMEOUT plus a few seconds.",
                id="notifications.E001",
            )
        ]
    return []
