"""Background work owned by the core app."""

from __future__ import annotations

from django.core.management import call_command
from django.tasks import task, task_backends
from django_tasks_db.backend import DatabaseBackend

# Finished background tasks are kept this long, to look into a failure; the notification
# sweep alone adds one every few seconds.
TASK_RESULTS_KEPT_DAYS = 14


@task()
def task_results_prune() -> None:
    """Delete the results of background tasks that finished more than two weeks ago."""
    if isinstance(task_backends["default"], DatabaseBackend):
        call_command(
            "prune_db_task_results",
            queue_name="*",
            min_age_days=TASK_RESULTS_KEPT_DAYS,
            verbosity=0,
        )
