"""Effects that end a case: the written answer (granting or refusing), numbered in the
entity's outgoing series, and withdrawal — by the citizen, or tacit when an information
request lapses (Ley 1755 de 2015, art. 17)."""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.utils.translation import gettext as _

from ventanilla.accounts.models import User
from ventanilla.cases.effects.base import (
    CaseEffect,
    PreparedOutdated,
    Step,
    TransitionError,
    TransitionInput,
    answer_text,
)
from ventanilla.cases.events import CaseEvent
from ventanilla.cases.models import Case, TimelineEvent
from ventanilla.cases.responses import PreparedResponse, response_issue, response_prepare
from ventanilla.catalog import effects as declared
from ventanilla.core import clock


def _close(step: Step) -> None:
    step.case.closed_at = step.now
    step.case.paused_on = None
    step.case.information_deadline = None
    step.events.add(CaseEvent.CLOSED)


class CloseWithResponse(declared.CloseWithResponse, CaseEffect):
    def prepare(
        self, *, case: Case, actor: User | None, payload: TransitionInput
    ) -> PreparedResponse | None:
        """The answer's PDF, rendered and stored with the outgoing number it expects."""
        text = answer_text(case, payload)
        if actor is None or not text:
            return None  # the transaction says what is missing
        return response_prepare(case=case, text=text, signer=actor, at=clock.now())

    def discard(self, prepared: object) -> None:
        if isinstance(prepared, PreparedResponse):
            default_storage.delete(prepared.path)

    def apply(self, step: Step) -> None:
        case = step.case
        text = answer_text(case, step.payload)
        if not text:
            raise TransitionError(_("Escriba la respuesta para el ciudadano."))
        assert step.actor is not None  # noqa: S101 - officials only: actions_for checked it
        # Rendered before the transaction (`prepare`): it must still fit.
        answer = step.prepared
        if not isinstance(answer, PreparedResponse) or not answer.fits(case, text):
            raise PreparedOutdated
        document = response_issue(case=case, prepared=answer, signer=step.actor)
        if document is None:
            raise PreparedOutdated
        step.now = answer.at
        step.data["response"] = document.original_name
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
