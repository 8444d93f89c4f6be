"""Background work of insights: rebuilding the materialised figures."""

from __future__ import annotations

from django.tasks import task

from ventanilla.insights import refresh


@task()
def figures_refresh_task() -> int:
    """Rebuild the month and open figures; how many cases they cover."""
    return refresh.figures_refresh().cases
