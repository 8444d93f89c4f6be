"""The legal report on petitions (PQRSD) of one entity for any period, computed from the cases.

Two reports the law asks, in one:

- **Requests for public information** (Ley 1712 de 2014, art. 11 lit. h; Decreto 1081 de 2015,
  art. 2.1.1.6.2, which took over Decreto 103 de 2015, art. 52): how many were received, how
  many were transferred to another institution, the time taken to answer each, and in how many
  access was refused.
- **Complaints, claims, suggestions and reports** (Ley 1474 de 2011, art. 76): the semi-annual
  report on how they were attended.

Both rest on a table per petition type (received, transferred, answered on time and late,
refused, withdrawn, still open at the end, average and median business days). `docs/reports.md`
gives the legal source of each figure.
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Q
from django.utils.translation import gettext as _

from ventanilla.cases.models import Case, CompetenceTransfer
from ventanilla.catalog.models import PetitionType
from ventanilla.core import clock
from ventanilla.insights.models import CaseFact, Outcome
from ventanilla.organization.models import Entity

COMPLAINT_TYPES = (
    PetitionType.COMPLAINT,
    PetitionType.CLAIM,
    PetitionType.SUGGESTION,
    PetitionType.REPORT,
)


@dataclass
class TypeLine:
    """One petition type's figures over the period."""

    petition_type: str
    label: str
    received: int = 0
    transferred: int = 0
    answered: int = 0
    refused: int = 0
    withdrawn: int = 0
    on_time: int = 0
    late: int = 0
    open_at_end: int = 0
    days: list[int] = field(default_factory=list)

    @property
    def timed(self) -> int:
        return self.on_time + self.late

    @property
    def average_days(self) -> float | None:
        return sum(self.days) / len(self.days) if self.days else None

    @property
    def median_days(self) -> float | None:
        return statistics.median(self.days) if self.days else None


@dataclass(frozen=True)
class AnsweredRequest:
    """One request for public information answered in the period, and how long it took."""

    filing_number: str
    received_on: date
    closed_on: date
    answer_days: int | None
    on_time: bool | None
    refused: bool


@dataclass(frozen=True)
class PqrsdReport:
    entity: Entity
    start: date
    end: date
    generated_at: datetime
    lines: list[TypeLine]  # every petition type, in the order of PetitionType
    total: TypeLine
    information: TypeLine
    information_requests: list[AnsweredRequest]
    complaints: list[TypeLine]  # complaints, claims, suggestions and reports
    complaints_total: TypeLine


def pqrsd_report(*, entity: Entity, start: date, end: date) -> PqrsdReport:
    """The report of `entity` for the days from `start` to `end`, both included."""
    lines = {t.value: TypeLine(t.value, str(t.label)) for t in PetitionType}
    _received(lines, entity, start, end)
    requests = _closed(lines, entity, start, end)
    _open_at_end(lines, entity, end)
    ordered = list(lines.values())
    complaints = [lines[t.value] for t in COMPLAINT_TYPES]
    return PqrsdReport(
        entity=entity,
        start=start,
        end=end,
        generated_at=clock.now(),
        lines=ordered,
        total=_sum("total", ordered),
        information=lines[PetitionType.INFORMATION.value],
        information_requests=requests,
        complaints=complaints,
        complaints_total=_sum("complaints", complaints),
    )


def _petitions(entity: Entity) -> Q:
    return Q(entity=entity) & ~Q(service__petition_type="")


def _received(lines: dict[str, TypeLine], entity: Entity, start: date, end: date) -> None:
    """Received: cases the entity holds that it received in the period, and those it received
    and sent to the competent institution in the period (their reception there no longer
    counts here), which are also the transferred ones."""
    held = Case.objects.filter(_petitions(entity), received_on__range=(start, end))
    for kind in held.values_list("service__petition_type", flat=True).iterator():
        lines[kind].received += 1
    sent = CompetenceTransfer.objects.filter(
        from_entity=entity, at__date__range=(start, end)
    ).exclude(case__service__petition_type="")
    for kind in sent.values_list("case__service__petition_type", flat=True):
        lines[kind].received += 1
        lines[kind].transferred += 1


def _closed(
    lines: dict[str, TypeLine], entity: Entity, start: date, end: date
) -> list[AnsweredRequest]:
    facts = (
        CaseFact.objects.filter(closed_on__range=(start, end))
        .filter(case__entity=entity)
        .exclude(case__service__petition_type="")
        .select_related("case", "case__service")
        .order_by("closed_on", "case__filing_number")
    )
    requests = []
    for fact in facts.iterator(chunk_size=2000):
        kind = fact.case.service.petition_type
        line = lines[kind]
        if fact.outcome == Outcome.WITHDRAWN:
            line.withdrawn += 1
            continue
        line.answered += fact.outcome == Outcome.ANSWERED
        line.refused += fact.outcome == Outcome.REFUSED
        line.on_time += fact.on_time is True
        line.late += fact.on_time is False
        if fact.answer_days is not None:
            line.days.append(fact.answer_days)
        if kind == PetitionType.INFORMATION:
            requests.append(_answered_request(fact))
    return requests


def _answered_request(fact: CaseFact) -> AnsweredRequest:
    assert fact.closed_on is not None  # noqa: S101 - only closed facts are read
    return AnsweredRequest(
        filing_number=fact.case.filing_number,
        received_on=fact.case.received_on,
        closed_on=fact.closed_on,
        answer_days=fact.answer_days,
        on_time=fact.on_time,
        refused=fact.outcome == Outcome.REFUSED,
    )


def _open_at_end(lines: dict[str, TypeLine], entity: Entity, end: date) -> None:
    """Still open when the period ended: received by then, not closed by then."""
    pending = (
        Case.objects.filter(_petitions(entity), received_on__lte=end)
        .filter(Q(fact__closed_on__isnull=True) | Q(fact__closed_on__gt=end))
        .values_list("service__petition_type", flat=True)
    )
    counted = Counter(pending.iterator())
    for kind, count in counted.items():
        lines[kind].open_at_end += count


def _sum(name: str, lines: list[TypeLine]) -> TypeLine:
    total = TypeLine(name, _("Total"))
    for line in lines:
        for attribute in ("received", "transferred", "answered", "refused", "withdrawn"):
            setattr(total, attribute, getattr(total, attribute) + getattr(line, attribute))
        total.on_time += line.on_time
        total.late += line.late
        total.open_at_end += line.open_at_end
        total.days.extend(line.days)
    return total


def last_period(kind: str, today: date) -> tuple[date, date]:
    """The last whole semester (1 Jan to 30 Jun, 1 Jul to 31 Dec: Ley 1474 de 2011, art. 76),
    quarter or month before `today`, as its first and last days."""
    months = {"semester": 6, "quarter": 3, "month": 1}[kind]
    index = today.year * 12 + today.month - 1
    this_start = index - index % months  # the month the current period began
    first = this_start - months
    start = date(first // 12, first % 12 + 1, 1)
    after = date(this_start // 12, this_start % 12 + 1, 1)
    return start, date.fromordinal(after.toordinal() - 1)
