"""Reading surveys: the questions that apply, an invitation by its token, and the figures and
comments the office reads."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import Avg, Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _

from ventanilla.catalog.models import Service
from ventanilla.core import clock
from ventanilla.organization.models import Dependency, Entity
from ventanilla.surveys.models import Invitation, Solved, Survey

if TYPE_CHECKING:
    from django.db.models import Model


def survey_for(entity: Entity, service: Service | None = None) -> Survey:
    """The service's own survey, else the entity's, else the built-in questions (unsaved)."""
    rows = {
        row.service_id: row
        for row in Survey.objects.filter(entity=entity).filter(Q(service=None) | Q(service=service))
    }
    if service is not None and service.pk in rows:
        return rows[service.pk]
    return rows.get(None) or Survey(entity=entity)


def invitation_by_token(token: str) -> Invitation | None:
    digest = hashlib.sha256(token.encode()).hexdigest()
    return (
        Invitation.objects.select_related("case", "ticket__point", "entity", "service")
        .filter(token_hash=digest)
        .first()
    )


def invitation_expired(invitation: Invitation) -> bool:
    """An unanswered invitation expires `SURVEY_ANSWER_DAYS` days after it was sent."""
    if invitation.answered_at is not None:
        return False
    limit = invitation.created_at + timedelta(days=settings.SURVEY_ANSWER_DAYS)
    return clock.now() > limit


@dataclass(frozen=True)
class SatisfactionFigures:
    invited: int
    answered: int
    average: float | None  # mean rating 1 to 5, None when no answers
    solved: int  # answered "sí"
    partly: int  # "en parte"
    ratings: dict[int, int]  # rating -> count, keys 1..5 always present


def _scope(
    *, entity: Entity, dependency: Dependency | None, service: Service | None
) -> QuerySet[Invitation]:
    rows = Invitation.objects.filter(entity=entity)
    if dependency is not None:
        rows = rows.filter(dependency__path__startswith=dependency.path)
    if service is not None:
        rows = rows.filter(service=service)
    return rows


def _aggregates() -> dict[str, Count | Avg]:
    answered = Q(answered_on__isnull=False)
    result: dict[str, Count | Avg] = {
        "answered": Count("pk", filter=answered),
        "average": Avg("rating", filter=answered),
        "n_yes": Count("pk", filter=answered & Q(solved=Solved.YES)),
        "n_partly": Count("pk", filter=answered & Q(solved=Solved.PARTLY)),
    }
    for rating in range(1, 6):
        result[f"r{rating}"] = Count("pk", filter=answered & Q(rating=rating))
    return result


def _figures(invited: int, row: dict[str, int | float | None]) -> SatisfactionFigures:
    average = row.get("average")
    return SatisfactionFigures(
        invited=invited,
        answered=int(row.get("answered") or 0),
        average=round(float(average), 2) if average is not None else None,
        solved=int(row.get("n_yes") or 0),
        partly=int(row.get("n_partly") or 0),
        ratings={rating: int(row.get(f"r{rating}") or 0) for rating in range(1, 6)},
    )


def satisfaction_figures(
    *,
    entity: Entity,
    dependency: Dependency | None = None,
    service: Service | None = None,
    start: date,
    end: date,
) -> SatisfactionFigures:
    """Invitations of closed cases and finished turns of `entity` (the dependency's subtree,
    the service) sent, and answered, between `start` and `end` inclusive."""
    rows = _scope(entity=entity, dependency=dependency, service=service)
    invited = rows.filter(created_at__date__range=(start, end)).count()
    answered = rows.filter(answered_on__range=(start, end)).aggregate(**_aggregates())
    return _figures(invited, answered)


BREAKDOWNS = ("service", "dependency", "point", "channel", "month")


def satisfaction_breakdown(
    *,
    entity: Entity,
    by: str,
    dependency: Dependency | None = None,
    service: Service | None = None,
    start: date,
    end: date,
) -> list[tuple[str, str, SatisfactionFigures]]:
    """The same figures per service, dependency, service point, filing channel or month of
    the answer: (key, label, figures), ordered by label (months in order)."""
    if by not in BREAKDOWNS:
        raise ValueError(f"unknown breakdown {by!r}")
    rows = _scope(entity=entity, dependency=dependency, service=service)
    field = {
        "service": "service_id",
        "dependency": "dependency_id",
        "point": "service_point_id",
        "channel": "channel",
    }.get(by, "month")
    invited_rows: QuerySet[Invitation, Any] = rows.filter(created_at__date__range=(start, end))
    answered_rows: QuerySet[Invitation, Any] = rows.filter(answered_on__range=(start, end))
    if by == "month":
        invited_rows = invited_rows.annotate(month=TruncMonth("created_at"))
        answered_rows = answered_rows.annotate(month=TruncMonth("answered_on"))
    invited = {_key(r[field]): r["n"] for r in invited_rows.values(field).annotate(n=Count("pk"))}
    answered = {_key(r[field]): r for r in answered_rows.values(field).annotate(**_aggregates())}
    labels = _labels(by, set(invited) | set(answered))
    result = [
        (key, labels.get(key, key), _figures(invited.get(key, 0), answered.get(key, {})))
        for key in set(invited) | set(answered)
    ]
    return sorted(result, key=lambda item: item[0] if by == "month" else item[1].lower())


def _key(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.strftime("%Y-%m")
    return str(value)


def _labels(by: str, keys: set[str]) -> dict[str, str]:
    from ventanilla.cases.models import FilingChannel
    from ventanilla.organization.models import ServicePoint

    ids = [int(k) for k in keys if k.isdigit()]
    model: type[Model] | None = {
        "service": Service,
        "dependency": Dependency,
        "point": ServicePoint,
    }.get(by)
    if model is not None:
        labels = {str(obj.pk): str(obj) for obj in model._default_manager.filter(pk__in=ids)}
        if by == "point":
            labels[""] = str(_("sin punto de atención"))
        return labels
    if by == "channel":
        return {str(value): str(label) for value, label in FilingChannel.choices}
    return {key: key for key in keys}


def survey_comments(
    *, entity: Entity, dependency: Dependency | None = None
) -> QuerySet[Invitation]:
    """The answers with a comment, newest first, for the office (never published)."""
    return (
        _scope(entity=entity, dependency=dependency, service=None)
        .filter(answered_at__isnull=False)
        .exclude(comment="")
        .select_related("case", "ticket__point", "service")
        .order_by("-answered_at", "-pk")
    )
