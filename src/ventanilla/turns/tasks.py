"""Background upkeep of turns."""

from __future__ import annotations

from django.tasks import task

from ventanilla.turns import services


@task()
def tickets_forget_contacts() -> int:
    return services.tickets_forget_contacts()
