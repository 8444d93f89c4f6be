"""Upkeep of cases as days pass, run by the worker: the SLA state of every case, and the
reminders and tacit withdrawals of information requests (Ley 1755 de 2015, art. 17).

Both are safe with any number of workers running them at once: the SLA refresh is a few
conditional bulk updates, and each information request is handled under its case's lock.
"""

from __future__ import annotations

import logging
from enum import StrEnum

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from ventanilla.calendars.business import add_business_days
from ventanilla.cases.events import CaseEvent, Happened, publish
from ventanilla.cases.legal import SlaState, on_time_from
from ventanilla.cases.models import Case
from ventanilla.cases.services import TransitionError, TransitionInput, case_transition
from ventanilla.cases.timeline import EventKind, event_append
from ventanilla.cases.workflow import Actor, actions_for
from ventanilla.core import clock
from ventanilla.organization.models import Entity
from ventanilla.organization.selectors import entity_calendar

logger = logging.getLogger(__name__)

# The citizen is reminded this many business days before their month to answer ends.
REMINDER_BUSINESS_DAYS_BEFORE = 5
RUNNING_STATES = (SlaState.ON_TIME, SlaState.DUE_SOON, SlaState.OVERDUE)


def cases_refresh_sla() -> int:
    """Put every case's SLA state right as days pass (run by the worker, hourly); returns how
    many changed.

    The state is a function of the due date, today in the entity's zone, its calendar, and
    whether the case is paused or closed (`legal.sla_state`), so each entity's running cases
    are set by three bulk updates over due-date ranges. Every update carries its whole
    condition (open, not paused, the due-date range), which the database checks again on each
    row as it writes it: a case paused, resumed, extended or closed meanwhile is never
    overwritten with a state computed for what it was.
    """
    now = clock.now()
    changed = Case.objects.filter(
        closed_at__isnull=False, sla_state__in=[*RUNNING_STATES, SlaState.PAUSED]
    ).update(sla_state=SlaState.CLOSED)
    still_open = Case.objects.filter(closed_at__isnull=True)
    changed += (
        still_open.filter(paused_on__isnull=False)
        .exclude(sla_state=SlaState.PAUSED)
        .update(sla_state=SlaState.PAUSED)
    )
    running = still_open.filter(paused_on__isnull=True)
    for entity in Entity.objects.filter(pk__in=running.values("entity_id")):
        calendar = entity_calendar(entity)
        today = now.astimezone(calendar.zone).date()
        on_time = on_time_from(today, calendar)
        ranges = {
            SlaState.OVERDUE: Q(due_date__lt=today),
            SlaState.DUE_SOON: Q(due_date__gte=today, due_date__lt=on_time),
            SlaState.ON_TIME: Q(due_date__gte=on_time),
        }
        for state, due in ranges.items():
            changed += (
                running.filter(due, entity=entity).exclude(sla_state=state).update(sla_state=state)
            )
    return changed


class Upkept(StrEnum):
    REMINDED = "reminded"
    WITHDRAWN = "withdrawn"


def information_requests_upkeep() -> tuple[int, int]:
    """Remind citizens before their month to answer lapses; close lapsed requests as tacitly
    withdrawn (Ley 1755 de 2015, art. 17). Returns (reminded, withdrawn).

    One case's failure is logged and the others are still handled; it is tried again on the
    next run.
    """
    reminded = withdrawn = 0
    waiting = Case.objects.filter(closed_at__isnull=True, information_deadline__isnull=False)
    for case_id in list(waiting.order_by("pk").values_list("pk", flat=True)):
        try:
            outcome = _information_request_upkeep(case_id)
        except Exception:  # one broken case must not stop the reminders of all the others
            logger.exception("information-request upkeep failed for case %s", case_id)
            continue
        reminded += outcome == Upkept.REMINDED
        withdrawn += outcome == Upkept.WITHDRAWN
    return reminded, withdrawn


def _information_request_upkeep(case_id: int) -> Upkept | None:
    case = Case.objects.select_related("entity", "service_version").get(pk=case_id)
    deadline = case.information_deadline
    if deadline is None or case.is_closed:
        return None
    calendar = entity_calendar(case.entity)
    today = clock.now().astimezone(calendar.zone).date()
    if today > deadline:
        lapse = next(iter(actions_for(case, user=None, as_actor=Actor.SYSTEM)), None)
        if lapse is None:
            return None
        try:
            case_transition(
                case=case,
                action=lapse.key,
                actor=None,
                as_actor=Actor.SYSTEM,
                payload=TransitionInput(
                    comment=_(
                        "Se cerró por desistimiento tácito: no recibimos la información "
                        "pedida dentro del mes que da la ley."
                    )
                ),
            )
        except TransitionError:
            return None  # answered, withdrawn or closed meanwhile (perhaps by another worker)
        return Upkept.WITHDRAWN
    if today < add_business_days(deadline, -REMINDER_BUSINESS_DAYS_BEFORE, calendar):
        return None
    with transaction.atomic():
        # Lock first, then look: another worker may have reminded, or the citizen answered.
        locked = (
            Case.objects.select_for_update(of=("self",)).select_related("entity").get(pk=case_id)
        )
        if locked.is_closed or locked.information_deadline != deadline:
            return None
        reminded = locked.timeline.filter(
            kind=EventKind.REMINDER, data__deadline=deadline.isoformat()
        )
        if reminded.exists():
            return None
        event_append(
            case=locked,
            at=clock.now(),
            kind=EventKind.REMINDER,
            actor_id=None,
            actor_label=str(_("La plataforma")),
            stage_from=locked.stage,
            stage_to=locked.stage,
            data={"deadline": deadline.isoformat()},
        )
        publish(
            Happened(
                events=frozenset({CaseEvent.INFORMATION_REMINDED}),
                case=locked,
                as_actor=Actor.SYSTEM,
                context={"deadline": deadline.isoformat()},
            )
        )
    return Upkept.REMINDED
