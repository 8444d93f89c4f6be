"""Effects that move a case: on to the next stage, to another dependency or — by competence —
to another entity (Ley 1755 de 2015, art. 21), and back from a closed stage."""

from __future__ import annotations

from django.utils.translation import gettext as _

from ventanilla.calendars.business import add_business_days
from ventanilla.cases.assignment import assignment_rule_apply
from ventanilla.cases.effects.base import CaseEffect, Step, TransitionError
from ventanilla.cases.events import CaseEvent
from ventanilla.cases.legal import reception
from ventanilla.cases.models import CompetenceTransfer, TimelineEvent
from ventanilla.catalog import effects as declared
from ventanilla.organization.models import Dependency
from ventanilla.organization.selectors import entity_calendar

# Ley 1755 de 2015, art. 21: a petition for another authority is sent on within five days.
COMPETENCE_TRANSFER_BUSINESS_DAYS = 5


class Advance(declared.Advance, CaseEffect):
    def route_title(self) -> str:
        return _("Avanzó")

    def citizen_text(self, event: TimelineEvent, stage_label: str) -> str:
        return _("Su solicitud avanzó: %(stage)s.") % {"stage": stage_label}


class DraftAnswer(declared.DraftAnswer, CaseEffect):
    def apply(self, step: Step) -> None:
        # Sent for sign-off: the comment is the answer the approver will give; without one,
        # the draft saved before goes (or the approver writes it). The citizen reads it only
        # once it is signed.
        step.citizen_message = ""
        comment = step.payload.comment.strip()
        if comment:
            step.case.response_draft = comment
            step.case.response_drafted_by = step.actor

    def route_title(self) -> str:
        return _("Respuesta proyectada para aprobación")

    def citizen_text(self, event: TimelineEvent, stage_label: str) -> str:
        return _("Su solicitud avanzó: %(stage)s.") % {"stage": stage_label}


class Transfer(declared.Transfer, CaseEffect):
    def apply(self, step: Step) -> None:
        if step.payload.target_entity is not None:
            _transfer_competence(step)
            step.target = step.workflow.initial
        else:
            case, destination = step.case, step.payload.target_dependency
            if destination is None or destination.entity_id != case.entity_id:
                raise TransitionError(_("Elija una dependencia de la misma entidad."))
            if destination.pk == case.dependency_id:
                raise TransitionError(_("El caso ya está en esa dependencia."))
            step.data.update(from_dependency=case.dependency.code, to_dependency=destination.code)
            case.dependency = destination
            case.assignee = assignment_rule_apply(dependency=destination)
        step.moved = True
        step.events.add(CaseEvent.TRANSFERRED)

    def route_title(self) -> str:
        return _("Trasladado")

    def citizen_text(self, event: TimelineEvent, stage_label: str) -> str:
        return _("Pasamos su solicitud a la dependencia que debe atenderla.")


def _transfer_competence(step: Step) -> None:
    """Send the case to the competent entity: same filing number, a new reception there, and a
    copy to the citizen (the engine notifies)."""
    case, payload, actor, now = step.case, step.payload, step.actor, step.now
    target_entity = payload.target_entity
    assert target_entity is not None  # noqa: S101 - the caller checked it
    if target_entity.pk == case.entity_id:
        raise TransitionError(_("Elija otra entidad: el caso ya está en esta."))
    if actor is None:
        raise TransitionError(_("Solo un funcionario traslada por competencia."))
    source_calendar = entity_calendar(case.entity)
    today = now.astimezone(source_calendar.zone).date()
    window_end = add_business_days(
        case.received_on, COMPETENCE_TRANSFER_BUSINESS_DAYS, source_calendar
    )
    if today > window_end:
        raise TransitionError(
            _(
                "Ya pasaron los 5 días hábiles desde la recepción para trasladar por competencia "
                "(Ley 1755 de 2015, art. 21). Responda al ciudadano explicando a quién acudir."
            )
        )
    receiving = (
        payload.target_dependency
        if payload.target_dependency is not None
        and payload.target_dependency.entity_id == target_entity.pk
        else Dependency.objects.filter(entity=target_entity, parent__isnull=True, active=True)
        .order_by("pk")
        .first()
    )
    if receiving is None:
        raise TransitionError(_("La entidad de destino no tiene una dependencia que reciba."))
    CompetenceTransfer.objects.create(
        case=case,
        from_entity=case.entity,
        to_entity=target_entity,
        from_dependency=case.dependency,
        at=now,
        by=actor,
        reason=payload.comment,
    )
    # The receiving entity's term runs from its own reception (art. 21).
    timing = reception(now, case.service_version.parsed.term, entity_calendar(target_entity))
    step.data.update(
        from_entity=case.entity.code,
        to_entity=target_entity.code,
        received_on=timing.received_on.isoformat(),
        due_date=timing.due_date.isoformat(),
    )
    case.entity = target_entity
    case.dependency = receiving
    case.assignee = assignment_rule_apply(dependency=receiving)
    case.received_on = timing.received_on
    case.original_due_date = case.due_date = timing.due_date
    case.paused_on = None
    case.information_deadline = None
    case.extended = False
    case.paused_business_days = 0


class Reopen(declared.Reopen, CaseEffect):
    def apply(self, step: Step) -> None:
        step.case.closed_at = None
        step.events.add(CaseEvent.REOPENED)

    def route_title(self) -> str:
        return _("Reabierto")

    def citizen_text(self, event: TimelineEvent, stage_label: str) -> str:
        return _("Reabrimos su solicitud.")
