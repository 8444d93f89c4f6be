"""Acting on a case: the workflow engine.

`case_transition` checks that the action is open to this person now (`cases.workflow`), then,
with the case locked, lets the action's effect (`cases.effects`) do its part and does what every
action does: move the stage, hand the case to the stage's owner, let whoever starts an
unassigned case hold it, refresh the state of the clock, append the route's event and publish
the case events (`cases.events`; the citizen is told by a subscriber) — one transaction.
"""

from __future__ import annotations

from datetime import date

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _

from ventanilla.accounts.models import User
from ventanilla.cases.assignment import assignment_rule_apply, can_handle
from ventanilla.cases.documents import (
    StoredFile,
    attachment_problems,
    document_row,
    file_store,
)
from ventanilla.cases.effects import (
    CaseEffect,
    NotAllowed,
    PreparedOutdated,
    Step,
    TransitionError,
    TransitionInput,
    runnable,
)
from ventanilla.cases.events import CaseEvent, Happened, publish
from ventanilla.cases.legal import sla_state
from ventanilla.cases.models import Case, CaseDocument, Message
from ventanilla.cases.timeline import event_append
from ventanilla.cases.workflow import CITIZEN_SIDE, Actor, actions_for
from ventanilla.catalog.schema import Action, OwnerKind, Stage
from ventanilla.core import clock
from ventanilla.organization.models import Dependency
from ventanilla.organization.selectors import entity_calendar

__all__ = ["NotAllowed", "TransitionError", "TransitionInput", "actor_label", "case_transition"]

# How many times an effect prepares again what no longer fits when its transaction comes (an
# answer whose outgoing number other answers took while it rendered, outside any lock).
PREPARE_ATTEMPTS = 5


def case_transition(
    *,
    case: Case,
    action: str,
    actor: User | None,
    as_actor: Actor = Actor.OFFICIAL,
    payload: TransitionInput | None = None,
) -> Case:
    """Take workflow `action` on `case` as `actor`; raise TransitionError when it is not allowed
    now or its input does not meet the law (with a message for the person)."""
    payload = payload or TransitionInput()
    problems = [p for upload in payload.attachments for p in attachment_problems(upload)]
    if problems:
        raise TransitionError(" ".join(problems))
    stored = [file_store(u, folder=f"cases/{case.year}/{case.pk}") for u in payload.attachments]
    try:
        for _attempt in range(PREPARE_ATTEMPTS):
            prepared = _prepare(case, action, actor, as_actor, payload)
            try:
                return _transition(case, action, actor, as_actor, payload, stored, prepared)
            except PreparedOutdated:
                if prepared is not None:
                    prepared[0].discard(prepared[1])
            except BaseException:
                if prepared is not None:
                    prepared[0].discard(prepared[1])
                raise
        raise TransitionError(
            _("Se están firmando muchas respuestas a la vez. Intente de nuevo en un momento.")
        )
    except BaseException:
        for item in stored:
            default_storage.delete(item.path)
        raise


def _prepare(
    case: Case, action: str, actor: User | None, as_actor: Actor, payload: TransitionInput
) -> tuple[CaseEffect, object] | None:
    """Let the action's effect do its slow work before any lock (render an answer, say)."""
    current = (
        Case.objects.select_related("service_version", "entity", "dependency", "applicant")
        .filter(pk=case.pk)
        .first()
    )
    if current is None:
        return None
    chosen = next(
        (a for a in actions_for(current, user=actor, as_actor=as_actor) if a.key == action), None
    )
    if chosen is None:
        return None  # refused: the transaction says why
    effect = runnable(chosen.effect)
    prepared = effect.prepare(case=current, actor=actor, payload=payload)
    return None if prepared is None else (effect, prepared)


def _transition(
    case: Case,
    action: str,
    actor: User | None,
    as_actor: Actor,
    payload: TransitionInput,
    stored: list[StoredFile],
    prepared: tuple[CaseEffect, object] | None,
) -> Case:
    with transaction.atomic():
        case = (
            Case.objects.select_for_update(of=("self",))
            .select_related("service_version", "entity", "dependency", "service", "applicant")
            .get(pk=case.pk)
        )
        allowed = {a.key: a for a in actions_for(case, user=actor, as_actor=as_actor)}
        chosen = allowed.get(action)
        if chosen is None:
            raise NotAllowed(_("Esta acción no está disponible para usted en esta etapa."))
        if chosen.comment_required and not payload.comment.strip():
            raise TransitionError(_("Escriba un comentario: esta acción lo exige."))
        return _apply(
            case, chosen, actor, as_actor, payload, stored, prepared[1] if prepared else None
        )


