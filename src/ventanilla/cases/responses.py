"""The written answer to a case, drafted by a handler for whoever the workflow allows to issue
it (the issuing itself: `documents.issuing`)."""

from __future__ import annotations

from django.db import transaction
from django.utils import translation
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


def response_template_text(*, case: Case, key: str, language: str) -> str | None:
    """The text of the service version's answer template `key` for `case`, for the official to
    start from; None when the version has no such template. The template sees a few facts of
    the case, not the objects behind them (a template is data an administrator writes)."""
    from django.template import Context, Engine, TemplateSyntaxError

    # What the template names and the case does not know stays visible, for the official to
    # fill in: "[response.school]".
    engine = Engine(string_if_invalid="[%s]", autoescape=False)

    definition = case.service_version.parsed
    chosen = next((t for t in definition.templates if t.key == key), None)
    if chosen is None:
        return None
    facts = {
        "filing_number": case.filing_number,
        "applicant_name": case.applicant_name,
        "answers": dict(case.answers),
        "received_on": case.received_on,
        "due_date": case.due_date,
        "entity": case.entity.name,
        "dependency": case.dependency.name,
        "service": definition.title.get(language),
    }
    with translation.override(language):
        try:
            text = engine.from_string(chosen.body.get(language)).render(
                Context({"case": facts}, autoescape=False)
            )
        except TemplateSyntaxError:
            return chosen.body.get(language)
    return text.strip()
