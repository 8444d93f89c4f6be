"""The open data's daily release, run by the worker (`PERIODIC_TASKS`)."""

from __future__ import annotations

from django.tasks import task

from ventanilla.insights.opendata import opendata_export


@task()
def opendata_export_task() -> str:
    return opendata_export().date.isoformat()
