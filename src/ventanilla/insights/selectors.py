"""The figures, read from the materialised tables (`refresh.py`).

A dashboard's scope is an entity, optionally one dependency's subtree and one service, and a
range of whole months. Times to answer are business days from reception to the answer, without
the days the clock stood still for an information request; "on time" is an answer on or before
the due date (which already moved for pauses and an extension).
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from functools import cached_property
from typing import Any

from django.db.models import Q, QuerySet, Sum
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ventanilla.accounts.models import User
from ventanilla.catalog.models import Service
from ventanilla.insights.models import DaysFigure, MonthFigure, OpenFigure, Refresh
from ventanilla.organization.models import Dependency, Entity

OPEN_STATES = ("on_time", "due_soon", "overdue", "paused")


def month_start(day: date) -> date:
    return day.replace(day=1)


def months_back(month: date, count: int) -> date:
    """The first day of the month `count` months before `month`'s."""
    index = month.year * 12 + month.month - 1 - count
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Scope:
    entity: Entity
    start: date  # the first month (its first day)
    end: date  # the last month, included (its first day)
    dependency: Dependency | None = None  # with its whole subtree
    service: Service | None = None

    @property
    def months(self) -> list[date]:
        count = (self.end.year - self.start.year) * 12 + self.end.month - self.start.month
        return [months_back(self.end, count - i) for i in range(count + 1)]

    @cached_property
    def nodes(self) -> list[Dependency]:
        """The dependencies whose subtrees make the scope: the one chosen, else the entity's
        top-level ones."""
        if self.dependency is not None:
            return [self.dependency]
        return list(Dependency.objects.filter(entity=self.entity, parent__isnull=True))

    def rows(self, model: type[Any], nodes: list[Dependency] | None = None) -> QuerySet[Any]:
        """The figure rows of `model` for the scope, or for the subtrees of `nodes` in it."""
        rows: QuerySet[Any] = model.objects.filter(dependency__in=nodes or self.nodes)
        if hasattr(model, "month"):
            rows = rows.filter(month__range=(self.start, self.end))
        if self.service is not None:
            rows = rows.filter(service=self.service)
        return rows


