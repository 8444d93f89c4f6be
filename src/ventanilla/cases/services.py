"""State changes of cases after filing: workflow actions, messages, the clock's upkeep.

Every operation locks the case, changes it, appends its timeline event and queues what the
citizen must be told — in one transaction. Permissions are checked here, not only in views.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _

from ventanilla.accounts.models import User
from ventanilla.calendars.business import (
    add_business_days,
    add_calendar_months,
    business_days_between,
)
from ventanilla.cases.assignment import assignee_by_rule, can_handle
from ventanilla.cases.documents import (
    StoredFile,
    Upload,
    attachment_problems,
    document_row,
    file_store,
)
from ventanilla.cases.guest_access import is_guest_case
from ventanilla.cases.legal import (
    due_after_pause,
    extension_limit,
    reception,
    sla_state,
)
from ventanilla.cases.models import Case, CaseDocument, CompetenceTransfer, Message
from ventanilla.cases.notify import case_notify
from ventanilla.cases.responses import PreparedResponse, response_issue, response_prepare
from ventanilla.cases.timeline import event_append
from ventanilla.cases.workflow import ANSWERS, CITIZEN_SIDE, Actor, actions_for, approval_stages
from ventanilla.catalog.schema import Action, Effect, OwnerKind, Stage
from ventanilla.core import clock
from ventanilla.notifications.models import Event
from ventanilla.organization.models import ROLE_RANK, Dependency, Entity, Role
from ventanilla.organization.selectors import entity_calendar, role_on

# Ley 1755 de 2015, art. 17: the entity asks for what is missing within ten days of filing,
# and the citizen has one month to answer.
INFORMATION_REQUEST_WINDOW_DAYS = 10
INFORMATION_REPLY_MONTHS = 1


class TransitionError(Exception):
    """The action cannot be taken: not allowed to this person, in this stage, or now."""


class NotAllowed(TransitionError):
    pass


@dataclass
class TransitionInput:
    comment: str = ""
    new_due_date: date | None = None
    target_dependency: Dependency | None = None
    target_entity: Entity | None = None
    attachments: list[Upload] = field(default_factory=list)


def _today(case: Case) -> date:
    calendar = entity_calendar(case.entity)
    return clock.now().astimezone(calendar.zone).date()


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


def _actor_label(user: User | None, as_actor: Actor, case: Case) -> str:
    if as_actor == Actor.GUEST:
        return case.contact_name or str(_("El ciudadano"))
    if as_actor == Actor.SYSTEM or user is None:
        return str(_("La plataforma"))
    return user.get_full_name() or user.email


# How many times an answer is rendered again when other answers took its outgoing number
# while it rendered (each try renders outside any lock).
RESPONSE_ATTEMPTS = 5


class _NumberTaken(Exception):
    """The prepared answer no longer fits: its outgoing number was taken, or what it prints
    changed. Rolls the transition back so the answer is rendered again."""


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
        for _attempt in range(RESPONSE_ATTEMPTS):
            answer = _answer_prepare(case, action, actor, as_actor, payload)
            try:
                return _transition(case, action, actor, as_actor, payload, stored, answer)
            except _NumberTaken:
                if answer is not None:
                    default_storage.delete(answer.path)
        raise TransitionError(
            _("Se están firmando muchas respuestas a la vez. Intente de nuevo en un momento.")
        )
    except BaseException:
        for item in stored:
            default_storage.delete(item.path)
        raise


def _answer_text(case: Case, payload: TransitionInput) -> str:
    return payload.comment.strip() or case.response_draft


def _answer_prepare(
    case: Case, action: str, actor: User | None, as_actor: Actor, payload: TransitionInput
) -> PreparedResponse | None:
    """Render and store the answer document before any lock, when `action` gives one."""
    if actor is None:
        return None
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
    text = _answer_text(current, payload)
    if chosen is None or chosen.effect not in ANSWERS or not text:
        return None  # refused, or not an answer: the transaction says why
    return response_prepare(case=current, text=text, signer=actor, at=clock.now())


def _transition(
    case: Case,
    action: str,
    actor: User | None,
    as_actor: Actor,
    payload: TransitionInput,
    stored: list[StoredFile],
    answer: PreparedResponse | None,
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
        return _apply(case, chosen, actor, as_actor, payload, stored, answer)


def _apply(
    case: Case,
    action: Action,
    actor: User | None,
    as_actor: Actor,
    payload: TransitionInput,
    stored: list[StoredFile],
    answer: PreparedResponse | None,
) -> Case:
    workflow = case.service_version.parsed.workflow
    target = workflow.stage(action.to_stage)
    today = _today(case)
    calendar = entity_calendar(case.entity)
    now = clock.now()
    stage_from = case.stage
    data: dict[str, object] = {"action": action.key, "effect": action.effect.value}
    event = Event.CASE_UPDATED
    citizen_message = payload.comment

    match action.effect:
        case Effect.REQUEST_INFORMATION:
            window_end = add_business_days(
                case.received_on, INFORMATION_REQUEST_WINDOW_DAYS, calendar
            )
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
            case.information_deadline = add_calendar_months(
                today, INFORMATION_REPLY_MONTHS, calendar
            )
            data["information_deadline"] = case.information_deadline.isoformat()
            event = Event.INFORMATION_REQUESTED
        case Effect.PROVIDE_INFORMATION:
            if case.paused_on is None:
                raise TransitionError(_("No hay una solicitud de información pendiente."))
            stopped = max(0, business_days_between(case.paused_on, today, calendar))
            case.due_date = due_after_pause(case.due_date, case.paused_on, today, calendar)
            case.paused_business_days += stopped
            data.update(paused_on=case.paused_on.isoformat(), due_date=case.due_date.isoformat())
            case.paused_on = None
            case.information_deadline = None
        case Effect.EXTEND_TERM:
            _extend(case, payload, today)
            data.update(due_date=case.due_date.isoformat(), reason=payload.comment)
        case Effect.TRANSFER if payload.target_entity is not None:
            _transfer_competence(case, payload, actor, now, data)
            target = workflow.initial
        case Effect.TRANSFER:
            destination = payload.target_dependency
            if destination is None or destination.entity_id != case.entity_id:
                raise TransitionError(_("Elija una dependencia de la misma entidad."))
            if destination.pk == case.dependency_id:
                raise TransitionError(_("El caso ya está en esa dependencia."))
            data.update(from_dependency=case.dependency.code, to_dependency=destination.code)
            case.dependency = destination
            case.assignee = assignee_by_rule(destination)
        case Effect.CLOSE_WITH_RESPONSE | Effect.REJECT | Effect.WITHDRAW:
            if action.effect != Effect.WITHDRAW:
                text = _answer_text(case, payload)
                if not text:
                    raise TransitionError(_("Escriba la respuesta para el ciudadano."))
                assert actor is not None  # noqa: S101 - officials only: actions_for checked it
                if answer is None or not answer.fits(case, text):
                    raise _NumberTaken
                document = response_issue(case=case, prepared=answer, signer=actor)
                if document is None:
                    raise _NumberTaken
                now = answer.at
                data["response"] = document.original_name
                citizen_message = text
            case.closed_at = now
            case.paused_on = None
            case.information_deadline = None
            event = Event.CASE_CLOSED
        case Effect.REOPEN:
            case.closed_at = None
        case Effect.ADVANCE:
            if payload.comment.strip() and target.key in approval_stages(workflow):
                # Sent for sign-off: the comment is the answer the approver will give.
                case.response_draft = payload.comment.strip()
                case.response_drafted_by = actor

    case.stage = target.key
    moved = action.effect == Effect.TRANSFER
    if action.effect not in {Effect.TRANSFER, Effect.REOPEN} and not target.terminal:
        new_owner = _owner_of(case, target)
        if new_owner.pk != case.dependency_id:
            data.update(from_dependency=case.dependency.code, to_dependency=new_owner.code)
            case.dependency = new_owner
            case.assignee = assignee_by_rule(new_owner)
            moved = True
    if (
        as_actor == Actor.OFFICIAL
        and actor is not None
        and case.assignee_id is None
        and not moved
        and not target.terminal
        and can_handle(actor, case)
    ):
        # Whoever starts working an unassigned case holds it, so it shows under "assigned to
        # me" and a colleague does not pick it up too.
        case.assignee = actor
        data["assigned_to"] = actor.email
    _refresh_sla(case, today)
    case.save()
    if stored:
        _attach(case, stored, actor, now)
    if as_actor in CITIZEN_SIDE and payload.comment:
        Message.objects.create(
            case=case, author=actor, from_citizen=True, body=payload.comment, created_at=now
        )
    event_append(
        case=case,
        at=now,
        kind=action.effect.value,
        actor_id=actor.pk if actor else None,
        actor_label=_actor_label(actor, as_actor, case),
        stage_from=stage_from,
        stage_to=target.key,
        citizen_visible=True,
        message=payload.comment,
        data=data,
    )
    if as_actor not in CITIZEN_SIDE:
        case_notify(case=case, event=event, message=citizen_message)
    return case


# Ley 1755 de 2015, art. 21: a petition for another authority is sent on within five days.
COMPETENCE_TRANSFER_BUSINESS_DAYS = 5


def _transfer_competence(
    case: Case, payload: TransitionInput, actor: User | None, now: datetime, data: dict[str, object]
) -> None:
    """Send the case to the competent entity: same filing number, a new reception there, and a
    copy to the citizen (the caller notifies)."""
    target_entity = payload.target_entity
    assert target_entity is not None  # noqa: S101 - matched on it
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
    data.update(
        from_entity=case.entity.code,
        to_entity=target_entity.code,
        received_on=timing.received_on.isoformat(),
        due_date=timing.due_date.isoformat(),
    )
    case.entity = target_entity
    case.dependency = receiving
    case.assignee = assignee_by_rule(receiving)
    case.received_on = timing.received_on
    case.original_due_date = case.due_date = timing.due_date
    case.paused_on = None
    case.information_deadline = None
    case.extended = False
    case.paused_business_days = 0


def _extend(case: Case, payload: TransitionInput, today: date) -> None:
    """Ley 1755 de 2015, art. 14 parágrafo: once, announced before the term ends, with
    reasons, to at most twice the original term (plus any days the clock stood still)."""
    calendar = entity_calendar(case.entity)
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


def _attach(case: Case, stored: list[StoredFile], actor: User | None, now: datetime) -> None:
    CaseDocument.objects.bulk_create([document_row(case, f, at=now, by=actor) for f in stored])


def message_post(*, case: Case, author: User | None, body: str, as_actor: Actor) -> Message:
    """A message between the citizen and the officials of a case (not a workflow action).
    A guest writes with `author=None` and `as_actor=Actor.GUEST`, after the surface proved
    their link."""
    if not body.strip():
        raise TransitionError(_("Escriba el mensaje."))
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        if as_actor == Actor.CITIZEN and (author is None or case.applicant_id != author.pk):
            raise NotAllowed(_("Este caso no es suyo."))
        if as_actor == Actor.GUEST and not is_guest_case(case):
            raise NotAllowed(_("Este caso no es suyo."))
        if as_actor == Actor.SYSTEM:
            raise NotAllowed(_("La plataforma no escribe mensajes."))
        held = (
            role_on(author, case.dependency)
            if as_actor == Actor.OFFICIAL and author is not None
            else None
        )
        if as_actor == Actor.OFFICIAL and (
            held is None or ROLE_RANK[held] < ROLE_RANK[Role.HANDLER]
        ):
            raise NotAllowed(_("No puede escribirle al ciudadano en este caso."))
        now = clock.now()
        message = Message.objects.create(
            case=case,
            author=author,
            from_citizen=as_actor in CITIZEN_SIDE,
            body=body.strip(),
            created_at=now,
        )
        event_append(
            case=case,
            at=now,
            kind="message",
            actor_id=author.pk if author is not None else None,
            actor_label=_actor_label(author, as_actor, case),
            stage_from=case.stage,
            stage_to=case.stage,
            citizen_visible=True,
            message=body.strip(),
        )
        if as_actor == Actor.OFFICIAL:
            case_notify(case=case, event=Event.MESSAGE_RECEIVED, message=body.strip())
    return message


def case_note_add(*, case: Case, actor: User, text: str) -> None:
    """An internal note on the route: officials see it, the citizen never does."""
    if not text.strip():
        raise TransitionError(_("Escriba la nota."))
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        if role_on(actor, case.dependency) is None:
            raise NotAllowed(_("No puede escribir notas en este caso."))
        event_append(
            case=case,
            at=clock.now(),
            kind="note",
            actor_id=actor.pk,
            actor_label=_actor_label(actor, Actor.OFFICIAL, case),
            stage_from=case.stage,
            stage_to=case.stage,
            citizen_visible=False,
            message=text.strip(),
        )
