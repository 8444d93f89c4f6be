"""Issuing documents on a case: the answer (numbered in the entity's outgoing series when the
case is answered) and the filing receipt (asked for when the person wants it).

Issuing takes the number and the verification code inside the transaction that decides the
document, and nothing slow: rendering (WeasyPrint) and signing (pyHanko) happen afterwards in
the background (`document_produce`), from what the row froze — text, date, language — so a
retry produces the same document. Until then the case pages say "signing…" and update by
themselves.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from datetime import datetime, timedelta

from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import translation
from django.utils.translation import gettext as _

from ventanilla.accounts.models import User
from ventanilla.cases.documents import file_store_bytes
from ventanilla.cases.events import CaseEvent, Happened, subscribe
from ventanilla.cases.models import Case, CaseDocument
from ventanilla.cases.numbering import counter_next
from ventanilla.core import clock
from ventanilla.documents.models import IssuedDocument, IssuedKind, IssuedState
from ventanilla.documents.rendering import render_issued
from ventanilla.documents.signing import document_signer
from ventanilla.organization.selectors import entity_calendar

logger = logging.getLogger(__name__)

OUTGOING_FORMAT = "{entity}-{year}-S{seq:06d}"
# Crockford's base 32 without the letters people misread: 12 characters, 60 bits.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
MAX_ATTEMPTS = 8
# A document still pending this long after it was issued lost its task (a worker killed, the
# queue emptied): the upkeep enqueues it again.
STALLED_AFTER = timedelta(minutes=2)


def verification_code_new() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def code_normalize(text: str) -> str:
    """What a person typed or a QR carried, as stored: upper case, dashes where they go, the
    letters people mistake for digits read as those digits."""
    raw = "".join(c for c in text.upper() if c.isalnum())
    raw = raw.translate(str.maketrans("OILU", "011V"))
    if len(raw) != 12:
        return ""
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def _language(case: Case) -> str:
    return case.applicant.preferred_language if case.applicant_id and case.applicant else "es"


def _enqueue(pk: int) -> None:
    from ventanilla.documents.tasks import document_produce_task

    transaction.on_commit(lambda: document_produce_task.enqueue(pk))


def answer_issue(*, case: Case, text: str, signer: User | None, at: datetime) -> IssuedDocument:
    """The answer to `case`, numbered now in the entity's outgoing series (in the caller's
    transaction, the case locked: the counter row is the last lock taken) and produced once
    the transaction commits."""
    year = at.astimezone(entity_calendar(case.entity).zone).year
    sequence = counter_next(entity_id=case.entity_id, year=year, series="out")
    language = _language(case)
    with translation.override(language):
        title = _("Respuesta a la solicitud %(number)s") % {"number": case.filing_number}
    document = IssuedDocument.objects.create(
        case=case,
        entity_id=case.entity_id,
        kind=IssuedKind.ANSWER,
        number=OUTGOING_FORMAT.format(entity=case.entity.code, year=year, seq=sequence),
        year=year,
        sequence=sequence,
        code=verification_code_new(),
        title=title,
        language=language,
        text=text,
        issued_at=at,
        signer=signer,
    )
    _enqueue(document.pk)
    return document


@subscribe(CaseEvent.ANSWERED)
def _answered(happened: Happened) -> None:
    case = happened.case
    answer_issue(
        case=case,
        text=happened.message or case.response_draft,
        signer=happened.actor,
        at=case.closed_at or clock.now(),
    )


def receipt_request(*, case: Case) -> IssuedDocument:
    """The filing receipt of `case`: the one issued, or a new one to be produced. Asked for by
    whoever may see the case (the citizen after filing, an official at the counter)."""
    existing = IssuedDocument.objects.filter(case=case, kind=IssuedKind.RECEIPT).first()
    if existing is not None:
        if existing.state == IssuedState.FAILED and existing.attempts < MAX_ATTEMPTS:
            _enqueue_now(existing.pk)
        return existing
    language = _language(case)
    with translation.override(language):
        title = _("Constancia de radicación %(number)s") % {"number": case.filing_number}
    try:
        with transaction.atomic():
            receipt = IssuedDocument.objects.create(
                case=case,
                entity_id=case.filing_entity_id,
                kind=IssuedKind.RECEIPT,
                number=case.filing_number,
                code=verification_code_new(),
                title=title,
                language=language,
                issued_at=clock.now(),
            )
            _enqueue(receipt.pk)
    except IntegrityError:  # asked twice at once: the other request made it
        return IssuedDocument.objects.get(case=case, kind=IssuedKind.RECEIPT)
    return receipt


def _enqueue_now(pk: int) -> None:
    from ventanilla.documents.tasks import document_produce_task

    document_produce_task.enqueue(pk)


def _file_name(document: IssuedDocument) -> str:
    prefix = {
        IssuedKind.RECEIPT: "constancia",
        IssuedKind.ANSWER: "respuesta",
        IssuedKind.CERTIFICATE: "certificado",
    }[IssuedKind(document.kind)]
    return f"{prefix}-{document.number}.pdf"


def document_produce(*, pk: int) -> IssuedDocument:
    """Render, sign and store the document; idempotent (a second run of a produced document
    does nothing). A failure leaves it pending-with-error for the next attempt."""
    document = IssuedDocument.objects.select_related(
        "case__entity",
        "case__dependency",
        "case__service_version",
        "case__applicant",
        "entity",
        "signer",
    ).get(pk=pk)
    if document.state == IssuedState.READY:
        return document
    IssuedDocument.objects.filter(pk=pk).update(attempts=F("attempts") + 1)
    try:
        pdf = render_issued(document)
        signed = document_signer().sign(
            pdf,
            entity=document.entity,
            reason=document.title,
            location=document.entity.name,
        )
    except Exception as error:
        logger.exception("document %s could not be produced", document.number)
        IssuedDocument.objects.filter(pk=pk, state=IssuedState.PENDING).update(
            error=str(error)[:2000]
        )
        IssuedDocument.objects.filter(pk=pk, attempts__gte=MAX_ATTEMPTS).update(
            state=IssuedState.FAILED
        )
        document.refresh_from_db()
        return document
    case = document.case
    name = f"cases/{case.year}/{case.pk}/{_file_name(document)}"
    path = file_store_bytes(name, signed.pdf)
    with transaction.atomic():
        document = IssuedDocument.objects.select_for_update().get(pk=pk)
        if document.state == IssuedState.READY:  # another run got there first
            default_storage.delete(path)
            return document
        digest = hashlib.sha256(signed.pdf).hexdigest()
        stored = CaseDocument.objects.create(
            case=case,
            key=document.kind,
            file=path,
            original_name=_file_name(document),
            content_type="application/pdf",
            size=len(signed.pdf),
            sha256=digest,
            uploaded_at=document.issued_at,
            uploaded_by=document.signer,
            citizen_visible=True,
            is_response=document.kind != IssuedKind.RECEIPT,
        )
        document.document = stored
        document.sha256 = digest
        document.signed_by = signed.signed_by
        document.signature_level = signed.level
        document.state = IssuedState.READY
        document.error = ""
        document.save(
            update_fields=["document", "sha256", "signed_by", "signature_level", "state", "error"]
        )
    return document


def documents_resume(*, now: datetime | None = None) -> int:
    """Enqueue again the documents whose production stalled or failed a few times; returns how
    many. Run periodically."""
    before = (now or clock.now()) - STALLED_AFTER
    stalled = list(
        IssuedDocument.objects.filter(
            state=IssuedState.PENDING, issued_at__lt=before, attempts__lt=MAX_ATTEMPTS
        ).values_list("pk", flat=True)[:200]
    )
    for pk in stalled:
        _enqueue_now(pk)
    return len(stalled)
