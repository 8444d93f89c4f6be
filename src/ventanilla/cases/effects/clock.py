"""Effects on the legal clock: asking the citizen for information stops it, their answer
starts it again with the days given back, and an extension moves the due date once
(Ley 1755 de 2015, arts. 14 and 17)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from ventanilla.calendars.business import (
    add_business_days,
    add_calendar_months,
    business_days_between,
)
from ventanilla.cases.effects.base import CaseEffect, Step, TransitionError
from ventanilla.cases.events import CaseEvent
from ventanilla.cases.legal import due_after_pause, extension_limit
from ventanilla.cases.models import TimelineEvent
from ventanilla.catalog import effects as declared

# Ley 1755 de 2015, art. 17: the entity asks for what is missing within ten days of filing,
# and the citizen has one month to answer.
INFORMATION_REQUEST_WINDOW_DAYS = 10
INFORMATION_REPLY_MONTHS = 1


class RequestInformation(declared.RequestInformation, CaseEffect):
    def apply(self, step: Step) -> None:
        case, calendar, today = step.case, step.calendar, step.today
        window_end = add_business_days(case.received_on, INFORMATION_REQUEST_WINDOW_DAYS, calendar)
        if today > window_end:
            raise TransitionError(
                _(
                    "Ya pasaron los 10 días hábiles desde la radicación en que se puede pedir "
                    "información (Ley 1755 de 2015, art. 17)."
                )
            )
        if case.is_paused:
            raise TransitionError(_("El caso ya espera información del ciudadano."))
        case.paused_on = today
        case.information_deadline = add_calendar_months(today, INFORMATION_REPLY_MONTHS, calendar)
        step.data["information_deadline"] = case.information_deadline.isoformat()
        step.events.add(CaseEvent.INFORMATION_REQUESTED)

    def route_title(self) -> str:
        return _("Información pedida al ciudadano")

    def citizen_text(self, event: TimelineEvent, stage_label: str) -> str:
        return _("Le pedimos información para continuar.")


class ProvideInformation(declared.ProvideInformation, CaseEffect):
    def apply(self, step: Step) -> None:
        case, calendar, today = step.case, step.calendar, step.today
        if case.paused_on is None:
            raise TransitionError(_("No hay una solicitud de información pendiente."))
        stopped = max(0, business_days_between(case.paused_on, today, calendar))
        case.due_date = due_after_pause(case.due_date, case.paused_on, today, calendar)
        case.paused_business_days += stopped
        step.data.update(paused_on=case.paused_on.isoformat(), due_date=case.due_date.isoformat())
        case.paused_on = None
        case.information_deadline = None
        step.events.add(CaseEvent.INFORMATION_PROVIDED)

    def route_title(self) -> str:
        return _("El ciudadano envió la información")

    def citizen_text(self, event: TimelineEvent, stage_label: str) -> str:
        return _("Recibimos la información que nos envió.")


class ExtendTerm(declared.ExtendTerm, CaseEffect):
    """Ley 1755 de 2015, art. 14 parágrafo: once, announced before the term ends, with
    reasons, to at most twice the original term (plus any days the clock stood still)."""

    def apply(self, step: Step) -> None:
        case, calendar, today, payload = step.case, step.calendar, step.today, step.payload
        if case.extended:
            raise TransitionError(
                _("El término ya se prorrogó una vez; no se puede prorrogar de nuevo.")
            )
        if today > case.due_date:
            raise TransitionError(_("La prórroga se debe anunciar antes de que venza el término."))
        new_due = payload.new_due_date
        if new_due is None or new_due <= case.due_date:
            raise TransitionError(_("Elija una nueva fecha posterior al vencimiento actual."))
        term = case.service_version.parsed.term
        limit = add_business_days(
            extension_limit(case.received_on, term, calendar), case.paused_business_days, calendar
        )
        if new_due > limit:
            raise TransitionError(
                _("La nueva fecha no puede pasar del %(limit)s: el doble del término inicial.")
                % {"limit": limit.isoformat()}
            )
        case.due_date = new_due
        case.extended = True
        case.extension_reason = payload.comment
        step.data.update(due_date=case.due_date.isoformat(), reason=payload.comment)
        step.events.add(CaseEvent.TERM_EXTENDED)

    def route_title(self) -> str:
        return _("Término prorrogado")

    def citizen_text(self, event: TimelineEvent, stage_label: str) -> str:
        return _("Ampliamos el plazo para responder hasta el %(date)s.") % {
            "date": event.data.get("due_date", "")
        }
