"""The written answer to a case: drafted by a handler, issued by whoever the workflow allows,
numbered in the entity's outgoing series, and rendered as a PDF the citizen downloads."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from ventanilla.accounts.models import User
from ventanilla.cases.documents import file_store_bytes
from ventanilla.cases.models import Case, CaseDocument, FilingCounter
from ventanilla.cases.timeline import EventKind, event_append
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
            kind=EventKind.RESPONSE_DRAFTED,
            actor_id=actor.pk,
            actor_label=actor.get_full_name() or actor.email,
            stage_from=case.stage,
            stage_to=case.stage,
            citizen_visible=False,
            message=text.strip(),
        )
    return case


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


@dataclass(frozen=True)
class PreparedResponse:
    """An answer rendered and stored before any lock, with the outgoing number it expects."""

    year: int
    sequence: int
    number: str
    text: str
    basis: tuple[int, int]  # the entity and dependency printed on it
    path: str
    size: int
    sha256: str
    at: datetime

    def fits(self, case: Case, text: str) -> bool:
        """Still the document this case would print now."""
        return self.text == text and self.basis == (case.entity_id, case.dependency_id)


def response_prepare(*, case: Case, text: str, signer: User, at: datetime) -> PreparedResponse:
    """Render and store the answer outside any transaction, numbered with the next outgoing
    number as it stands now. Rendering takes hundreds of milliseconds: under the case's and the
    counter's locks (on SQLite, the whole database) it would stall everybody."""
    year = at.astimezone(entity_calendar(case.entity).zone).year
    last = (
        FilingCounter.objects.filter(entity_id=case.entity_id, year=year, series="out")
        .values_list("last", flat=True)
        .first()
    ) or 0
    number = OUTGOING_FORMAT.format(entity=case.entity.code, year=year, seq=last + 1)
    pdf = render_response_pdf(case=case, text=text, number=number, signer=signer, at=at)
    name = f"cases/{case.year}/{case.pk}/respuesta-{number}.pdf"
    path = file_store_bytes(name, pdf)
    return PreparedResponse(
        year=year,
        sequence=last + 1,
        number=number,
        text=text,
        basis=(case.entity_id, case.dependency_id),
        path=path,
        size=len(pdf),
        sha256=hashlib.sha256(pdf).hexdigest(),
        at=at,
    )


def response_issue(*, case: Case, prepared: PreparedResponse, signer: User) -> CaseDocument | None:
    """Take the outgoing number the prepared answer carries and record the document, in the
    caller's transaction (the case is locked). None when another answer took that number
    meanwhile: the caller prepares the answer again with the next one."""
    counter, _created = FilingCounter.objects.get_or_create(
        entity_id=case.entity_id, year=prepared.year, series="out"
    )
    counter = FilingCounter.objects.select_for_update().get(pk=counter.pk)
    if counter.last + 1 != prepared.sequence:
        return None
    counter.last = prepared.sequence
    counter.save(update_fields=["last"])
    return CaseDocument.objects.create(
        case=case,
        key="respuesta",
        file=prepared.path,
        original_name=f"respuesta-{prepared.number}.pdf",
        content_type="application/pdf",
        size=prepared.size,
        sha256=prepared.sha256,
        uploaded_at=prepared.at,
        uploaded_by=signer,
        citizen_visible=True,
        is_response=True,
    )
