"""The written answer to a case, drafted by a handler for whoever the workflow allows to issue
it (the issuing itself: `documents.issuing`)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from ventanilla.accounts.models import User
from ventanilla.cases.models import Case
from ventanilla.cases.timeline import EventKind, event_append
from ventanilla.core import clock
from ventanilla.organization.models import ROLE_RANK, Role
from ventanilla.organization.selectors import role_on


class ResponseError(Exception):
    pass


def case_response_draft(*, case: Case, actor: User, text: str) -> Case:
    """Save the proposed answer for the approver (an internal step, not shown to the citizen)."""
    if not text.strip():
        raise ResponseError(_("Escriba el texto de la respuesta."))
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        held = role_on(actor, case.dependency)
        if held is None or ROLE_RANK[held] < ROLE_RANK[Role.HANDLER]:
            raise ResponseError(_("No puede proyectar respuestas en esta dependencia."))
        if case.is_closed:
            raise ResponseError(_("El caso está cerrado."))
        case.response_draft = text.strip()
        case.response_drafted_by = actor
        case.save(update_fields=["response_draft", "response_drafted_by"])
        event_append(
            case=case,
            at=clock.now(),
            kind=EventKind.RESPONSE_DRAFTED,
            actor_id=actor.pk,
            actor_label=actor.get_full_name() or actor.email,
            stage_from=case.stage,
            stage_to=case.stage,
            citizen_visible=False,
            message=text.strip(),
        )
    return case
