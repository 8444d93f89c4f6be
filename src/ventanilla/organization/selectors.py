"""Read queries about entities, dependencies and officials."""

from __future__ import annotations

import unicodedata
from functools import reduce
from operator import or_

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet

from ventanilla.calendars.business import BusinessCalendar, calendar_for
from ventanilla.core import memo
from ventanilla.organization.models import (
    ROLE_RANK,
    Dependency,
    Entity,
    Locality,
    Membership,
    Role,
)


def entity_calendar(entity: Entity) -> BusinessCalendar:
    """The legal calendar of `entity`: its country's holidays, its closures and its cut-off
    (remembered until the entity or its closures change)."""

    def read() -> BusinessCalendar:
        closures = frozenset(entity.closures.values_list("date", flat=True))
        return calendar_for(
            entity.holiday_country,
            entity.holiday_subdivision,
            closures,
            entity.reception_cutoff,
            entity.timezone,
        )

    return memo.remembered("entity-calendar", entity.pk, read)


def locality_names() -> dict[str, str]:
    """Every locality's name by its code, in the order of the codes (remembered)."""
    return memo.remembered(
        "localities",
        None,
        lambda: dict(Locality.objects.order_by("code").values_list("code", "name")),
    )


def whole_entities(dependency_ids: list[int]) -> tuple[list[int], list[int]]:
    """`dependency_ids` as the entities they cover whole (every dependency, none inactive)
    and the ids left over: "the cases of entity 1" is a far cheaper condition than a list of
    its 450 dependencies, for the planner and for the index."""
    given = set(dependency_ids)

    def read() -> dict[int, tuple[frozenset[int], bool]]:
        active: dict[int, set[int]] = {}
        inactive: set[int] = set()
        for pk, entity_id, is_active in Dependency.objects.values_list("pk", "entity_id", "active"):
            if is_active:
                active.setdefault(entity_id, set()).add(pk)
            else:
                inactive.add(entity_id)
        return {e: (frozenset(ids), e in inactive) for e, ids in active.items()}

    entities = memo.remembered("entity-dependencies", None, read)
    whole = [e for e, (ids, has_inactive) in entities.items() if not has_inactive and ids <= given]
    covered = set().union(*(entities[e][0] for e in whole))
    return sorted(whole), sorted(given - covered)


def dependency_by_code(entity_id: int, code: str) -> Dependency | None:
    """The dependency of an entity with that code (remembered: workflows name owners so)."""
    return memo.remembered(
        "dependency-by-code",
        (entity_id, code),
        lambda: Dependency.objects.filter(entity_id=entity_id, code=code).first(),
    )


def _plain(text: str) -> str:
    """Lower case and without accents, so that "bogota" finds "Bogotá"."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def dependencies_matching(
    *, entity_id: int, text: str, leaving_out: int | None = None, limit: int = 20
) -> tuple[list[Dependency], bool]:
    """The active dependencies of an entity whose code or name has every word of `text`, in
    the order of the tree, at most `limit` of them, and whether there were more. One query of
    the entity's dependencies (a few hundred short rows), matched here so that accents and
    case do not matter on any database."""
    words = _plain(text).split()
    if not words:
        return [], False
    rows = (
        Dependency.objects.filter(entity_id=entity_id, active=True)
        .only("pk", "code", "name", "path")
        .order_by("path")
    )
    if leaving_out is not None:
        rows = rows.exclude(pk=leaving_out)
    found = []
    for dependency in rows.iterator(chunk_size=500):
        plain = _plain(f"{dependency.code} {dependency.name}")
        if all(word in plain for word in words):
            found.append(dependency)
            if len(found) > limit:
                return found[:limit], True
    return found, False


def memberships_of(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Membership]:
    """The active memberships of `user` in active dependencies."""
    if not user.is_authenticated:
        return Membership.objects.none()
    return Membership.objects.filter(user_id=user.pk, active=True, dependency__active=True)


def user_is_official(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Staff of the platform, or holder of any role in a dependency."""
    if not user.is_authenticated:
        return False
    if getattr(user, "is_staff", False):
        return True
    return memberships_of(user).exists()


def dependencies_for(
    user: AbstractBaseUser | AnonymousUser, *, role_at_least: Role = Role.VIEWER
) -> QuerySet[Dependency]:
    """The dependencies `user` may act on with at least `role_at_least`: each dependency where
    they hold such a role, and its whole subtree."""
    minimum = ROLE_RANK[role_at_least]
    roles = [role for role, rank in ROLE_RANK.items() if rank >= minimum]
    scopes = list(
        memberships_of(user)
        .filter(role__in=roles)
        .values_list("dependency__entity_id", "dependency__path")
    )
    if not scopes:
        return Dependency.objects.none()
    condition = reduce(or_, (Q(entity_id=e, path__startswith=p) for e, p in scopes))
    return Dependency.objects.filter(condition, active=True)


def role_on(user: AbstractBaseUser | AnonymousUser, dependency: Dependency) -> Role | None:
    """The highest role `user` holds on `dependency` through it or any of its ancestors."""
    ancestors = []
    prefix = ""
    for code in dependency.path.rstrip("/").split("/"):
        prefix += code + "/"
        ancestors.append(prefix)
    roles = memberships_of(user).filter(
        dependency__entity_id=dependency.entity_id, dependency__path__in=ancestors
    )
    best = max((ROLE_RANK[r] for r in roles.values_list("role", flat=True)), default=None)
    return None if best is None else list(Role)[best]
