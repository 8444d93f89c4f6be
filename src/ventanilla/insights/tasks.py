"""Background work of insights: rebuilding the materialised figures, and the open data's daily
release (both in `PERIODIC_TASKS`)."""

from __future__ import annotations

from django.tasks import task

from ventanilla.insights import refresh
from ventanilla.insights.opendata import opendata_export


@task()
def figures_refresh_task() -> int:
    """Rebuild the month and open figures; how many cases they cover."""
    return refresh.figures_refresh().cases


@task()
def opendata_export_task() -> str:
    """Write today's open data release; its date."""
    return opendata_export().date.isoformat()
