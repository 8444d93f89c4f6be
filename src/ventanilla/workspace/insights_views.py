"""The supervisors' dashboard: the figures of a scope they may read, as numbers, charts and
tables, from the tables the worker rebuilds (`insights.refresh`)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from ventanilla.catalog.models import Service
from ventanilla.core import clock
from ventanilla.core.charts import NOTHING, Series, bar_chart, column_chart, number, percent
from ventanilla.insights import selectors as insights
from ventanilla.insights.scopes import dashboard_reach, dashboard_scope
from ventanilla.insights.selectors import Dashboard, Figures, Line, Scope, month_start, months_back
from ventanilla.surveys.selectors import satisfaction_figures
from ventanilla.workspace.views import _user, official_required

MAX_MONTHS = 120


def parse_month(value: str) -> date | None:
    """A month written as YYYY-MM (what `<input type="month">` sends), as its first day."""
    try:
        year, month = value.strip().split("-")
        return date(int(year), int(month), 1)
    except ValueError:
        return None


def period_from(query: dict[str, str], today: date) -> tuple[date, date, str]:
    """The months asked for, the last 12 by default; with an error, the default and why."""
    end, start = month_start(today), months_back(month_start(today), 11)
    raw_start, raw_end = query.get("desde", "").strip(), query.get("hasta", "").strip()
    asked_start = parse_month(raw_start) if raw_start else start
    asked_end = parse_month(raw_end) if raw_end else end
    if asked_start is None or asked_end is None:
        return start, end, _("Escriba cada mes como año y mes, por ejemplo 2026-03.")
    if asked_start > asked_end:
        return start, end, _("El mes inicial debe ser anterior o igual al mes final.")
    if (asked_end.year - asked_start.year) * 12 + asked_end.month - asked_start.month >= MAX_MONTHS:
        return start, end, _("Elija un periodo de 10 años o menos.")
    return asked_start, asked_end, ""


def days_text(value: float | None) -> str:
    """Business days as a reader writes them: "4,5 días hábiles"."""
    if value is None:
        return NOTHING
    decimals = 0 if float(value).is_integer() else 1
    if decimals == 0 and value == 1:
        return _("1 día hábil")
    return _("%(days)s días hábiles") % {"days": number(value, decimals)}


def satisfaction_for(scope: Scope) -> dict[str, str] | None:
    """The satisfaction of `scope`'s months (surveys answered in them), written for reading;
    None when nobody was invited."""
    last_day = months_back(scope.end, -1) - timedelta(days=1)
    figures = satisfaction_figures(
        entity=scope.entity,
        dependency=scope.dependency,
        service=scope.service,
        start=scope.start,
        end=last_day,
    )
    if not figures.invited and not figures.answered:
        return None
    return {
        "invited": number(figures.invited),
        "answered": number(figures.answered),
        "average": number(figures.average, 1) if figures.average is not None else NOTHING,
        "solved": percent(figures.solved / figures.answered if figures.answered else None),
    }


@official_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    reach = dashboard_reach(_user(request))
    if not reach.entities:
        raise PermissionDenied
    query = {k: request.GET.get(k, "") for k in ("entidad", "dependencia", "servicio")}
    query |= {k: request.GET.get(k, "") for k in ("desde", "hasta")}
    start, end, period_error = period_from(query, timezone.localdate(clock.now()))
    scope = dashboard_scope(
        reach,
        entity_code=query["entidad"],
        dependency_id=query["dependencia"],
        service_slug=query["servicio"],
        start=start,
        end=end,
    )
    if scope is None:
        raise PermissionDenied
    board = insights.dashboard(scope)
    language = get_language() or "es"
    return render(
        request,
        "workspace/dashboard.html",
        {
            "section": "dashboard",
            "board": board,
            "scope": scope,
            "query": query,
            "period_error": period_error,
            "entities": reach.entities,
            "dependencies": reach.dependencies_of(scope.entity),
            "whole_entity": scope.entity.pk in reach.whole,
            "services": [
                (s.slug, s.title(language))
                for s in Service.objects.filter(entity=scope.entity).order_by("slug")
            ],
            "figures": figures_text(board.totals),
            "has_figures": bool(board.totals.received or board.totals.closed or board.open_total),
            "open_by_state": {k: number(v) for k, v in board.open_by_state.items()},
            "open_total": number(board.open_total),
            "workload": [
                (w.official, number(w.open), number(w.overdue), number(w.days_overdue))
                for w in board.workload
            ],
            "charts": charts_for(board),
            "by_dependency": lines_for(board.by_dependency),
            "by_service": lines_for(board.by_service),
            "satisfaction": satisfaction_for(scope),
        },
    )


def figures_text(totals: Figures) -> dict[str, str]:
    """The scope's figures, written for reading."""
    return {
        "received": number(totals.received),
        "answered": number(totals.answered),
        "refused": number(totals.refused),
        "withdrawn": number(totals.withdrawn),
        "on_time": number(totals.on_time),
        "late": number(totals.late),
        "on_time_share": percent(totals.on_time_share),
        "average_days": days_text(totals.average_days),
        "p90_days": days_text(totals.p90_days),
        "with_information_request": number(totals.with_information_request),
        "average_paused_days": days_text(totals.average_paused_days),
        "extended": number(totals.extended),
        "internal_transfers": number(totals.internal_transfers),
        "transferred_out": number(totals.transferred_out),
    }


def lines_for(lines: list[Line]) -> list[dict[str, Any]]:
    return [
        {
            "key": line.key,
            "label": line.label,
            "received": number(line.figures.received),
            "closed": number(line.figures.closed),
            "on_time_share": percent(line.figures.on_time_share),
            "average_days": days_text(line.figures.average_days),
        }
        for line in lines
    ]


def _month_label(month: date, first: bool) -> tuple[str, str]:
    label = date_format(month, "M").rstrip(".")
    return label, str(month.year) if first or month.month == 1 else ""


def charts_for(board: Dashboard) -> dict[str, Any]:
    months = [_month_label(m, i == 0) for i, (m, _f) in enumerate(board.months)]
    on_time, late = _("A tiempo"), _("Fuera de término")
    return {
        "received": column_chart(
            title=_("Solicitudes recibidas por mes"),
            description=_("Barras verticales: cuántas solicitudes se recibieron cada mes."),
            x_label=_("Mes"),
            y_label=_("Recibidas"),
            categories=months,
            series=[Series(_("Recibidas"))],
            values=[[f.received] for _m, f in board.months],
        ),
        "answered": column_chart(
            title=_("Respuestas por mes, a tiempo y fuera de término"),
            description=_(
                "Barras verticales apiladas: respuestas dadas cada mes; la parte lisa fue a "
                "tiempo y la rayada fuera de término."
            ),
            x_label=_("Mes"),
            y_label=_("Respuestas"),
            categories=months,
            series=[Series(on_time), Series(late, "hatch")],
            values=[[f.on_time, f.late] for _m, f in board.months],
        ),
        "by_dependency": bar_chart(
            title=_("Solicitudes recibidas por dependencia"),
            description=_("Barras horizontales: solicitudes recibidas en cada dependencia."),
            label_heading=_("Dependencia"),
            value_label=_("Recibidas"),
            lines=[(line.label, line.figures.received) for line in board.by_dependency],
        ),
        "by_service": bar_chart(
            title=_("Solicitudes recibidas por servicio"),
            description=_("Barras horizontales: solicitudes recibidas de cada servicio."),
            label_heading=_("Servicio"),
            value_label=_("Recibidas"),
            lines=[(line.label, line.figures.received) for line in board.by_service],
        ),
    }
