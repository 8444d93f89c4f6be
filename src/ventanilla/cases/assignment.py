"""Who works a case: claiming, assigning to a colleague, releasing, and the automatic rule of a
dependency (by turns, or to whoever has fewest open cases)."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from ventanilla.accounts.models import User
from ventanilla.cases.models import AssignmentMode, AssignmentRule, Case
from ventanilla.cases.timeline import EventKind, event_append
from ventanilla.core import clock, memo
from ventanilla.organization.models import ROLE_RANK, Dependency, Role
from ventanilla.organization.selectors import role_on


class AssignmentError(Exception):
    pass


def can_handle(user: User, case: Case) -> bool:
    """Whether `user` may hold `case`: at least a handler on its dependency (or above it)."""
    held = role_on(user, case.dependency)
    return held is not None and ROLE_RANK[held] >= ROLE_RANK[Role.HANDLER]


def handlers_of(dependency: Dependency) -> list[User]:
    """The officials with at least a handler's role directly on `dependency`."""
    roles = [r for r, rank in ROLE_RANK.items() if rank >= ROLE_RANK[Role.HANDLER]]
    return list(
        User.objects.filter(
            memberships__dependency=dependency,
            memberships__active=True,
            memberships__role__in=roles,
            is_active=True,
        )
        .distinct()
        .order_by("pk")
    )


def _assigning_dependencies() -> frozenset[int]:
    """The dependencies whose new cases a rule assigns (remembered: most have none, and every
    filing asks)."""
    return memo.remembered(
        "assigning-dependencies",
        None,
        lambda: frozenset(
            AssignmentRule.objects.exclude(mode=AssignmentMode.MANUAL).values_list(
                "dependency_id", flat=True
            )
        ),
    )


def assignment_rule_apply(*, dependency: Dependency) -> User | None:
    """Give the dependency's next case to whom its rule says, and record that turn (it locks
    and writes the rule); None when assignment is manual. Call it inside the transaction that
    saves the case, so that a rolled-back case gives its turn back."""
    if dependency.pk not in _assigning_dependencies():
        return None
    rule = AssignmentRule.objects.select_for_update().filter(dependency=dependency).first()
    if rule is None or rule.mode == AssignmentMode.MANUAL:
        return None
    candidates = handlers_of(dependency)
    if not candidates:
        return None
    if rule.mode == AssignmentMode.ROUND_ROBIN:
        after = [u for u in candidates if rule.last_assignee_id and u.pk > rule.last_assignee_id]
        chosen = after[0] if after else candidates[0]
    else:
        loads = dict(
            User.objects.filter(pk__in=[u.pk for u in candidates])
            .annotate(
                open_cases=Count("assigned_cases", filter=Q(assigned_cases__closed_at__isnull=True))
            )
            .values_list("pk", "open_cases")
        )
        chosen = min(candidates, key=lambda u: (loads.get(u.pk, 0), u.pk))
    rule.last_assignee = chosen
    rule.save(update_fields=["last_assignee"])
    return chosen


def case_assign(*, case: Case, assignee: User | None, actor: User) -> Case:
    """Claim (assignee is the actor), give to a colleague, or release (assignee None)."""
    with transaction.atomic():
        case = (
            Case.objects.select_for_update(of=("self",))
            .select_related("dependency")
            .get(pk=case.pk)
        )
        if case.is_closed:
            raise AssignmentError(_("El caso está cerrado."))
        actor_role = role_on(actor, case.dependency)
        if actor_role is None or ROLE_RANK[actor_role] < ROLE_RANK[Role.HANDLER]:
            raise AssignmentError(_("No puede asignar casos de esta dependencia."))
        supervising = ROLE_RANK[actor_role] >= ROLE_RANK[Role.SUPERVISOR]
        if assignee is None:
            if case.assignee_id not in (None, actor.pk) and not supervising:
                raise AssignmentError(_("Solo quien lo tiene o un supervisor puede liberarlo."))
        elif not can_handle(assignee, case):
            raise AssignmentError(_("Esa persona no puede gestionar casos de esta dependencia."))
        elif case.assignee_id not in (None, actor.pk) and not supervising:
            raise AssignmentError(_("El caso ya lo tiene otra persona."))
        previous = case.assignee
        case.assignee = assignee
        case.save(update_fields=["assignee"])
        event_append(
            case=case,
            at=clock.now(),
            kind=EventKind.ASSIGNMENT,
            actor_id=actor.pk,
            actor_label=actor.get_full_name() or actor.email,
            stage_from=case.stage,
            stage_to=case.stage,
            citizen_visible=False,
            data={
                "from": previous.email if previous else None,
                "to": assignee.email if assignee else None,
                # The route names people; the address stays to tell apart two of one name.
                "from_name": _name(previous),
                "to_name": _name(assignee),
            },
        )
    return case


def _name(user: User | None) -> str | None:
    return (user.get_full_name() or user.email) if user else None


def assignment_rule_set(*, dependency: Dependency, mode: str) -> AssignmentRule:
    """Choose how new cases of `dependency` are assigned (manual, by turns, fewest open)."""
    rule, _created = AssignmentRule.objects.update_or_create(
        dependency=dependency, defaults={"mode": mode}
    )
    return rule
