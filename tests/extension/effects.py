"""A workflow effect from outside `cases`: give a case preferential attention (Ley 1755 de
2015, art. 20) and tell the citizen so."""

from __future__ import annotations

from ventanilla.cases.effects import CaseEffect, Step, TransitionError
from ventanilla.cases.models import Priority, TimelineEvent
from ventanilla.catalog.effects import OFFICIALS


class Prioritize(CaseEffect):
    key = "prioritize"
    label = "da atención prioritaria"
    roles = OFFICIALS

    def apply(self, step: Step) -> None:
        if step.case.priority == Priority.PREFERENTIAL:
            raise TransitionError("Ya tiene atención prioritaria.")
        step.case.priority = Priority.PREFERENTIAL
        step.data["priority"] = Priority.PREFERENTIAL.value

    def route_title(self) -> str:
        return "Atención prioritaria"

    def citizen_text(self, event: TimelineEvent, stage_label: str) -> str:
        return "Su solicitud tendrá atención prioritaria."
