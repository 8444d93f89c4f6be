"""The legal clock of a case, as pure functions over an entity's calendar.

Ley 1755 de 2015: the term runs in business days from the day after reception (art. 14); it
stops while the entity waits for the citizen to complete a petition and the due date moves by
the business days it stood still (art. 17); it may be extended once, before it ends, with
reasons, to at most twice the original term (art. 14, parágrafo).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from ventanilla.calendars.business import (
    BusinessCalendar,
    add_business_days,
    add_calendar_months,
    business_days_between,
    next_business_day,
    received_on,
)
from ventanilla.catalog.schema import Term, TermUnit

DUE_SOON_BUSINESS_DAYS = 3


class SlaState(StrEnum):
    ON_TIME = "on_time"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    PAUSED = "paused"
    CLOSED = "closed"


@dataclass(frozen=True)
class Reception:
    received_on: date
    due_date: date


def term_due_date(received: date, term: Term, calendar: BusinessCalendar) -> date:
    """The last day of `term` for a filing received on `received`."""
    if term.unit == TermUnit.BUSINESS_DAYS:
        return add_business_days(received, term.amount, calendar)
    if term.unit == TermUnit.MONTHS:
        return add_calendar_months(received, term.amount, calendar)
    return next_business_day(received + timedelta(days=term.amount), calendar)


def reception(filed_at: datetime, term: Term, calendar: BusinessCalendar) -> Reception:
    """When a filing counts as received, and when its answer is due."""
    day = received_on(filed_at, calendar)
    return Reception(received_on=day, due_date=term_due_date(day, term, calendar))


def due_after_pause(
    due: date, paused_on: date, resumed_on: date, calendar: BusinessCalendar
) -> date:
    """The due date moved by the business days the clock stood still (Ley 1755, art. 17).

    The day of the request still counts as running; every business day after it, up to and
    including the day the citizen answers, is given back.
    """
    stopped = max(0, business_days_between(paused_on, resumed_on, calendar))
    if stopped == 0:
        return due
    return add_business_days(due, stopped, calendar)


def extension_limit(received: date, term: Term, calendar: BusinessCalendar) -> date:
    """The latest due date an extension may set: twice the original term from reception."""
    doubled = Term(amount=term.amount * 2, unit=term.unit, legal_basis=term.legal_basis)
    return term_due_date(received, doubled, calendar)


def sla_state(
    *,
    due: date,
    today: date,
    calendar: BusinessCalendar,
    paused: bool = False,
    closed: bool = False,
    due_soon_days: int = DUE_SOON_BUSINESS_DAYS,
) -> SlaState:
    """On time, due soon (`due_soon_days` business days or fewer left), overdue, paused or
    closed."""
    if closed:
        return SlaState.CLOSED
    if paused:
        return SlaState.PAUSED
    if today > due:
        return SlaState.OVERDUE
    if business_days_between(today, due, calendar) <= due_soon_days:
        return SlaState.DUE_SOON
    return SlaState.ON_TIME


def days_overdue(due: date, today: date, calendar: BusinessCalendar) -> int:
    """How many business days past its due date a case is `today` (0 when it is not late)."""
    return max(0, business_days_between(due, today, calendar)) if today > due else 0


def on_time_from(
    today: date, calendar: BusinessCalendar, due_soon_days: int = DUE_SOON_BUSINESS_DAYS
) -> date:
    """The first due date that is still on time `today`: a running case due before it is due
    soon (or overdue, when due before `today`). The thresholds `sla_state` draws, so that a
    query can sort every case of a calendar by its due date alone."""
    return add_business_days(today, due_soon_days + 1, calendar)
