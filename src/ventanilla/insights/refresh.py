"""Rebuilding the materialised figures from the cases and their facts.

The worker runs `figures_refresh` every `INSIGHTS_REFRESH_SECONDS`: a few grouped queries over
the cases, each group added to its dependency and to every dependency above it (so any
subtree's figures are one dependency's rows), and the figure tables replaced in one
transaction: a reader sees the previous figures or the new ones, never half. Months are local
months of the deployment's time zone (`TIME_ZONE`); closing days are the handling entity's
local days (`CaseFact.closed_on`).
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db import connection, transaction
from django.db.models import Case as When_
from django.db.models import Count, IntegerField, Q, Sum
from django.db.models import When as WhenClause
from django.db.models.functions import TruncMonth
from django.utils import timezone

from ventanilla.cases.models import Case, CompetenceTransfer, TimelineEvent
from ventanilla.core import clock
from ventanilla.insights.facts import fact_from_route
from ventanilla.insights.models import CaseFact, DaysFigure, MonthFigure, OpenFigure, Refresh
from ventanilla.organization.models import Dependency

BACKFILL_BATCH = 2000
BATCH = 5000
KEPT_REFRESHES = 1000  # about a week of records at the default interval


def figures_refresh() -> Refresh:
    """Rebuild the month, days and open figures; the refresh's record."""
    started = time.monotonic()
    facts_backfill()
    above = _ancestors()
    months = _month_figures(above)
    days = _days_figures(above)
    open_rows = _open_figures(above, timezone.localdate(clock.now()))
    with transaction.atomic():
        for model, rows in ((MonthFigure, months), (DaysFigure, days), (OpenFigure, open_rows)):
            model.objects.all().delete()
            _write(model, rows)
        done = Refresh.objects.create(
            finished_at=clock.now(),
            seconds=round(time.monotonic() - started, 3),
            cases=Case.objects.count(),
        )
        Refresh.objects.filter(pk__lt=done.pk - KEPT_REFRESHES).delete()
        return done


def _write(model: type[Any], rows: list[Any]) -> None:
    """Insert `rows`: with PostgreSQL's COPY, several times faster than INSERTs for the hundreds
    of thousands of rows a large deployment has, else in batches."""
    if connection.vendor != "postgresql" or not rows:
        model.objects.bulk_create(rows, batch_size=BATCH)
        return
    columns = [f for f in model._meta.concrete_fields if not f.primary_key]
    names = ", ".join(connection.ops.quote_name(f.column) for f in columns)
    table = connection.ops.quote_name(model._meta.db_table)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row([getattr(row, f.attname) for f in columns])


def facts_backfill(limit: int = BACKFILL_BATCH) -> int:
    """Write the facts of closed cases that have none (cases closed before insights was
    installed), read from their routes; how many were written."""
    missing = list(
        Case.objects.filter(closed_at__isnull=False, fact__isnull=True)
        .select_related("entity")
        .order_by("pk")[:limit]
    )
    if not missing:
        return 0
    routes: dict[int, list[TimelineEvent]] = defaultdict(list)
    for event in TimelineEvent.objects.filter(case__in=missing).order_by("case_id", "sequence"):
        routes[event.case_id].append(event)
    CaseFact.objects.bulk_create(
        [fact_from_route(case, routes[case.pk]) for case in missing], ignore_conflicts=True
    )
    return len(missing)


def _ancestors() -> dict[int, tuple[int, tuple[int, ...]]]:
    """Each dependency's entity and the dependencies whose subtree holds it, itself first."""
    rows = list(Dependency.objects.values_list("pk", "entity_id", "code", "path"))
    by_code = {(entity, code): pk for pk, entity, code, _ in rows}
    found = {}
    for pk, entity, _, path in rows:
        chain = [by_code.get((entity, c)) for c in reversed(path.rstrip("/").split("/"))]
        found[pk] = (entity, tuple(c for c in chain if c is not None))
    return found


def _counted(condition: Q) -> Sum:
    return Sum(When_(WhenClause(condition, then=1), default=0, output_field=IntegerField()))


# What the cases closed in a month add to its figures (named apart from the facts' own fields).
_CLOSED_SUMS: dict[str, Any] = {
    "answered": _counted(Q(outcome="answered")),
    "refused": _counted(Q(outcome="refused")),
    "withdrawn": _counted(Q(outcome="withdrawn")),
    "on_time": _counted(Q(on_time=True)),
    "late": _counted(Q(on_time=False)),
    "answer_days_sum": Sum("answer_days", default=0),
    "with_information_request": _counted(Q(information_requests__gt=0)),
    "paused_days_sum": Sum("case__paused_business_days", default=0),
    "extended": _counted(Q(case__extended=True)),
    "internal_transfers": Sum("internal_transfers", default=0),
}


