"""Background work of school places: the stage 1 run the coverage office asks for, telling
families the results of the real one, and releasing the places not accepted or not formalised
in time."""

from __future__ import annotations

from django.tasks import task

from ventanilla.accounts.models import User
from ventanilla.places import allocating, assignments
from ventanilla.places.models import Season


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


@task()
def allocation_run_task(*, season_id: int, dry_run: bool, actor_id: int | None) -> int:
    """Run the stage 1 allocation in the worker; the run's number."""
    season = Season.objects.select_related("entity").get(pk=season_id)
    actor = User.objects.filter(pk=actor_id).first() if actor_id is not None else None
    return allocating.allocation_run(season=season, dry_run=dry_run, actor=actor).number
