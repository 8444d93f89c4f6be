"""Anyone may check a document the institution issued: by its verification code (typed or read
from the QR code) or by the PDF itself — is it exactly the issued document, and is its
signature valid and whose is it.

Limited like tracking: wrong codes count against the client (the code has 60 bits, so the limit
is about load), and every check of an uploaded PDF counts, as it costs a parse and a signature
validation.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from datetime import datetime
from io import BytesIO
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from ventanilla.core.ratelimit import Limit, wait_seconds
from ventanilla.documents.issuing import code_normalize
from ventanilla.documents.models import IssuedDocument, IssuedState
from ventanilla.documents.signing import run_async

logger = logging.getLogger(__name__)

WINDOW_SECONDS = 15 * 60
WRONG_CODES_PER_CLIENT = 10
MAX_PDF_MB = 10  # the upload handler reads at least this much of any file (cases.uploads)


@dataclass(frozen=True)
class SignatureCheck:
    """One signature found in a PDF, as the validator judged it."""

    signer: str
    signed_at: datetime | None
    intact: bool  # the signed bytes are unchanged
    valid: bool  # the cryptography holds
    trusted: bool  # the certificate chains to an authority we trust
    covers_whole_file: bool  # nothing was added after the signature

    @property
    def good(self) -> bool:
        return self.intact and self.valid and self.trusted and self.covers_whole_file


@dataclass
class Verdict:
    """What a check found. `document` is the issued document the code or the file points to;
    `exact` says whether the uploaded file is byte for byte the one issued."""

    document: IssuedDocument | None = None
    exact: bool | None = None
    signatures: list[SignatureCheck] = field(default_factory=list)
    unreadable: bool = False
    retry_after: int = 0

    @property
    def signature_good(self) -> bool:
        return bool(self.signatures) and all(s.good for s in self.signatures)


def _limits(client: str) -> tuple[Limit, Limit]:
    return (
        Limit(f"verify-wrong:{client}", WRONG_CODES_PER_CLIENT, WINDOW_SECONDS),
        Limit(f"verify-any:{client}", settings.VERIFY_LIMIT_PER_CLIENT, WINDOW_SECONDS),
    )


def document_check_code(*, code: str, client: str) -> Verdict:
    """The issued document with this verification code, for the client at address `client`."""
    wrong, anything = _limits(client)
    wait = wait_seconds([wrong, anything])
    if wait:
        return Verdict(retry_after=wait)
    anything.hit()
    normalized = code_normalize(code)
    document = (
        IssuedDocument.objects.filter(state=IssuedState.READY, code=normalized)
        .select_related("case", "entity", "case__service_version")
        .first()
        if normalized
        else None
    )
    if document is None:
        wrong.hit()
    return Verdict(document=document)


def document_check_file(*, content: bytes, client: str, code: str = "") -> Verdict:
    """Whether `content` is exactly a document we issued (and which), and whether its
    signatures hold. With a code, the file is compared with that document."""
    wrong, anything = _limits(client)
    wait = wait_seconds([wrong, anything])
    if wait:
        return Verdict(retry_after=wait)
    anything.hit()
    digest = hashlib.sha256(content).hexdigest()
    issued = IssuedDocument.objects.filter(state=IssuedState.READY).select_related(
        "case", "entity", "case__service_version"
    )
    normalized = code_normalize(code) if code else ""
    if normalized:
        document = issued.filter(code=normalized).first()
        if document is None:
            wrong.hit()
        exact = document is not None and document.sha256 == digest
    else:
        document = issued.filter(sha256=digest).first()
        exact = document is not None
    verdict = Verdict(document=document, exact=exact)
    try:
        verdict.signatures = signatures_check(content)
    except Exception:  # a damaged or hostile file: say so, never fail the page
        logger.info("an uploaded PDF could not be validated", exc_info=True)
        verdict.unreadable = True
    return verdict


def _trust_roots() -> list[object]:
    from asn1crypto import pem, x509

    from ventanilla.documents import certificates

    roots: list[object] = []
    for path in certificates.trust_root_paths():
        data = path.read_bytes()
        if pem.detect(data):
            for _kind, _headers, der in pem.unarmor(data, multiple=True):
                roots.append(x509.Certificate.load(der))
        else:
            roots.append(x509.Certificate.load(data))
    return roots


def signatures_check(content: bytes) -> list[SignatureCheck]:
    """Every signature in the PDF, validated against the authorities we trust (no network:
    revocation is not fetched)."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import async_validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    reader = PdfFileReader(BytesIO(content), strict=False)
    context = ValidationContext(trust_roots=_trust_roots(), allow_fetching=False)

    async def validate_all() -> list[Any]:
        return [
            await async_validate_pdf_signature(embedded, context)
            for embedded in reader.embedded_signatures
        ]

    checks = []
    for status in run_async(validate_all):
        certificate = status.signing_cert
        signer = (
            str(certificate.subject.native.get("common_name", ""))
            if certificate is not None
            else ""
        )
        coverage = getattr(status, "coverage", None)
        checks.append(
            SignatureCheck(
                signer=signer,
                signed_at=status.signer_reported_dt,
                intact=bool(status.intact),
                valid=bool(status.valid),
                trusted=bool(status.trusted),
                covers_whole_file=getattr(coverage, "name", "") == "ENTIRE_FILE",
            )
        )
    return checks


def verdict_summary(verdict: Verdict) -> str:
    """One sentence for the person who asked, in the active language."""
    if verdict.unreadable:
        return _("El archivo no es un PDF que podamos leer, o fue dañado.")
    if verdict.document is None:
        return _("No encontramos un documento expedido con ese código o ese archivo.")
    if verdict.exact is False:
        return _("El archivo NO es el documento expedido con ese código: fue modificado o es otro.")
    return _("El documento es auténtico: lo expidió %(entity)s.") % {
        "entity": verdict.document.entity.name
    }
