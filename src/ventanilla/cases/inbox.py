"""The officials' inbox: the cases of the dependencies they may act on, by legal deadline.

One query for the page and one for the counts, whatever the page size; search uses
PostgreSQL's Spanish full-text search where available and a plain contains on SQLite (the
indexed text is already lower-cased and stripped of accents, which does unaccent's work).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery

from ventanilla.accounts.models import User
from ventanilla.cases.legal import SlaState, days_overdue
from ventanilla.cases.models import Case, CompetenceTransfer, Message
from ventanilla.cases.workflow import approval_stages
from ventanilla.catalog import search
from ventanilla.catalog.models import Service, ServiceVersion
from ventanilla.catalog.schema import Workflow
from ventanilla.core import clock, memo
from ventanilla.organization.models import Dependency, Role
from ventanilla.organization.selectors import (
    dependencies_for,
    entity_calendar,
    role_on,
    whole_entities,
)


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
    assignee: str = ""  # an official's id, or NOBODY for the unassigned cases
    dependency: str = ""  # a dependency's id


NOBODY = "nadie"


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


def _within(dependency_ids: list[int]) -> Q:
    """Cases of these dependencies, with whole entities said as entities."""
    whole, rest = whole_entities(dependency_ids)
    condition = Q(dependency__in=rest)
    if whole:
        condition = Q(entity_id__in=whole) | condition if rest else Q(entity_id__in=whole)
    return condition


def inbox(user: User, filters: InboxFilters, *, scope: list[int] | None = None) -> QuerySet[Case]:
    """The cases `user` sees in `filters.tab`, filtered, earliest legal deadline first
    (`scope`: the ids `_scope(user)` gives, when the caller has read them already)."""
    if scope is None:
        scope = _scope(user)
    if filters.tab == Tab.TRANSFERRED:
        cases = Case.objects.filter(
            pk__in=CompetenceTransfer.objects.filter(from_dependency__in=scope).values("case_id")
        )
    else:
        cases = Case.objects.filter(_within(scope))
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
            cases = cases.filter(_within(supervised))
        elif filters.tab == Tab.TO_APPROVE:
            approved_here = _scope(user, Role.APPROVER)
            if not approved_here:
                return Case.objects.none()
            waiting, four_eyes = _in_approval_stage()
            cases = (
                cases.filter(_within(approved_here))
                .filter(~Q(response_draft="") | waiting)
                .exclude(four_eyes & Q(response_drafted_by=user))
            )
    if filters.assignee == NOBODY:
        cases = cases.filter(assignee__isnull=True)
    elif filters.assignee.isdigit():
        cases = cases.filter(assignee_id=int(filters.assignee))
    if filters.dependency.isdigit():
        cases = cases.filter(dependency_id=int(filters.dependency))
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
    for version_id, stages, drafter_may_approve in memo.remembered(
        "approval-stages", None, _approval_stages
    ):
        here = Q(service_version_id=version_id, stage__in=stages)
        waiting |= here
        if not drafter_may_approve:
            four_eyes |= here
    return waiting, four_eyes


def _approval_stages() -> list[tuple[int, list[str], bool]]:
    found = []
    versions = ServiceVersion.objects.filter(published_at__isnull=False).values_list(
        "pk", "definition__workflow"
    )
    for version_id, data in versions:
        workflow = Workflow.model_validate(data)
        stages = approval_stages(workflow)
        if stages:
            found.append((version_id, sorted(stages), workflow.drafter_may_approve))
    return found


def with_citizen_waiting(cases: QuerySet[Case]) -> QuerySet[Case]:
    """Mark each case whose latest message is the citizen's (`citizen_waiting`): somebody
    wrote and no official has written back yet. Evaluated only for the rows of a page."""
    latest = Message.objects.filter(case=OuterRef("pk")).order_by("-created_at", "-pk")
    return cases.annotate(citizen_waiting=Subquery(latest.values("from_citizen")[:1]))


# Counts stop here: "more than 1,000 overdue" tells an official as much as the exact figure,
# and counting further would read every open case of an entity on every page view.
COUNT_CAP = 1000
OPEN_STATES = [SlaState.OVERDUE, SlaState.DUE_SOON, SlaState.ON_TIME, SlaState.PAUSED]


@dataclass(frozen=True)
class Tally:
    """How many cases, up to `COUNT_CAP`; `more` when there are more than `value`."""

    value: int
    more: bool = False


def inbox_counts(
    user: User, filters: InboxFilters, *, scope: list[int] | None = None
) -> dict[str, Tally]:
    """How many cases of the tab are in each state of the clock, and in all, each counted up
    to `COUNT_CAP` (one query).

    The tab's cases are read once, at most `COUNT_CAP` + 1 of them: when there are no more,
    the states are counted among those rows; only past the cap is each state counted apart
    (again at most `COUNT_CAP` + 1 rows each, through the index on dependency and state).
    A closed case is in no state but "closed", so the closed tab has only its total.
    """
    cases = inbox(user, replace(filters, sla=""), scope=scope).order_by()
    states = [] if filters.tab == Tab.CLOSED else OPEN_STATES
    keys = ["total", *(state.value for state in OPEN_STATES)]
    try:
        sample_sql, sample_params = _capped_sql(cases)
        parts = [_capped_sql(cases.filter(sla_state=state.value)) for state in states]
    except EmptyResultSet:  # nothing to count: no scope, or a tab the official does not have
        return {key: Tally(0) for key in keys}
    columns, params = ["(SELECT COUNT(*) FROM sample)"], list(sample_params)
    # Only SQL compiled by Django (its values stay parameters) and integers are spliced in.
    for index, (state, (sql, state_params)) in enumerate(zip(states, parts, strict=True)):
        columns.append(
            f"CASE WHEN (SELECT COUNT(*) FROM sample) <= {int(COUNT_CAP)} "  # noqa: S608
            "THEN (SELECT COUNT(*) FROM sample WHERE sla_state = %s) "
            f"ELSE (SELECT COUNT(*) FROM ({sql}) AS state_{index}) END"
        )
        params += [state.value, *state_params]
    with connection.cursor() as cursor:
        cursor.execute(f"WITH sample AS ({sample_sql}) SELECT {', '.join(columns)}", params)
        row = cursor.fetchone()
    values = [*row, *([0] * (len(keys) - len(row)))]
    return {
        key: Tally(min(int(value), COUNT_CAP), int(value) > COUNT_CAP)
        for key, value in zip(keys, values, strict=True)
    }


def _capped_sql(cases: QuerySet[Case]) -> tuple[str, list[Any]]:
    """The SQL of the state of at most `COUNT_CAP` + 1 of `cases`, to nest in another query."""
    query = cases.values("sla_state")[: COUNT_CAP + 1].query
    sql, params = query.get_compiler(using=cases.db).as_sql()
    return sql, list(params)


@dataclass(frozen=True)
class InboxPage:
    """One page of a tab: its rows (with `citizen_waiting`), the tab's counts, and where the
    page stands. The number of pages is known only while the cases are under the cap."""

    cases: list[Case]
    counts: dict[str, Tally]
    number: int
    has_next: bool
    num_pages: int | None

    @property
    def capped(self) -> bool:
        """Whether any count stopped at the cap."""
        return any(tally.more for tally in self.counts.values())

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_other_pages(self) -> bool:
        return self.has_previous or self.has_next

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1


def inbox_page(user: User, filters: InboxFilters, number: str | int | None, size: int) -> InboxPage:
    """Page `number` (from 1) of `size` cases of the tab, with its counts: two queries for
    the cases and the counts, besides reading the official's scope once, whatever the
    number of cases. The page's own count comes from the counts (its SLA state's, or the
    total), so nothing counts the cases again.

    A search is run once: its first `COUNT_CAP` + 1 matches, in deadline order, give the
    counts (when there are no more) and the page's rows, read then by id. Evaluating the
    full-text condition costs far more than reading the rows it finds (a common word is in
    tens of thousands of cases)."""
    scope = _scope(user)
    matches = _matches(user, filters, scope) if filters.q else None
    if matches is not None and len(matches) <= COUNT_CAP:
        counts = _counted(matches, filters.tab)
    else:
        counts = inbox_counts(user, filters, scope=scope)
    listed = counts.get(filters.sla) if filters.sla else counts["total"]
    try:
        wanted = max(1, int(number or 1))
    except (TypeError, ValueError):
        wanted = 1
    num_pages = None if listed is None or listed.more else max(1, -(-listed.value // size))
    if num_pages is not None:
        wanted = min(wanted, num_pages)
    start = (wanted - 1) * size
    # Only what a row shows is joined: every join more is planning time on each page.
    cases = inbox(user, filters, scope=scope).select_related(None)
    # A row shows its service and stage from the version's definition, parsed once per
    # process (`version_definition`), not loaded with every case.
    cases = cases.select_related("assignee", "applicant")
    listed_ids = None
    if matches is not None:
        listed_ids = [pk for pk, state in matches if not filters.sla or state == filters.sla]
        # The matches are the first ones only when there were more: past them, ask again.
        if len(matches) > COUNT_CAP and start + size + 1 > len(listed_ids):
            listed_ids = None
    if listed_ids is None:
        rows = list(with_citizen_waiting(cases)[start : start + size + 1])
    else:
        # The ids come from the tab's own query: read by id, without the search again.
        wanted_ids = listed_ids[start : start + size + 1]
        chosen = Case.objects.filter(pk__in=wanted_ids).select_related("assignee", "applicant")
        chosen = chosen.order_by()
        by_id = {case.pk: case for case in with_citizen_waiting(chosen)}
        rows = [by_id[pk] for pk in wanted_ids if pk in by_id]
    return InboxPage(
        cases=rows[:size],
        counts=counts,
        number=wanted,
        has_next=len(rows) > size,
        num_pages=num_pages,
    )


def _matches(user: User, filters: InboxFilters, scope: list[int]) -> list[tuple[int, str]]:
    """The id and clock state of the tab's first `COUNT_CAP` + 1 cases in deadline order,
    whatever their state (the counts need them all)."""
    cases = inbox(user, replace(filters, sla=""), scope=scope).select_related(None)
    return list(cases.values_list("pk", "sla_state")[: COUNT_CAP + 1])


def _counted(matches: list[tuple[int, str]], tab: str) -> dict[str, Tally]:
    """`inbox_counts` for a tab whose cases are all in `matches`."""
    counts = {"total": Tally(len(matches))}
    for state in OPEN_STATES:
        found = 0 if tab == Tab.CLOSED else sum(1 for _, s in matches if s == state.value)
        counts[state.value] = Tally(found)
    return counts


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


def _tallies(
    cases: QuerySet[Case], key: str, names: QuerySet[Any], fields: tuple[str, ...], limit: int
) -> list[dict[str, object]]:
    """Open, due-soon and overdue cases per `key` (a foreign key of the case), most overdue
    first, with the `fields` of each row's object (read from `names`) as `key__field`.

    The cases are grouped by the key's id alone, so that over an entity's open cases the
    count reads the index of open cases and nothing else; the names are read after, for the
    rows shown only."""
    rows = [
        dict(row)
        for row in cases.values(key)
        .annotate(
            open=Count("*"),
            # The state is in the index: counting it needs no other column.
            overdue=Count("sla_state", filter=Q(sla_state=SlaState.OVERDUE)),
            due_soon=Count("sla_state", filter=Q(sla_state=SlaState.DUE_SOON)),
        )
        .order_by("-overdue", "-open", key)[:limit]
    ]
    ids = [row[key] for row in rows if row[key] is not None]
    found = {values["pk"]: values for values in names.filter(pk__in=ids).values("pk", *fields)}
    for row in rows:
        named = found.get(row[key], {})
        row.update({f"{key}__{field}": named.get(field) for field in fields})
    return rows


def _supervised_open(user: User) -> QuerySet[Case]:
    scope = _scope(user, Role.SUPERVISOR)
    return Case.objects.filter(_within(scope) if scope else Q(pk__in=[]), closed_at__isnull=True)


def workload(user: User) -> list[dict[str, object]]:
    """Open and overdue cases per official in the dependencies `user` supervises, with a row
    (`assignee` None) for the cases nobody holds."""
    people = ("first_name", "last_name", "email")
    return _tallies(_supervised_open(user), "assignee", User.objects.all(), people, limit=200)


# A breakdown shows the offices or services with most overdue cases first, up to this many.
BREAKDOWN_ROWS = 30


def workload_by_dependency(user: User) -> list[dict[str, object]]:
    """Open and overdue cases per dependency that `user` supervises (two queries)."""
    return _tallies(
        _supervised_open(user),
        "dependency",
        Dependency.objects.all(),
        ("name", "code"),
        limit=BREAKDOWN_ROWS,
    )


def workload_by_service(user: User) -> list[dict[str, object]]:
    """Open and overdue cases per service in the dependencies `user` supervises (two
    queries)."""
    return _tallies(
        _supervised_open(user),
        "service",
        Service.objects.all(),
        ("slug", "title_es", "title_en"),
        limit=BREAKDOWN_ROWS,
    )


@dataclass(frozen=True)
class LateCase:
    case: Case
    days_late: int  # business days since the due date, on the case's entity calendar


def overdue_cases(user: User, *, limit: int = 50) -> list[LateCase]:
    """The overdue cases `user` supervises, longest overdue first, with how many business days
    late each one is (one query; the calendars are remembered per entity)."""
    cases = (
        _supervised_open(user)
        .filter(sla_state=SlaState.OVERDUE)
        .select_related("assignee", "entity", "dependency")
        .order_by("due_date", "filed_at")[:limit]
    )
    today = clock.now()
    found = []
    for case in cases:
        calendar = entity_calendar(case.entity)
        found.append(
            LateCase(
                case, days_overdue(case.due_date, today.astimezone(calendar.zone).date(), calendar)
            )
        )
    return found