class _Rollup:
    """Month figures keyed by (dependency, service, month), each group added up the tree."""

    def __init__(self, above: dict[int, tuple[int, tuple[int, ...]]]) -> None:
        self.above = above
        self.rows: dict[tuple[int, int, date], MonthFigure] = {}

    def add(self, dependency: int, service: int, month: Any, values: dict[str, int]) -> None:
        entity, chain = self.above[dependency]
        month = _first_day(month)
        for node in chain:
            row = self.rows.get((node, service, month))
            if row is None:
                row = self.rows[(node, service, month)] = MonthFigure(
                    entity_id=entity, dependency_id=node, service_id=service, month=month
                )
            for name, value in values.items():
                setattr(row, name, getattr(row, name) + (value or 0))


def _month_figures(above: dict[int, tuple[int, tuple[int, ...]]]) -> list[MonthFigure]:
    rollup = _Rollup(above)
    filed = Case.objects.annotate(m=TruncMonth("filed_at"))
    for r in _grouped(filed, ("dependency_id", "service_id", "m"), received=Count("pk")):
        rollup.add(r["dependency_id"], r["service_id"], r["m"], {"received": r["received"]})
    closed = CaseFact.objects.filter(closed_on__isnull=False).annotate(m=TruncMonth("closed_on"))
    sums = {f"n_{name}": aggregate for name, aggregate in _CLOSED_SUMS.items()}
    for r in _grouped(closed, ("case__dependency_id", "case__service_id", "m"), **sums):
        values = {name: r[f"n_{name}"] for name in _CLOSED_SUMS}
        rollup.add(r["case__dependency_id"], r["case__service_id"], r["m"], values)
    transfers = CompetenceTransfer.objects.annotate(m=TruncMonth("at"))
    for r in _grouped(transfers, ("from_dependency_id", "case__service_id", "m"), n=Count("pk")):
        values = {"transferred_out": r["n"]}
        rollup.add(r["from_dependency_id"], r["case__service_id"], r["m"], values)
    return list(rollup.rows.values())


def _grouped(queryset: Any, keys: tuple[str, ...], **aggregates: Any) -> Iterable[dict[str, Any]]:
    rows: Iterable[dict[str, Any]] = (
        queryset.values(*keys).annotate(**aggregates).order_by().iterator(chunk_size=BATCH)
    )
    return rows


def _first_day(month: Any) -> date:
    day: date = month.date() if hasattr(month, "date") else month
    return day.replace(day=1)


def _days_figures(above: dict[int, tuple[int, tuple[int, ...]]]) -> list[DaysFigure]:
    answered = CaseFact.objects.filter(answer_days__isnull=False).annotate(
        m=TruncMonth("closed_on")
    )
    keys = ("case__dependency_id", "case__service_id", "m", "answer_days")
    rows: dict[tuple[int, int, date, int], DaysFigure] = {}
    for r in _grouped(answered, keys, n=Count("pk")):
        entity, chain = above[r["case__dependency_id"]]
        month, days = _first_day(r["m"]), r["answer_days"]
        for node in chain:
            row = rows.get((node, r["case__service_id"], month, days))
            if row is None:
                row = rows[(node, r["case__service_id"], month, days)] = DaysFigure(
                    entity_id=entity,
                    dependency_id=node,
                    service_id=r["case__service_id"],
                    month=month,
                    days=days,
                    count=0,
                )
            row.count += r["n"]
    return list(rows.values())


def _open_figures(above: dict[int, tuple[int, tuple[int, ...]]], today: date) -> list[OpenFigure]:
    rows: dict[tuple[Any, ...], OpenFigure] = {}
    open_cases = Case.objects.filter(closed_at__isnull=True)
    keys = ("dependency_id", "service_id", "assignee_id", "sla_state", "due_date")
    for r in _grouped(open_cases, keys, n=Count("pk")):
        entity, chain = above[r["dependency_id"]]
        late = r["sla_state"] == "overdue"
        overdue = r["n"] * max(0, (today - r["due_date"]).days) if late else 0
        for node in chain:
            key = (node, r["service_id"], r["assignee_id"], r["sla_state"])
            row = rows.get(key)
            if row is None:
                row = rows[key] = OpenFigure(
                    entity_id=entity,
                    dependency_id=node,
                    service_id=r["service_id"],
                    assignee_id=r["assignee_id"],
                    sla_state=r["sla_state"],
                    count=0,
                )
            row.count += r["n"]
            row.days_overdue_sum += overdue
    return list(rows.values())
