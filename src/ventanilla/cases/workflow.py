"""Who may do what to a case now: the one answer the portal, workspace and API all ask."""

from __future__ import annotations

from enum import StrEnum

from ventanilla.accounts.models import User
from ventanilla.cases.guest_access import is_guest_case
from ventanilla.cases.models import Case, FilerKind
from ventanilla.catalog.effects import effect_for
from ventanilla.catalog.schema import Action, RoleName, Workflow
from ventanilla.organization.models import ROLE_RANK, Role
from ventanilla.organization.selectors import role_on


class Actor(StrEnum):
    OFFICIAL = "official"
    CITIZEN = "citizen"  # the applicant, signed in
    GUEST = "guest"  # the guest filer, who opened the link sent to the case's email
    SYSTEM = "system"


CITIZEN_SIDE = frozenset({Actor.CITIZEN, Actor.GUEST})


def _official_may(user: User, case: Case, action: Action) -> bool:
    held = role_on(user, case.dependency)
    if held is None:
        return False
    official_roles = [r for r in action.roles if r.value in ROLE_RANK]
    if not official_roles:
        return False
    # A role covers the roles below it: an approver may also do what a handler does.
    needed = min(ROLE_RANK[r.value] for r in official_roles)
    return ROLE_RANK[held] >= needed


def approval_stages(workflow: Workflow) -> frozenset[str]:
    """The stages where a case waits for an approver's decision: it can only be answered (or
    refused) there by an approver or above. An action into one of them carries the drafted
    answer."""
    stages: set[str] = set()
    for action in workflow.actions:
        if not effect_for(action.effect).answers:
            continue
        official = [ROLE_RANK[r.value] for r in action.roles if r.value in ROLE_RANK]
        if official and min(official) >= ROLE_RANK[Role.APPROVER]:
            stages.update(action.from_stages)
    return frozenset(stages)


def actions_for(case: Case, *, user: User | None, as_actor: Actor) -> list[Action]:
    """The workflow actions `user` may take on `case` in its current stage."""
    workflow = case.service_version.parsed.workflow
    possible = [a for a in workflow.actions if case.stage in a.from_stages]
    if case.filer_kind == FilerKind.ANONYMOUS:
        # Nobody to ask and nobody to answer: an anonymous report is worked with what it says.
        possible = [a for a in possible if not effect_for(a.effect).asks_citizen]
    if as_actor == Actor.SYSTEM:
        return [a for a in possible if RoleName.SYSTEM in a.roles]
    if as_actor == Actor.GUEST:
        # The surface proved the guest link (guest_access.guest_case) before asking.
        if not is_guest_case(case):
            return []
        return [a for a in possible if RoleName.CITIZEN in a.roles]
    if user is None:
        return []
    if as_actor == Actor.CITIZEN:
        if case.applicant_id != user.pk:
            return []
        return [a for a in possible if RoleName.CITIZEN in a.roles]
    if drafted_by_themself(case, user):
        # Four eyes: whoever drafted the answer does not sign it.
        possible = [a for a in possible if not effect_for(a.effect).answers]
    return [a for a in possible if _official_may(user, case, a)]


def drafted_by_themself(case: Case, user: User) -> bool:
    """`user` drafted the answer now waiting where only an approver may answer, and the
    workflow does not let a drafter sign their own answer."""
    workflow = case.service_version.parsed.workflow
    return (
        case.response_drafted_by_id == user.pk
        and not workflow.drafter_may_approve
        and case.stage in approval_stages(workflow)
    )