@dataclass
class Figures:
    """Sums over month figures, and the distribution of answer times they cover."""

    received: int = 0
    answered: int = 0
    refused: int = 0
    withdrawn: int = 0
    on_time: int = 0
    late: int = 0
    answer_days_sum: int = 0
    with_information_request: int = 0
    paused_days_sum: int = 0
    extended: int = 0
    internal_transfers: int = 0
    transferred_out: int = 0
    days: Counter[int] = field(default_factory=Counter)

    @property
    def closed(self) -> int:
        return self.answered + self.refused + self.withdrawn

    @property
    def timed(self) -> int:
        """Cases closed with an answer (granting or refusing): those the term applies to."""
        return self.on_time + self.late

    @property
    def on_time_share(self) -> float | None:
        return self.on_time / self.timed if self.timed else None

    @property
    def average_days(self) -> float | None:
        return self.answer_days_sum / self.timed if self.timed else None

    @property
    def average_paused_days(self) -> float | None:
        if not self.with_information_request:
            return None
        return self.paused_days_sum / self.with_information_request

    def _at_rank(self, rank: int) -> int:
        seen = 0
        for days in sorted(self.days):
            seen += self.days[days]
            if seen >= rank:
                return days
        return max(self.days)

    def percentile(self, share: float) -> int | None:
        """The smallest number of days within which `share` of the answers came (nearest rank)."""
        total = sum(self.days.values())
        if not total:
            return None
        return self._at_rank(max(1, math.ceil(round(share * total, 9))))

    @property
    def median_days(self) -> float | None:
        """The middle answer's days, or the mean of the two middle ones (as the report's)."""
        total = sum(self.days.values())
        if not total:
            return None
        middle = self._at_rank((total + 1) // 2), self._at_rank(total // 2 + 1)
        return sum(middle) / 2

    @property
    def p90_days(self) -> int | None:
        return self.percentile(0.9)


_SUMMED = tuple(f.name for f in fields(Figures) if f.name != "days")


def _sums(rows: QuerySet[MonthFigure], *by: str) -> dict[tuple[Any, ...], Figures]:
    found: dict[tuple[Any, ...], Figures] = {}
    sums = {n: Sum(n) for n in _SUMMED}
    grouped = [rows.aggregate(**sums)] if not by else rows.values(*by).annotate(**sums).order_by()
    for r in grouped:
        figures = found[tuple(r[b] for b in by)] = Figures()
        for name in _SUMMED:
            setattr(figures, name, r[name] or 0)
    return found


def _days(rows: QuerySet[DaysFigure], *by: str) -> dict[tuple[Any, ...], Counter[int]]:
    found: dict[tuple[Any, ...], Counter[int]] = {}
    for r in rows.values(*by, "days").annotate(n=Sum("count")).order_by("days"):
        found.setdefault(tuple(r[b] for b in by), Counter())[r["days"]] += r["n"]
    return found


def _figures(
    scope: Scope, *by: str, nodes: list[Dependency] | None = None, days: bool = True
) -> dict[tuple[Any, ...], Figures]:
    sums = _sums(scope.rows(MonthFigure, nodes), *by)
    if days:
        for key, counted in _days(scope.rows(DaysFigure, nodes), *by).items():
            sums.setdefault(key, Figures()).days = counted
    return sums


@dataclass(frozen=True)
class Line:
    key: str
    label: str
    figures: Figures


@dataclass(frozen=True)
class Workload:
    official: str
    open: int
    overdue: int
    days_overdue: int


@dataclass(frozen=True)
class Dashboard:
    scope: Scope
    refreshed_at: datetime | None
    totals: Figures
    months: list[tuple[date, Figures]]
    by_dependency: list[Line]
    by_service: list[Line]
    open_by_state: dict[str, int]
    workload: list[Workload]

    @property
    def open_total(self) -> int:
        return sum(self.open_by_state.values())


def refreshed_at() -> datetime | None:
    last = Refresh.objects.order_by("-pk").values_list("finished_at", flat=True).first()
    return last


def dashboard(scope: Scope) -> Dashboard:
    """Everything a supervisor's dashboard shows for `scope`."""
    monthly = _figures(scope, "month")
    totals = _figures(scope).get((), Figures())
    return Dashboard(
        scope=scope,
        refreshed_at=refreshed_at(),
        totals=totals,
        months=[(m, monthly.get((m,), Figures())) for m in scope.months],
        by_dependency=_by_dependency(scope, totals),
        by_service=_by_service(scope),
        open_by_state=_open_by_state(scope),
        workload=_workload(scope),
    )


def _branches(scope: Scope) -> list[Dependency]:
    """The dependencies a breakdown shows: the children of the scope's dependency (of the
    entity's only top-level one when none is chosen), or the entity's top-level ones."""
    nodes = scope.nodes
    if len(nodes) != 1:
        return sorted(nodes, key=lambda d: d.name)
    return list(Dependency.objects.filter(parent=nodes[0]).order_by("name"))


def _by_dependency(scope: Scope, totals: Figures) -> list[Line]:
    """A line per branch (its whole subtree), and one for the cases held by the scope's
    dependency itself when there are any. Their answer times have an average, and a median
    and percentile only within one service: the distribution of every branch and service is
    the one read that grows with the size of the organisation (ADR 0012)."""
    branches = _branches(scope)
    found = (
        _figures(scope, "dependency_id", nodes=branches, days=scope.service is not None)
        if branches
        else {}
    )
    lines = [Line(str(b.pk), b.name, found[(b.pk,)]) for b in branches if (b.pk,) in found]
    if len(scope.nodes) == 1 and branches != scope.nodes:
        node = scope.nodes[0]
        own = totals
        for line in lines:
            own = _subtract(own, line.figures)
        if scope.service is None:
            own.days = Counter()  # the branches' distributions were not read
        if own.received or own.closed or own.transferred_out:
            lines.append(Line(str(node.pk), node.name, own))
    return sorted(lines, key=lambda line: (-line.figures.received, line.label))


def _by_service(scope: Scope) -> list[Line]:
    found = _figures(scope, "service_id")
    services = Service.objects.filter(pk__in=[k[0] for k in found]).only(
        "pk", "slug", "title_es", "title_en"
    )
    language = get_language() or "es"
    return sorted(
        (Line(s.slug, s.title(language), found[(s.pk,)]) for s in services),
        key=lambda line: (-line.figures.received, line.label),
    )


def _subtract(whole: Figures, part: Figures) -> Figures:
    rest = Figures(days=whole.days - part.days)
    for name in _SUMMED:
        setattr(rest, name, getattr(whole, name) - getattr(part, name))
    return rest


def _add(into: Figures | None, more: Figures) -> Figures:
    total = into or Figures()
    for name in _SUMMED:
        setattr(total, name, getattr(total, name) + getattr(more, name))
    total.days = total.days + more.days
    return total


def _open_rows(scope: Scope) -> QuerySet[OpenFigure]:
    return scope.rows(OpenFigure)


def _open_by_state(scope: Scope) -> dict[str, int]:
    found = dict.fromkeys(OPEN_STATES, 0)
    for r in _open_rows(scope).values("sla_state").annotate(n=Sum("count")).order_by():
        found[r["sla_state"]] = found.get(r["sla_state"], 0) + r["n"]
    return found


def _workload(scope: Scope) -> list[Workload]:
    rows = (
        _open_rows(scope)
        .values("assignee_id")
        .annotate(
            open=Sum("count"),
            overdue=Sum("count", filter=Q(sla_state="overdue")),
            days=Sum("days_overdue_sum"),
        )
        .order_by()
    )
    people = {r["assignee_id"]: r for r in rows}
    names = {
        u.pk: u.get_full_name() or u.email
        for u in User.objects.filter(pk__in=[k for k in people if k is not None])
    }
    lines = [
        Workload(
            official=names.get(pk, "") if pk is not None else _("Sin asignar"),
            open=r["open"],
            overdue=r["overdue"] or 0,
            days_overdue=r["days"] or 0,
        )
        for pk, r in people.items()
    ]
    return sorted(lines, key=lambda w: (-w.overdue, -w.open, w.official))


# ---- The public page of deadlines ---------------------------------------------------------------


@dataclass(frozen=True)
class DeadlineLine:
    """How one service of an entity kept its legal term."""

    service: Service
    title: str  # the service's, in the current language
    last_month: Figures
    last_year: Figures
    trend: list[tuple[date, float | None]]  # the on-time share of each of the last 12 months


@dataclass(frozen=True)
class DeadlineBoard:
    entity: Entity
    last_month: date  # its first day
    first_month: date  # the first of the year's 12 months
    totals_month: Figures
    totals_year: Figures
    trend: list[tuple[date, float | None]]
    lines: list[DeadlineLine]


def deadline_boards(*, today: date, entity: Entity | None = None) -> list[DeadlineBoard]:
    """Per entity and service, the share of answers given within the legal term in the last
    whole month and the last 12 whole months, their median time and the monthly trend."""
    last = months_back(month_start(today), 1)
    first = months_back(last, 11)
    entities = Entity.objects.order_by("name") if entity is None else [entity]
    boards = []
    for each in entities:
        scope = Scope(entity=each, start=first, end=last)
        board = _deadline_board(scope)
        if board.totals_year.timed:
            boards.append(board)
    return boards


def _deadline_board(scope: Scope) -> DeadlineBoard:
    by_month = _figures(scope, "service_id", "month")
    services: dict[int, dict[date, Figures]] = {}
    for (service_id, month), figures in by_month.items():
        services.setdefault(service_id, {})[month] = figures
    known = Service.objects.in_bulk(list(services))
    lines = [
        _deadline_line(known[pk], months, scope)
        for pk, months in services.items()
        if pk in known and any(f.timed for f in months.values())
    ]
    lines.sort(key=lambda line: (-line.last_year.timed, line.service.slug))
    every = {m: Figures() for m in scope.months}
    for months in services.values():
        for month, figures in months.items():
            every[month] = _add(every[month], figures)
    year = Figures()
    for figures in every.values():
        year = _add(year, figures)
    return DeadlineBoard(
        entity=scope.entity,
        last_month=scope.end,
        first_month=scope.start,
        totals_month=every[scope.end],
        totals_year=year,
        trend=[(m, every[m].on_time_share) for m in scope.months],
        lines=lines,
    )


def _deadline_line(service: Service, months: dict[date, Figures], scope: Scope) -> DeadlineLine:
    year = Figures()
    for figures in months.values():
        year = _add(year, figures)
    return DeadlineLine(
        service=service,
        title=service.title(get_language() or "es"),
        last_month=months.get(scope.end, Figures()),
        last_year=year,
        trend=[(m, months[m].on_time_share if m in months else None) for m in scope.months],
    )
