"""The line a case's route gets when its school place changes: not a workflow action but the
kind (`place`) of the events `places.services` writes; the words live here, so the route, the
citizen's case page and the official's read them alike."""

from __future__ import annotations

from typing import ClassVar

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ventanilla.cases.effects import CaseEffect, register
from ventanilla.cases.models import TimelineEvent
from ventanilla.catalog.schema import Action, Workflow

KIND = "place"


def place_text(data: dict[str, object]) -> str:
    texts = {
        "assigned": _("Cupo asignado en %(school)s."),
        "unplaced": _("La asignación de la etapa 1 no dio cupo en los colegios elegidos."),
        "claimed": _("Cupo tomado en %(school)s."),
        "accepted": _("La familia aceptó el cupo en %(school)s."),
        "declined": _("La familia no aceptó el cupo en %(school)s."),
        "formalised": _("Matrícula formalizada en %(school)s."),
        "released": _("Se liberó el cupo en %(school)s: %(reason)s"),
        "evidence_approved": _("Se aprobó el soporte del grupo prioritario."),
        "evidence_rejected": _("No se aceptó el soporte del grupo prioritario: %(reason)s"),
    }
    text = texts.get(str(data.get("what")), _("Cupo escolar."))
    return text % {"school": data.get("school", ""), "reason": data.get("reason", "")}


class PlaceRecord(CaseEffect):
    key = KIND
    label = gettext_lazy("cupo escolar del caso (lo registra la asignación, no es una acción)")
    roles: ClassVar[frozenset[str]] = frozenset()

    def definition_problems(self, action: Action, workflow: Workflow) -> list[str]:
        return [f"action `{action.key}`: `place` is written by the allocation, not by an action"]

    def route_title(self) -> str:
        return _("Cupo escolar")

    def citizen_text(self, event: TimelineEvent, stage_label: str) -> str:
        return place_text(event.data)

    def route_detail(self, data: dict[str, object]) -> str:
        return place_text(data)


def register_all() -> None:
    register(PlaceRecord())
