"""Rebuilding the materialised figures from the cases and their facts.

The worker runs `figures_refresh` every `INSIGHTS_REFRESH_SECONDS`: a few grouped queries over
the cases, and the figure tables replaced in one transaction, so a reader sees the previous
figures or the new ones, never half. Months are local months of the deployment's time zone
(`TIME_ZONE`); closing days are the handling entity's local days (`CaseFact.closed_on`).
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Case as When_
from django.db.models import Count, IntegerField, Q, Sum
from django.db.models import When as WhenClause
from django.db.models.functions import TruncMonth
from django.utils import timezone

from ventanilla.cases.models import Case, CompetenceTransfer, TimelineEvent
from ventanilla.core import clock
from ventanilla.insights.facts import fact_from_route
from ventanilla.insights.models import CaseFact, DaysFigure, MonthFigure, OpenFigure, Refresh

Key = tuple[int, int, int, str, date]  # entity, dependency, service, channel, month

BACKFILL_BATCH = 2000


def figures_refresh() -> Refresh:
    """Rebuild the month, days and open figures; the refresh's record."""
    started = time.monotonic()
    facts_backfill()
    months = _month_figures()
    days = _days_figures()
    open_rows = _open_figures(timezone.localdate(clock.now()))
    with transaction.atomic():
        MonthFigure.objects.all().delete()
        DaysFigure.objects.all().delete()
        OpenFigure.objects.all().delete()
        MonthFigure.objects.bulk_create(months, batch_size=2000)
        DaysFigure.objects.bulk_create(days, batch_size=2000)
        OpenFigure.objects.bulk_create(open_rows, batch_size=2000)
        return Refresh.objects.create(
            finished_at=clock.now(),
            seconds=round(time.monotonic() - started, 3),
            cases=sum(m.received for m in months),
        )


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


def _month_figures() -> list[MonthFigure]:
    figures: dict[Key, MonthFigure] = {}

    def row(key: Key) -> MonthFigure:
        if key not in figures:
            entity, dependency, service, channel, month = key
            figures[key] = MonthFigure(
                entity_id=entity,
                dependency_id=dependency,
                service_id=service,
                channel=channel,
                month=month,
            )
        return figures[key]

    for r in _grouped(
        Case.objects.annotate(m=TruncMonth("filed_at")),
        ("entity_id", "dependency_id", "service_id", "channel", "m"),
        received=Count("pk"),
    ):
        row(_key(r, "entity_id", "dependency_id", "service_id", "channel")).received = r["received"]
    closed = CaseFact.objects.filter(closed_on__isnull=False).annotate(m=TruncMonth("closed_on"))
    for r in _grouped(
        closed,
        ("case__entity_id", "case__dependency_id", "case__service_id", "case__channel", "m"),
        **{f"n_{name}": aggregate for name, aggregate in _CLOSED_SUMS.items()},
    ):
        figure = row(
            _key(r, "case__entity_id", "case__dependency_id", "case__service_id", "case__channel")
        )
        for name in _CLOSED_SUMS:
            setattr(figure, name, r[f"n_{name}"])
    transfers = CompetenceTransfer.objects.annotate(m=TruncMonth("at"))
    for r in _grouped(
        transfers,
        ("from_entity_id", "from_dependency_id", "case__service_id", "case__channel", "m"),
        transferred_out=Count("pk"),
    ):
        key = _key(r, "from_entity_id", "from_dependency_id", "case__service_id", "case__channel")
        row(key).transferred_out = r["transferred_out"]
    return list(figures.values())


def _grouped(queryset: Any, keys: tuple[str, ...], **aggregates: Any) -> Iterable[dict[str, Any]]:
    rows: Iterable[dict[str, Any]] = (
        queryset.values(*keys).annotate(**aggregates).order_by().iterator(chunk_size=5000)
    )
    return rows


def _key(r: dict[str, Any], entity: str, dependency: str, service: str, channel: str) -> Key:
    month = r["m"].date() if hasattr(r["m"], "date") else r["m"]
    return (r[entity], r[dependency], r[service], r[channel], month.replace(day=1))


def _days_figures() -> list[DaysFigure]:
    answered = CaseFact.objects.filter(answer_days__isnull=False).annotate(
        m=TruncMonth("closed_on")
    )
    return [
        DaysFigure(
            entity_id=r["case__entity_id"],
            dependency_id=r["case__dependency_id"],
            service_id=r["case__service_id"],
            month=r["m"],
            days=r["answer_days"],
            count=r["n"],
        )
        for r in _grouped(
            answered,
            ("case__entity_id", "case__dependency_id", "case__service_id", "m", "answer_days"),
            n=Count("pk"),
        )
    ]


def _open_figures(today: date) -> list[OpenFigure]:
    rows: dict[tuple[Any, ...], OpenFigure] = {}
    open_cases = Case.objects.filter(closed_at__isnull=True)
    keys = ("entity_id", "dependency_id", "service_id", "assignee_id", "sla_state", "due_date")
    for r in _grouped(open_cases, keys, n=Count("pk")):
        key = (
            r["entity_id"],
            r["dependency_id"],
            r["service_id"],
            r["assignee_id"],
            r["sla_state"],
        )
        figure = rows.get(key)
        if figure is None:
            figure = rows[key] = OpenFigure(
                entity_id=r["entity_id"],
                dependency_id=r["dependency_id"],
                service_id=r["service_id"],
                assignee_id=r["assignee_id"],
                sla_state=r["sla_state"],
                count=0,
            )
        figure.count += r["n"]
        if r["due_date"] < today:
            figure.days_overdue_sum += r["n"] * (today - r["due_date"]).days
    return list(rows.values())
