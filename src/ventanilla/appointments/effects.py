"""The workflow effects appointments add to cases, through the effects registry:

- `schedule_appointment`: an official asks the case's citizen to book a time (to bring
  originals, for an interview…); the citizen's case page then offers the booking, and the
  booking belongs to the case.
- `appointment`: not an action but the kind of the route's lines that record what happened to
  a case's booking (booked, moved, cancelled, attended, missed); the words live here.
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ventanilla.cases.effects import CaseEffect, Step, register
from ventanilla.cases.models import TimelineEvent
from ventanilla.catalog.effects import OFFICIALS
from ventanilla.catalog.schema import Action, Workflow


class ScheduleAppointment(CaseEffect):
    key = "schedule_appointment"
    label = gettext_lazy("pide al ciudadano agendar una cita")
    roles = OFFICIALS
    asks_citizen = True

    def apply(self, step: Step) -> None:
        step.data["service"] = step.case.service_version.service.slug
        step.citizen_message = _(
            "Para seguir con su solicitud, agende una cita desde la página de su solicitud."
        )

    def route_title(self) -> str:
        return _("Se pidió al ciudadano agendar una cita")

    def citizen_text(self, event: TimelineEvent, stage_label: str) -> str:
        return _("Le pedimos agendar una cita. Hágalo con el botón «Agendar cita».")


class AppointmentRecord(CaseEffect):
    key = "appointment"
    label = gettext_lazy("cita del caso (lo registra la agenda, no es una acción)")
    roles: ClassVar[frozenset[str]] = frozenset()

    def definition_problems(self, action: Action, workflow: Workflow) -> list[str]:
        return [
            f"action `{action.key}`: `appointment` is written by the agenda; "
            "use `schedule_appointment` to ask the citizen to book"
        ]

    def route_title(self) -> str:
        return _("Cita")

    def citizen_text(self, event: TimelineEvent, stage_label: str) -> str:
        return appointment_text(event.data)

    def route_detail(self, data: dict[str, object]) -> str:
        return appointment_text(data) + f" ({data.get('code', '')})"


def appointment_text(data: dict[str, object]) -> str:
    try:
        at = datetime.fromisoformat(str(data.get("at")))
        when = f"{date_format(at.date(), 'DATE_FORMAT')}, {at:%H:%M}"
    except ValueError:
        when = ""
    texts = {
        "booked": _("Cita agendada para el %(when)s en %(point)s."),
        "rescheduled": _("La cita cambió al %(when)s en %(point)s."),
        "cancelled": _("Se canceló la cita del %(when)s."),
        "checked_in": _("Asistió a la cita del %(when)s."),
        "no_show": _("No asistió a la cita del %(when)s."),
    }
    text = texts.get(str(data.get("what")), _("Cita del %(when)s."))
    return text % {"when": when, "point": data.get("point", "")}


def register_all() -> None:
    register(ScheduleAppointment())
    register(AppointmentRecord())
