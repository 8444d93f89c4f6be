"""Issued documents as PDF: HTML templates rendered by WeasyPrint in the citizen's language,
with the entity's letterhead, the number, the verification code and a QR code to the
verification page, tagged for screen readers (PDF/UA-1) with the language and title set."""

from __future__ import annotations

from typing import Any

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from ventanilla.catalog.formkit import answer_text, is_asked_on_page, is_visible
from ventanilla.documents.models import IssuedDocument, IssuedKind
from ventanilla.organization.selectors import entity_calendar

TEMPLATES = {
    IssuedKind.RECEIPT: "documents/receipt.html",
    IssuedKind.ANSWER: "documents/answer.html",
    IssuedKind.CERTIFICATE: "documents/answer.html",
}


def verification_url(code: str, language: str) -> str:
    """The public page that shows what was issued under `code` (what the QR code opens)."""
    with translation.override(language):
        path = reverse("portal:verify")
    return f"{settings.SITE_URL.rstrip('/')}{path}?codigo={code}"


def _asked(document: IssuedDocument, language: str) -> list[tuple[str, str]]:
    """What the citizen asked, question by question, as the form showed it."""
    case = document.case
    form = case.service_version.parsed.form
    rows = []
    for form_field in form.fields:
        value = case.answers.get(form_field.key)
        if value in (None, "", []) or not is_visible(form_field, case.answers):
            continue
        if not is_asked_on_page(form_field):
            continue  # a file: the document answers, not its key
        rows.append((form_field.label.get(language), answer_text(form_field, value)))
    return rows


def render_issued(document: IssuedDocument) -> bytes:
    """The document's PDF, before signing."""
    from weasyprint import HTML

    case = document.case
    language = document.language
    zone = entity_calendar(document.entity).zone
    url = verification_url(document.code, language)
    context: dict[str, Any] = {
        "document": document,
        "case": case,
        "entity": document.entity,
        "issued_at": document.issued_at.astimezone(zone),
        "filed_at": case.filed_at.astimezone(zone),
        "service_title": case.service_version.parsed.title.get(language),
        "term": case.service_version.parsed.term,
        "verification_url": url,
        "qr": segno.make(url, error="m").svg_data_uri(scale=3, border=0),
        "paragraphs": [p for p in document.text.split("\n") if p.strip()],
    }
    if document.kind == IssuedKind.RECEIPT:
        context["asked"] = _asked(document, language)
        context["documents"] = list(case.documents.filter(is_response=False, key__gt=""))
    with translation.override(language):
        html = render_to_string(TEMPLATES[IssuedKind(document.kind)], context)
    pdf: bytes = HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(
        pdf_variant="pdf/ua-1",
        uncompressed_pdf=False,
    )
    return pdf
