"""Background work of school places: tell families the results of the real allocation, and
release the places not accepted or not formalised in time."""

from __future__ import annotations

from django.tasks import task

from ventanilla.places import allocating, assignments


@task()
def places_upkeep() -> int:
    """Announce the next results and release what is overdue; how many families were told."""
    told = 0
    while True:
        batch = allocating.results_announce(limit=500)
        told += batch
        if batch < 500:
            break
    return told + assignments.assignments_release()
