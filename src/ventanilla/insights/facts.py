"""Each case's facts follow its events: a subscriber in the change's own transaction, so a fact
never says what did not happen."""

from __future__ import annotations

from ventanilla.calendars.business import business_days_between
from ventanilla.cases.events import CaseEvent, Happened, subscribe
from ventanilla.cases.models import Case, TimelineEvent
from ventanilla.core import clock
from ventanilla.insights.models import CaseFact, Outcome
from ventanilla.organization.selectors import entity_calendar

_CLOSING = ("close_with_response", "reject", "withdraw")

_FOLLOWED = (
    CaseEvent.CLOSED,
    CaseEvent.REOPENED,
    CaseEvent.INFORMATION_REQUESTED,
    CaseEvent.TRANSFERRED,
)


def outcome_of(events: frozenset[CaseEvent], effect: str) -> Outcome:
    """A closing with a written answer is answered, or refused when its effect is `reject`;
    any other closing (the citizen's withdrawal, a lapsed information request) is withdrawn."""
    if CaseEvent.ANSWERED not in events:
        return Outcome.WITHDRAWN
    return Outcome.REFUSED if effect == "reject" else Outcome.ANSWERED


def fact_from_route(case: Case, route: list[TimelineEvent]) -> CaseFact:
    """The facts of a closed case read from its route, for cases closed before their facts
    were kept as they happened."""
    fact = CaseFact(case=case, updated_at=clock.now())
    for event in route:
        if event.kind == "request_information":
            fact.information_requests += 1
        elif event.kind == "transfer" and "to_entity" not in event.data:
            fact.internal_transfers += 1
    closing = next((e.kind for e in reversed(route) if e.kind in _CLOSING), "withdraw")
    answered = {CaseEvent.ANSWERED} if closing != "withdraw" else set()
    _close(fact, case, frozenset({CaseEvent.CLOSED, *answered}), closing)
    return fact


def register() -> None:
    subscribe(*_FOLLOWED)(case_fact_follow)


def case_fact_follow(happened: Happened) -> None:
    case, events = happened.case, happened.events
    fact, _ = CaseFact.objects.get_or_create(case=case, defaults={"updated_at": clock.now()})
    if CaseEvent.INFORMATION_REQUESTED in events:
        fact.information_requests += 1
    if CaseEvent.TRANSFERRED in events and "to_entity" not in happened.context:
        fact.internal_transfers += 1
    if CaseEvent.REOPENED in events:
        fact.outcome, fact.closed_on = Outcome.OPEN, None
        fact.answer_days = fact.on_time = None
    if CaseEvent.CLOSED in events:
        _close(fact, case, events, happened.context.get("effect", ""))
    fact.updated_at = clock.now()
    fact.save()


def _close(fact: CaseFact, case: Case, events: frozenset[CaseEvent], effect: str) -> None:
    if case.closed_at is None:
        return
    calendar = entity_calendar(case.entity)
    closed_on = case.closed_at.astimezone(calendar.zone).date()
    fact.closed_on = closed_on
    fact.outcome = outcome_of(events, effect)
    if fact.outcome == Outcome.WITHDRAWN:
        fact.answer_days = fact.on_time = None
    else:
        elapsed = business_days_between(case.received_on, closed_on, calendar)
        fact.answer_days = max(0, elapsed - case.paused_business_days)
        fact.on_time = closed_on <= case.due_date
