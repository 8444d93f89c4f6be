"""Writing on a case besides acting on it: messages between the citizen and the officials, and
officials' internal notes on the route."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from ventanilla.accounts.models import User
from ventanilla.cases.effects import NotAllowed, TransitionError
from ventanilla.cases.events import CaseEvent, Happened, publish
from ventanilla.cases.guest_access import is_guest_case
from ventanilla.cases.models import Case, Message
from ventanilla.cases.timeline import EventKind, event_append
from ventanilla.cases.transitions import actor_label
from ventanilla.cases.workflow import CITIZEN_SIDE, Actor
from ventanilla.core import clock
from ventanilla.organization.models import ROLE_RANK, Role
from ventanilla.organization.selectors import role_on


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
            kind=EventKind.MESSAGE,
            actor_id=author.pk if author is not None else None,
            actor_label=actor_label(author, as_actor, case),
            stage_from=case.stage,
            stage_to=case.stage,
            citizen_visible=True,
            message=body.strip(),
        )
        publish(
            Happened(
                events=frozenset({CaseEvent.MESSAGE_POSTED}),
                case=case,
                actor=author,
                as_actor=as_actor,
                message=body.strip(),
            )
        )
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
            kind=EventKind.NOTE,
            actor_id=actor.pk,
            actor_label=actor_label(actor, Actor.OFFICIAL, case),
            stage_from=case.stage,
            stage_to=case.stage,
            citizen_visible=False,
            message=text.strip(),
        )
