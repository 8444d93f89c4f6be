"""Document verification for other systems: is this code, or this PDF, a document the
institution issued, and is its signature valid.

No `from __future__ import annotations` here: django-ninja reads the annotations at import.
"""

import base64
import binascii
from datetime import datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Schema, Status

from ventanilla.api.schemas import Line, error_responses
from ventanilla.core.ratelimit import client_ip
from ventanilla.documents.verification import (
    MAX_PDF_MB,
    Verdict,
    document_check_code,
    document_check_file,
)

router = Router(tags=["documents"])

# Base64 makes four characters of three bytes.
_MAX_BASE64 = (MAX_PDF_MB * 1024 * 1024 * 4) // 3 + 4


class VerifyIn(Schema):
    code: Line = Field(
        default="", max_length=30, description="The verification code, e.g. 7KQ2-M9XP-4D3A."
    )
    pdf_base64: str = Field(
        default="",
        max_length=_MAX_BASE64,
        description=f"The PDF to compare with what was issued (base64, up to {MAX_PDF_MB} MB).",
    )


class IssuedOut(Schema):
    kind: str = Field(description="receipt, answer or certificate")
    title: str
    issuer: str
    issued_at: datetime
    filing_number: str
    outgoing_number: str | None = Field(description="Answers and certificates only.")
    sha256: str = Field(description="SHA-256 of the issued (signed) PDF.")
    signed_by: str
    signature_level: str = Field(description="PAdES baseline level: B-B or B-T.")


class SignatureOut(Schema):
    signer: str
    signed_at: datetime | None
    intact: bool = Field(description="The signed bytes are unchanged.")
    valid: bool = Field(description="The signature's cryptography holds.")
    trusted: bool = Field(description="The certificate chains to an authority this site trusts.")
    covers_whole_file: bool = Field(description="Nothing was added after signing.")


class VerifyOut(Schema):
    found: bool = Field(description="The code or the file points to an issued document.")
    document: IssuedOut | None
    exact: bool | None = Field(
        description="With a PDF: it is byte for byte the issued document. Null without a PDF."
    )
    signatures: list[SignatureOut] | None = Field(
        description="With a PDF: each signature in it. Null without a PDF."
    )
    readable: bool = True


def _out(verdict: Verdict, with_file: bool) -> dict[str, Any]:
    document = verdict.document
    return {
        "found": document is not None,
        "document": None
        if document is None
        else {
            "kind": document.kind,
            "title": document.title,
            "issuer": document.entity.name,
            "issued_at": document.issued_at,
            "filing_number": document.case.filing_number,
            "outgoing_number": document.number if document.sequence else None,
            "sha256": document.sha256,
            "signed_by": document.signed_by,
            "signature_level": document.signature_level,
        },
        "exact": verdict.exact if with_file else None,
        "signatures": [vars(s) for s in verdict.signatures] if with_file else None,
        "readable": not verdict.unreadable,
    }


@router.post(
    "/documents/verify",
    response={200: VerifyOut, **error_responses(429)},
    summary="Verify an issued document by its code or its PDF",
)
def verify(request: HttpRequest, response: HttpResponse, payload: VerifyIn) -> Any:
    """Give the `code` printed on the document, the PDF itself (`pdf_base64`), or both (then
    `exact` says whether the PDF is the one issued under that code). No authentication; limited
    per client address like tracking (429 with `Retry-After`)."""
    if not payload.code and not payload.pdf_base64:
        return Status(
            422,
            {
                "detail": "Give a code, a PDF, or both.",
                "errors": {"body": ["Give a code, a PDF, or both."]},
            },
        )
    client = client_ip(request)
    if payload.pdf_base64:
        try:
            content = base64.b64decode(payload.pdf_base64, validate=True)
        except (binascii.Error, ValueError):
            return Status(
                422,
                {
                    "detail": "The request has errors.",
                    "errors": {"pdf_base64": ["Not valid base64."]},
                },
            )
        verdict = document_check_file(content=content, client=client, code=payload.code)
    else:
        verdict = document_check_code(code=payload.code, client=client)
    if verdict.retry_after:
        response["Retry-After"] = str(verdict.retry_after)
        return Status(
            429, {"detail": f"Too many attempts; try again in {verdict.retry_after} seconds."}
        )
    return _out(verdict, with_file=bool(payload.pdf_base64))
