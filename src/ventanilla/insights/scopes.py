"""Which dashboards an official may read.

Supervisors and administrators (a role of supervision or more on a dependency) read the figures
of the subtrees they hold that role on: the dashboard is for those who answer for a team's
deadlines. Approvers and handlers do not: an approver signs answers off without managing the
team, and the team's workload is the supervisor's to see. The whole entity is readable only by
someone whose subtrees cover every one of its top-level dependencies.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser

from ventanilla.catalog.models import Service
from ventanilla.insights.selectors import Scope
from ventanilla.organization.models import ROLE_RANK, Dependency, Entity, Role
from ventanilla.organization.selectors import dependencies_for, memberships_of

DASHBOARD_ROLE = Role.SUPERVISOR


@dataclass(frozen=True)
class Reach:
    """What one official may choose on the dashboard."""

    entities: list[Entity]
    dependencies: list[Dependency]  # every dependency they may choose, by entity and path
    whole: frozenset[int]  # the entities they may read as a whole

    def dependencies_of(self, entity: Entity) -> list[Dependency]:
        return [d for d in self.dependencies if d.entity_id == entity.pk]

    def default_dependency(self, entity: Entity) -> Dependency | None:
        """None (the whole entity) where allowed, or the highest dependency they hold."""
        if entity.pk in self.whole:
            return None
        return min(self.dependencies_of(entity), key=lambda d: (d.path.count("/"), d.path))


def dashboard_reach(user: AbstractBaseUser | AnonymousUser) -> Reach:
    """The entities and dependencies `user` may read figures of; nothing for lower roles."""
    allowed = list(
        dependencies_for(user, role_at_least=DASHBOARD_ROLE)
        .select_related("entity")
        .order_by("entity__name", "path")
    )
    entities = list({d.entity_id: d.entity for d in allowed}.values())
    held = {d.pk for d in allowed}
    whole = frozenset(
        e.pk
        for e in entities
        if set(
            Dependency.objects.filter(entity=e, parent__isnull=True, active=True).values_list(
                "pk", flat=True
            )
        )
        <= held
    )
    return Reach(entities=entities, dependencies=allowed, whole=whole)


def dashboard_scope(
    reach: Reach,
    *,
    entity_code: str,
    dependency_id: str,
    service_slug: str,
    start: date,
    end: date,
) -> Scope | None:
    """The scope asked for, narrowed to what `reach` allows: an entity, dependency or service
    outside it is ignored for the default (the first entity; the widest dependency allowed).
    None when the official may read no dashboard."""
    if not reach.entities:
        return None
    entity = next((e for e in reach.entities if e.code == entity_code), reach.entities[0])
    dependency = next(
        (d for d in reach.dependencies_of(entity) if str(d.pk) == dependency_id),
        reach.default_dependency(entity),
    )
    service = Service.objects.filter(entity=entity, slug=service_slug).first()
    return Scope(entity=entity, start=start, end=end, dependency=dependency, service=service)


def report_entities(user: AbstractBaseUser | AnonymousUser) -> list[Entity]:
    """The entities whose report `user` may read: a supervisor's or administrator's role on a
    top-level dependency, which covers the whole entity. Approvers sign answers inside one
    dependency and do not answer for the entity's figures, so they do not see it."""
    roles = [r for r, rank in ROLE_RANK.items() if rank >= ROLE_RANK[Role.SUPERVISOR]]
    ids = (
        memberships_of(user)
        .filter(role__in=roles, dependency__parent__isnull=True)
        .values_list("dependency__entity_id", flat=True)
    )
    return list(Entity.objects.filter(pk__in=ids).order_by("name"))
