"""The officials' inbox: the cases of the dependencies they may act on, by legal deadline.

One query for the page and one for the counts, whatever the page size; search uses
PostgreSQL's Spanish full-text search where available and a plain contains on SQLite (the
indexed text is already lower-cased and stripped of accents, which does unaccent's work).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery

from ventanilla.accounts.models import User
from ventanilla.cases.legal import SlaState
from ventanilla.cases.models import Case, CompetenceTransfer, Message
from ventanilla.cases.workflow import approval_stages
from ventanilla.catalog import search
from ventanilla.catalog.models import ServiceVersion
from ventanilla.catalog.schema import Workflow
from ventanilla.organization.models import Role
from ventanilla.organization.selectors import dependencies_for, role_on


class Tab:
    MINE = "mine"
    UNASSIGNED = "unassigned"
    ALL = "all"  # every open case of the official's dependencies, whoever holds it
    TEAM = "team"
    TO_APPROVE = "to_approve"  # answers drafted by a handler, waiting for an approver
    TRANSFERRED = "transferred"
    CLOSED = "closed"


@dataclass(frozen=True)
class InboxFilters:
    tab: str = Tab.MINE
    service: str = ""
    stage: str = ""
    sla: str = ""
    channel: str = ""
    entity: str = ""
    filed_from: date | None = None
    filed_to: date | None = None
    q: str = ""


def _search(cases: QuerySet[Case], query: str) -> QuerySet[Case]:
    words = search.terms(query)
    if not words:
        return cases
    number = query.strip().upper()
    if connection.vendor == "postgresql":
        text = " & ".join(f"{w}:*" for w in words)
        vector = SearchVector("search_text", config="spanish")
        return cases.annotate(found=vector).filter(
            Q(found=SearchQuery(text, config="spanish", search_type="raw"))
            | Q(filing_number=number)
        )
    condition = Q()
    for word in words:
        condition &= Q(search_text__contains=f" {word}")
    return cases.filter(condition | Q(filing_number=number))


def _scope(user: User, role: Role = Role.VIEWER) -> list[int]:
    """The ids of the dependencies `user` may see, as a list: the planner estimates a literal
    list far better than a subquery on paths (hundreds of schools under one root)."""
    return list(dependencies_for(user, role_at_least=role).values_list("pk", flat=True))


def inbox(user: User, filters: InboxFilters) -> QuerySet[Case]:
    """The cases `user` sees in `filters.tab`, filtered, earliest legal deadline first."""
    scope = _scope(user)
    if filters.tab == Tab.TRANSFERRED:
        cases = Case.objects.filter(
            pk__in=CompetenceTransfer.objects.filter(from_dependency__in=scope).values("case_id")
        )
    else:
        cases = Case.objects.filter(dependency__in=scope)
        if filters.tab == Tab.CLOSED:
            cases = cases.filter(closed_at__isnull=False)
        else:
            cases = cases.filter(closed_at__isnull=True)
        if filters.tab == Tab.MINE:
            cases = cases.filter(assignee=user)
        elif filters.tab == Tab.UNASSIGNED:
            cases = cases.filter(assignee__isnull=True)
        elif filters.tab == Tab.TEAM:
            supervised = _scope(user, Role.SUPERVISOR)
            if not supervised:
                return Case.objects.none()
            cases = cases.filter(dependency__in=supervised)
        elif filters.tab == Tab.TO_APPROVE:
            approved_here = _scope(user, Role.APPROVER)
            if not approved_here:
                return Case.objects.none()
            waiting, four_eyes = _in_approval_stage()
            cases = (
                cases.filter(dependency__in=approved_here)
                .filter(~Q(response_draft="") | waiting)
                .exclude(four_eyes & Q(response_drafted_by=user))
            )
    if filters.service:
        cases = cases.filter(service__slug=filters.service)
    if filters.stage:
        cases = cases.filter(stage=filters.stage)
    if filters.sla:
        cases = cases.filter(sla_state=filters.sla)
    if filters.channel:
        cases = cases.filter(channel=filters.channel)
    if filters.entity:
        cases = cases.filter(entity__code=filters.entity)
    if filters.filed_from:
        cases = cases.filter(received_on__gte=filters.filed_from)
    if filters.filed_to:
        cases = cases.filter(received_on__lte=filters.filed_to)
    if filters.q:
        cases = _search(cases, filters.q)
    return cases.select_related(
        "service", "service_version", "dependency", "assignee", "applicant", "entity"
    ).order_by("due_date", "filed_at")


def _in_approval_stage() -> tuple[Q, Q]:
    """Cases standing where their workflow waits for an approver's decision, and among them
    those where the drafter may not sign (only the workflows are read, not whole
    definitions)."""
    waiting = four_eyes = Q(pk__in=[])
    versions = ServiceVersion.objects.filter(published_at__isnull=False).values_list(
        "pk", "definition__workflow"
    )
    for version_id, data in versions:
        workflow = Workflow.model_validate(data)
        stages = approval_stages(workflow)
        if stages:
            here = Q(service_version_id=version_id, stage__in=sorted(stages))
            waiting |= here
            if not workflow.drafter_may_approve:
                four_eyes |= here
    return waiting, four_eyes


def with_citizen_waiting(cases: QuerySet[Case]) -> QuerySet[Case]:
    """Mark each case whose latest message is the citizen's (`citizen_waiting`): somebody
    wrote and no official has written back yet. Evaluated only for the rows of a page."""
    latest = Message.objects.filter(case=OuterRef("pk")).order_by("-created_at", "-pk")
    return cases.annotate(citizen_waiting=Subquery(latest.values("from_citizen")[:1]))


def inbox_counts(user: User, filters: InboxFilters) -> dict[str, int]:
    """How many cases of the tab are in each SLA state (one query)."""
    cases = inbox(user, InboxFilters(**{**filters.__dict__, "sla": ""})).order_by()
    aggregate = cases.aggregate(
        **{state.value: Count("pk", filter=Q(sla_state=state.value)) for state in SlaState},
        total=Count("pk"),
    )
    return {key: int(value or 0) for key, value in aggregate.items()}


def case_for_official(user: User, filing_number: str) -> tuple[Case, bool] | None:
    """The case and whether `user` may act on it; None when they may not even see it.

    Officials see the cases of their dependencies' subtrees, and (read-only) the cases their
    dependencies transferred to another entity.
    """
    case = (
        Case.objects.select_related(
            "service", "service_version", "dependency", "entity", "applicant", "assignee"
        )
        .filter(filing_number=filing_number)
        .first()
    )
    if case is None:
        return None
    if role_on(user, case.dependency) is not None:
        return case, True
    transferred = CompetenceTransfer.objects.filter(
        case=case, from_dependency__in=_scope(user)
    ).exists()
    return (case, False) if transferred else None


def workload(user: User) -> list[dict[str, object]]:
    """Open and overdue cases per official in the dependencies `user` supervises."""
    scope = _scope(user, Role.SUPERVISOR)
    rows = (
        Case.objects.filter(dependency__in=scope, closed_at__isnull=True, assignee__isnull=False)
        .values("assignee", "assignee__first_name", "assignee__last_name", "assignee__email")
        .annotate(
            open=Count("pk"),
            overdue=Count("pk", filter=Q(sla_state=SlaState.OVERDUE)),
            due_soon=Count("pk", filter=Q(sla_state=SlaState.DUE_SOON)),
        )
        .order_by("-overdue", "-open")
    )
    return [dict(row) for row in rows]
