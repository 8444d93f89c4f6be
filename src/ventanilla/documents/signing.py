"""Signing issued documents: PAdES with the entity's certificate (PKCS#12), a visible stamp on
the last page, and a timestamp from an RFC 3161 service when one is configured (baseline B-T;
B-B without one). A plugin in the style of the SMS providers: `DOCUMENT_SIGNER` names the class,
the default signs with the PKCS#12 files of `SIGNING_KEYS_DIR`."""

from __future__ import annotations

import asyncio
import concurrent.futures
from abc import ABC, abstractmethod
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from io import BytesIO
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils.module_loading import import_string

if TYPE_CHECKING:
    from pyhanko.sign import signers

    from ventanilla.organization.models import Entity

# pyHanko takes a second or two to import: only the processes that sign or verify load it.

FIELD_NAME = "Firma"
# Where the stamp goes on the last page (points from the lower left corner of an A4/letter page):
# below the text, above the footer the templates leave free for it.
STAMP_BOX = (56, 40, 330, 100)


def run_async[T](make: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Run one of pyHanko's coroutines to the end from synchronous code. Its own synchronous
    wrappers call `asyncio.run`, which fails in a thread that already runs an event loop (an
    ASGI server's, a test browser's): there it runs in a thread of its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(make())
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(make())).result()


class SigningUnavailable(Exception):
    """This entity cannot sign now (no certificate, a wrong passphrase, the timestamp service
    down): the document waits and is tried again."""


@dataclass(frozen=True)
class Signed:
    pdf: bytes
    signed_by: str  # the certificate's subject, as people read it
    level: str  # "B-B" or "B-T"


class DocumentSigner(ABC):
    """Signs a rendered PDF for an entity. Subclass and name it in `DOCUMENT_SIGNER` to sign
    with a hardware module or a remote signing service."""

    @abstractmethod
    def sign(self, pdf: bytes, *, entity: Entity, reason: str, location: str) -> Signed:
        """The signed PDF; SigningUnavailable when it cannot sign now (tried again later)."""


class Pkcs12Signer(DocumentSigner):
    """The entity's `<code>.p12` in SIGNING_KEYS_DIR (a demo one is made when allowed)."""

    def _load(self, entity: Entity) -> signers.SimpleSigner:
        from pyhanko.sign import signers

        from ventanilla.documents import certificates

        path = certificates.entity_key_path(entity.code)
        if not path.exists() and settings.SIGNING_DEMO_CERTIFICATES:
            certificates.demo_certificate_make(code=entity.code, name=entity.name)
        if not path.exists():
            raise SigningUnavailable(f"no signing certificate for entity {entity.code} ({path})")
        signer: signers.SimpleSigner | None = signers.SimpleSigner.load_pkcs12(  # type: ignore[no-untyped-call]
            str(path), passphrase=settings.SIGNING_KEY_PASSWORD.encode() or None
        )
        if signer is None or signer.signing_cert is None:
            raise SigningUnavailable(f"the certificate of {entity.code} cannot be read")
        return signer

    def sign(self, pdf: bytes, *, entity: Entity, reason: str, location: str) -> Signed:
        from pyhanko import stamp
        from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
        from pyhanko.sign import fields, signers

        from ventanilla.documents.timestamping import UrlTimeStamper

        signer = self._load(entity)
        timestamper = (
            UrlTimeStamper(settings.SIGNING_TIMESTAMP_URL)
            if settings.SIGNING_TIMESTAMP_URL
            else None
        )
        assert signer.signing_cert is not None  # noqa: S101 - checked when loaded
        subject = str(signer.signing_cert.subject.native.get("common_name", ""))
        pdf_signer = signers.PdfSigner(
            signers.PdfSignatureMetadata(
                field_name=FIELD_NAME,
                md_algorithm="sha256",
                subfilter=fields.SigSeedSubFilter.PADES,
                reason=reason,
                location=location,
                name=subject,
            ),
            signer=signer,
            timestamper=timestamper,
            stamp_style=stamp.TextStampStyle(
                stamp_text="Firmado digitalmente por / Digitally signed by\n%(signer)s\n%(ts)s",
                border_width=1,
            ),
            new_field_spec=fields.SigFieldSpec(FIELD_NAME, on_page=-1, box=STAMP_BOX),
        )
        out = run_async(lambda: pdf_signer.async_sign_pdf(IncrementalPdfFileWriter(BytesIO(pdf))))
        signed = out.getvalue() if isinstance(out, BytesIO) else out.read()
        return Signed(pdf=signed, signed_by=subject, level="B-T" if timestamper else "B-B")


def document_signer() -> DocumentSigner:
    cls = import_string(settings.DOCUMENT_SIGNER)
    signer = cls()
    assert isinstance(signer, DocumentSigner)  # noqa: S101 - a configuration mistake
    return signer
