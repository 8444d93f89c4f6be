"""Effects that end a case: the written answer (granting or refusing), numbered in the
entity's outgoing series, and withdrawal — by the citizen, or tacit when an information
request lapses (Ley 1755 de 2015, art. 17)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from ventanilla.cases.effects.base import (
    CaseEffect,
    Step,
    TransitionError,
    answer_text,
)
from ventanilla.cases.events import CaseEvent
from ventanilla.cases.models import TimelineEvent
from ventanilla.catalog import effects as declared


def _close(step: Step) -> None:
    step.case.closed_at = step.now
    step.case.paused_on = None
    step.case.information_deadline = None
    step.events.add(CaseEvent.CLOSED)


class CloseWithResponse(declared.CloseWithResponse, CaseEffect):
    """Closes the case with a written answer. The answer's document is not made here: the app
    that issues documents subscribes to ANSWERED, numbers it in the outgoing series inside this
    transaction and renders and signs it afterwards."""

    def apply(self, step: Step) -> None:
        text = answer_text(step.case, step.payload)
        if not text:
            raise TransitionError(_("Escriba la respuesta para el ciudadano."))
        step.citizen_message = text
        step.events.add(CaseEvent.ANSWERED)
        _close(step)

    def route_title(self) -> str:
        return _("Cerrado con respuesta")

    def citizen_text(self, event: TimelineEvent, stage_label: str) -> str:
        return _("Le respondimos.")


class Reject(declared.Reject, CloseWithResponse):
    def route_title(self) -> str:
        return _("Rechazado")

    def citizen_text(self, event: TimelineEvent, stage_label: str) -> str:
        return _("Su solicitud no procede; lea la respuesta.")


class Withdraw(declared.Withdraw, CaseEffect):
    def apply(self, step: Step) -> None:
        _close(step)

    def route_title(self) -> str:
        return _("Desistimiento")

    def citizen_text(self, event: TimelineEvent, stage_label: str) -> str:
        return _("La solicitud se cerró por desistimiento.")
