"""System checks of core's settings (run by `manage.py check` and by every command at start,
the worker included)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, register


@register()
def worker_niceness_in_range(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """`nice` takes 0 to 19 from an unprivileged process: anything else is a mistake that must
    not be silently ignored or cut."""
    if 0 <= settings.WORKER_NICENESS <= 19:
        return []
    return [
        Error(
            f"WORKER_NICENESS ({settings.WORKER_NICENESS}) must be between 0 and 19.",
            hint="10 lets web pages go first; 0 keeps the worker at the web's priority.",
            id="core.E001",
        )
    ]
