"""Each case's facts follow its events: a subscriber in the change's own transaction, so a fact
never says what did not happen."""

from __future__ import annotations

from ventanilla.calendars.business import business_days_between
from ventanilla.cases.events import CaseEvent, Happened, subscribe
from ventanilla.core import clock
from ventanilla.insights.models import CaseFact, Outcome
from ventanilla.organization.selectors import entity_calendar

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
    if CaseEvent.CLOSED in events and case.closed_at is not None:
        calendar = entity_calendar(case.entity)
        closed_on = case.closed_at.astimezone(calendar.zone).date()
        fact.closed_on = closed_on
        fact.outcome = outcome_of(events, happened.context.get("effect", ""))
        if fact.outcome == Outcome.WITHDRAWN:
            fact.answer_days = fact.on_time = None
        else:
            elapsed = business_days_between(case.received_on, closed_on, calendar)
            fact.answer_days = max(0, elapsed - case.paused_business_days)
            fact.on_time = closed_on <= case.due_date
    fact.updated_at = clock.now()
    fact.save()
