"""Read queries about cases, for the citizen, the public tracking page and the API."""

from __future__ import annotations

import secrets
from collections.abc import Iterable

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from ventanilla.cases.filing import code_hash
from ventanilla.cases.guest_access import is_guest_case
from ventanilla.cases.legal import SlaState, sla_state
from ventanilla.cases.models import Case, TimelineEvent
from ventanilla.core import clock
from ventanilla.organization.selectors import entity_calendar

CASE_RELATED = ("service", "service_version", "entity", "dependency", "applicant")


def case_verify(filing_number: str, code: str) -> Case | None:
    """The case with this number when the code is right; None otherwise, in constant time
    whether the number exists or not (the public tracking page must not tell them apart)."""
    number = filing_number.strip().upper()
    # The proof needs the hash alone; whoever proved it is sent to the case's page, which
    # reads the rest.
    case = (
        Case.objects.only("pk", "filing_number", "verification_hash")
        .filter(filing_number=number)
        .first()
    )
    expected = case.verification_hash if case else code_hash("none", "none")
    given = code_hash(number, code)
    if secrets.compare_digest(expected, given) and case is not None:
        return case
    return None


def case_for_tracking(
    filing_number: str,
    tracked_ids: Iterable[int],
    user: AbstractBaseUser | AnonymousUser,
) -> Case | None:
    """A case whose status this visitor may see: one they proved the code for in this session,
    or their own. The code proves the status only; the person's documents, messages and answer
    need the account or the guest link (`own_case`, `guest_case_granted`)."""
    case = Case.objects.select_related(*CASE_RELATED).filter(filing_number=filing_number).first()
    if case is None:
        return None
    if case.pk in set(tracked_ids):
        return case
    if user.is_authenticated and case.applicant_id == user.pk:
        return case
    return None


def is_overdue(case: Case) -> bool:
    """Whether the citizen is owed an answer today: the SLA rule (`legal.sla_state`) worked
    out now, in the entity's own day, since the stored state may be an hour behind."""
    calendar = entity_calendar(case.entity)
    state = sla_state(
        due=case.due_date,
        today=clock.now().astimezone(calendar.zone).date(),
        calendar=calendar,
        paused=case.paused_on is not None,
        closed=case.closed_at is not None,
    )
    return state == SlaState.OVERDUE


def citizen_route(case: Case) -> QuerySet[TimelineEvent]:
    """The events of a case the citizen may see, oldest first."""
    return case.timeline.filter(citizen_visible=True).order_by("sequence")


def last_hash(case: Case) -> str:
    """The hash at the head of the case's chain: publish it to prove the route later."""
    value = case.timeline.order_by("-sequence").values_list("hash", flat=True).first()
    return value or ""


def cases_of(user: AbstractBaseUser, *, state: str = "") -> QuerySet[Case]:
    """A citizen's own cases, newest first; `state` is open, waiting (for them) or closed."""
    cases = Case.objects.filter(applicant_id=user.pk).select_related("service", "service_version")
    if state == "open":
        cases = cases.filter(closed_at__isnull=True)
    elif state == "waiting":
        cases = cases.filter(closed_at__isnull=True, paused_on__isnull=False)
    elif state == "closed":
        cases = cases.filter(closed_at__isnull=False)
    return cases.order_by("-filed_at")


def guest_case_granted(filing_number: str, granted_ids: Iterable[int]) -> Case | None:
    """A guest case whose link was opened in this session (its ids are in `granted_ids`)."""
    case = (
        Case.objects.select_related(*CASE_RELATED)
        .filter(filing_number=filing_number, pk__in=list(granted_ids))
        .first()
    )
    return case if case is not None and is_guest_case(case) else None


def own_case(user: AbstractBaseUser, filing_number: str) -> Case | None:
    """The citizen's own case with that number; None for anybody else's (a 404 to them)."""
    return (
        Case.objects.select_related(*CASE_RELATED)
        .filter(filing_number=filing_number, applicant_id=user.pk)
        .first()
    )