def _apply(
    case: Case,
    action: Action,
    actor: User | None,
    as_actor: Actor,
    payload: TransitionInput,
    stored: list[StoredFile],
    prepared: object | None,
) -> Case:
    workflow = case.service_version.parsed.workflow
    calendar = entity_calendar(case.entity)
    now = clock.now()
    effect = runnable(action.effect)
    step = Step(
        case=case,
        action=action,
        actor=actor,
        as_actor=as_actor,
        payload=payload,
        workflow=workflow,
        target=workflow.stage(action.to_stage),
        today=now.astimezone(calendar.zone).date(),
        now=now,
        calendar=calendar,
        prepared=prepared,
        data={"action": action.key, "effect": action.effect},
        citizen_message=payload.comment,
    )
    stage_from = case.stage
    effect.apply(step)
    target = step.target
    case.stage = target.key
    if not effect.keeps_owner and not target.terminal:
        new_owner = _owner_of(case, target)
        if new_owner.pk != case.dependency_id:
            step.data.update(from_dependency=case.dependency.code, to_dependency=new_owner.code)
            case.dependency = new_owner
            case.assignee = assignment_rule_apply(dependency=new_owner)
            step.moved = True
    if (
        as_actor == Actor.OFFICIAL
        and actor is not None
        and case.assignee_id is None
        and not step.moved
        and not target.terminal
        and can_handle(actor, case)
    ):
        # Whoever starts working an unassigned case holds it, so it shows under "assigned to
        # me" and a colleague does not pick it up too.
        case.assignee = actor
        step.data["assigned_to"] = actor.email
        step.data["assigned_to_name"] = actor.get_full_name() or actor.email
    _refresh_sla(case, step.today)
    case.save()
    if stored:
        CaseDocument.objects.bulk_create(
            [document_row(case, f, at=step.now, by=actor) for f in stored]
        )
    if as_actor in CITIZEN_SIDE and payload.comment:
        Message.objects.create(
            case=case, author=actor, from_citizen=True, body=payload.comment, created_at=step.now
        )
    event_append(
        case=case,
        at=step.now,
        kind=action.effect,
        actor_id=actor.pk if actor else None,
        actor_label=actor_label(actor, as_actor, case),
        stage_from=stage_from,
        stage_to=target.key,
        citizen_visible=True,
        message=payload.comment,
        data=step.data,
    )
    events = {CaseEvent.ACTION_TAKEN, *step.events}
    if target.key != stage_from:
        events.add(CaseEvent.STAGE_ENTERED)
    publish(
        Happened(
            events=frozenset(events),
            case=case,
            actor=actor,
            as_actor=as_actor,
            message=step.citizen_message,
            context={"action": action.key, "stage_from": stage_from, **step.data},
        )
    )
    return case


def _owner_of(case: Case, stage: Stage) -> Dependency:
    """The dependency that owns `stage` for this case; a case transferred to another entity
    stays in that entity."""
    found = _stage_owner(case, stage)
    return found if found.entity_id == case.entity_id else case.dependency


def _stage_owner(case: Case, stage: Stage) -> Dependency:
    owner = stage.owner
    if owner.kind == OwnerKind.FIXED:
        found = Dependency.objects.filter(entity_id=case.entity_id, code=owner.dependency).first()
        return found or case.dependency
    if owner.kind == OwnerKind.SERVICE_POINT and case.service_point is not None:
        return case.service_point.dependency
    if owner.kind == OwnerKind.CHOSEN_AT_FILING and case.chosen_dependency is not None:
        return case.chosen_dependency
    if owner.kind == OwnerKind.SERVICE:
        return case.service.dependency
    return case.dependency


def _refresh_sla(case: Case, today: date) -> None:
    case.sla_state = sla_state(
        due=case.due_date,
        today=today,
        calendar=entity_calendar(case.entity),
        paused=case.is_paused,
        closed=case.is_closed,
    )


def actor_label(user: User | None, as_actor: str, case: Case) -> str:
    """How the route names whoever acted."""
    if as_actor == Actor.GUEST:
        return case.contact_name or str(_("El ciudadano"))
    if as_actor == Actor.SYSTEM or user is None:
        return str(_("La plataforma"))
    return user.get_full_name() or user.email
