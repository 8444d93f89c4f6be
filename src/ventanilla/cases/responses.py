"""The written answer to a case: drafted by a handler, issued by whoever the workflow allows,
numbered in the entity's outgoing series, and rendered as a PDF the citizen downloads."""

from __future__ import annotations

import hashlib
from datetime import datetime

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from ventanilla.accounts.models import User
from ventanilla.cases.models import Case, CaseDocument, FilingCounter
from ventanilla.cases.timeline import event_append
from ventanilla.core import clock
from ventanilla.organization.models import ROLE_RANK, Role
from ventanilla.organization.selectors import entity_calendar, role_on

OUTGOING_FORMAT = "{entity}-{year}-S{seq:06d}"


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
            kind="response_drafted",
            actor_id=actor.pk,
            actor_label=actor.get_full_name() or actor.email,
            stage_from=case.stage,
            stage_to=case.stage,
            citizen_visible=False,
            message=text.strip(),
        )
    return case


def _outgoing_number(case: Case, at: datetime) -> str:
    year = at.astimezone(entity_calendar(case.entity).zone).year
    counter, _created = FilingCounter.objects.get_or_create(
        entity_id=case.entity_id, year=year, series="out"
    )
    counter = FilingCounter.objects.select_for_update().get(pk=counter.pk)
    counter.last += 1
    counter.save(update_fields=["last"])
    return OUTGOING_FORMAT.format(entity=case.entity.code, year=year, seq=counter.last)


def render_response_pdf(*, case: Case, text: str, number: str, signer: User, at: datetime) -> bytes:
    """The answer as a PDF, in the language the citizen prefers."""
    from weasyprint import HTML

    language = case.applicant.preferred_language if case.applicant else "es"
    with translation.override(language):
        html = render_to_string(
            "cases/response.html",
            {
                "case": case,
                "text": text,
                "number": number,
                "signer": signer,
                "at": at.astimezone(entity_calendar(case.entity).zone),
                "service_title": case.service_version.parsed.title.get(language),
            },
        )
    pdf: bytes = HTML(string=html).write_pdf()
    return pdf


def response_issue(*, case: Case, text: str, signer: User, at: datetime) -> CaseDocument:
    """Number and store the answer document. The caller holds the case locked."""
    number = _outgoing_number(case, at)
    pdf = render_response_pdf(case=case, text=text, number=number, signer=signer, at=at)
    path = default_storage.save(
        f"cases/{case.year}/{case.pk}/respuesta-{number}.pdf", ContentFile(pdf)
    )
    return CaseDocument.objects.create(
        case=case,
        key="respuesta",
        file=path,
        original_name=f"respuesta-{number}.pdf",
        content_type="application/pdf",
        size=len(pdf),
        sha256=hashlib.sha256(pdf).hexdigest(),
        uploaded_at=at,
        uploaded_by=signer,
        citizen_visible=True,
        is_response=True,
    )
