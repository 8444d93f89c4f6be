"""Files people send to a case, judged by what they contain and never by what the client says.

A file arrives through Django's upload handlers: `UploadLimitHandler` counts its bytes as they
come and stops reading the request as soon as one file passes the largest size any document
accepts, and Django's `TemporaryFileUploadHandler` writes it to a temporary file, so a 20 MB PDF
never sits in memory. The type comes from the first bytes (a renamed program is not a PDF), the
name shown to officials is cleaned of path parts, control and bidirectional characters and gets
the extension of its content, the SHA-256 is computed in chunks, and the configured virus
scanner (`cases.scanners`) reads it before it is accepted.
"""

from __future__ import annotations

import hashlib
import io
import math
import os
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import IO, Any, BinaryIO, cast

from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ventanilla.cases import scanners
from ventanilla.catalog.selectors import largest_document_mb, largest_filing_mb
from ventanilla.core import memo

CHUNK = 64 * 1024
ATTACHMENT_MAX_MB = 10  # a message's or an answer's attachments
HARD_MAX_MB = 50  # what a RequiredDocument may ask for at most (catalog.schema)
CONTENT_TYPES = {"pdf": "application/pdf", "jpg": "image/jpeg", "png": "image/png"}
MAGIC = {"pdf": (b"%PDF-",), "jpg": (b"\xff\xd8\xff",), "png": (b"\x89PNG\r\n\x1a\n",)}
# Programs, scripts and archives: named here so the citizen is told why, not just "wrong type".
EXECUTABLE_MAGIC = (
    b"MZ",  # Windows programs
    b"\x7fELF",  # Linux programs
    b"\xca\xfe\xba\xbe",  # Java classes, macOS universal binaries
    b"\xcf\xfa\xed\xfe",  # macOS programs
    b"\xfe\xed\xfa\xce",
    b"#!",  # scripts
    b"PK\x03\x04",  # zip (and .docx, .jar, .apk)
    b"Rar!",
    b"7z\xbc\xaf\x27\x1c",
    b"\x1f\x8b",  # gzip
    b"\xd0\xcf\x11\xe0",  # old Office files with macros
)
NAME_MAX = 120
# Bidirectional formatting characters turn "gpj.exe" into what reads as "exe.jpg"; the format
# category (Cf) also holds zero-width characters that hide a name's real ending.
_BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
_NAME_DROP = re.compile(f"[{_BIDI}\\x00-\\x1f\\x7f-\\x9f]")
MB = 1024 * 1024
REQUEST_MARGIN_MB = 1

TOO_BIG = gettext_lazy(
    "El archivo pesa más de %(n)s MB: no lo recibimos. Reduzca su tamaño (por ejemplo, "
    "escanee en blanco y negro) y vuelva a adjuntarlo."
)

ALL_TOO_BIG = gettext_lazy(
    "Los archivos enviados juntos pesan más de %(n)s MB: no los recibimos. Adjúntelos de a "
    "uno o reduzca su tamaño."
)


@dataclass(frozen=True, eq=False)
class Upload:
    """A file for a case: its bytes (in memory, or a file on disk or in storage read in
    chunks) and the name the sender gave it. Type, size and SHA-256 come from the content."""

    key: str
    name: str
    content: bytes | IO[bytes]

    def open(self) -> IO[bytes]:
        """The content from its first byte, as a binary file."""
        if isinstance(self.content, bytes):
            return io.BytesIO(self.content)
        self.content.seek(0)
        return self.content

    def chunks(self, size: int = CHUNK) -> Iterator[bytes]:
        handle = self.open()
        while chunk := handle.read(size):
            yield chunk

    @cached_property
    def size(self) -> int:
        if isinstance(self.content, bytes):
            return len(self.content)
        self.content.seek(0, os.SEEK_END)
        return self.content.tell()

    @cached_property
    def head(self) -> bytes:
        return self.open().read(64)

    @cached_property
    def kind(self) -> str | None:
        """pdf, jpg or png by the first bytes; None for anything else."""
        return sniff(self.head)

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES.get(self.kind or "", "application/octet-stream")

    @cached_property
    def sha256(self) -> str:
        digest = hashlib.sha256()
        for chunk in self.chunks():
            digest.update(chunk)
        return digest.hexdigest()

    @property
    def display_name(self) -> str:
        return clean_name(self.name, self.kind)


def sniff(head: bytes) -> str | None:
    """The accepted type these first bytes begin, or None."""
    for kind, prefixes in MAGIC.items():
        if head.startswith(prefixes):
            return kind
    return None


def is_program(head: bytes) -> bool:
    """True when these first bytes begin a program, a script or an archive."""
    return head.startswith(EXECUTABLE_MAGIC)


def clean_name(name: str, kind: str | None) -> str:
    """The name to show and store: no folders, no control or bidirectional characters,
    accented letters kept, at most NAME_MAX characters, ending in the extension of what the
    file really is ("foto.exe" that is a PNG becomes "foto.exe.png")."""
    name = unicodedata.normalize("NFC", name.replace("\\", "/").rsplit("/", 1)[-1])
    name = _NAME_DROP.sub("", name)
    name = "".join(c for c in name if unicodedata.category(c) not in {"Cf", "Cc", "Cs", "Co"})
    name = " ".join(name.split()).strip(" .") or _("archivo")
    extension = {"jpg": ".jpg", "pdf": ".pdf", "png": ".png"}.get(kind or "", "")
    stem = name
    lower = name.lower()
    if extension and (lower.endswith(extension) or (kind == "jpg" and lower.endswith(".jpeg"))):
        stem = name[: name.rfind(".")]
    stem = stem[: NAME_MAX - len(extension)].rstrip(" .") or _("archivo")
    return stem + extension


def storage_name(name: str) -> str:
    """A name for the storage: ASCII letters, digits, dot, dash and underscore only."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return "".join(c for c in ascii_name if c.isalnum() or c in "._-")[-80:] or "archivo"


def upload_problems(upload: Upload, *, accepted: tuple[str, ...], max_mb: int) -> list[str]:
    """What is wrong with a file, judged by its content, in words for the citizen; the virus
    scanner reads it last, only when nothing else is wrong."""
    types = ", ".join(t.upper() for t in accepted)
    if upload.size == 0:
        return [_("El archivo está vacío.")]
    if upload.size > max_mb * MB:
        return [str(TOO_BIG % {"n": max_mb})]
    if is_program(upload.head):
        return [
            _(
                "El archivo es un programa o un archivo comprimido, no un documento: no lo "
                "recibimos. Adjunte un %(types)s."
            )
            % {"types": types}
        ]
    if upload.kind not in accepted:
        return [
            _("El contenido del archivo no es %(types)s, aunque su nombre lo diga.")
            % {"types": types}
        ]
    if upload.kind == "pdf":
        problem = _pdf_problem(upload)
        if problem:
            return [problem]
    verdict = scanners.scan(upload.chunks())
    if verdict.infected:
        return [
            _("El archivo contiene un virus (%(name)s): no lo recibimos.")
            % {"name": verdict.signature}
        ]
    if not verdict.scanned:
        return [
            _(
                "No pudimos revisar el archivo en busca de virus. Inténtelo de nuevo en unos "
                "minutos."
            )
        ]
    return []


def _pdf_problem(upload: Upload) -> str | None:
    """A PDF nobody could open (damaged, or locked with a password) is refused now, while the
    citizen still has the file, rather than discovered by the official weeks later."""
    import pikepdf

    try:
        with pikepdf.open(cast(BinaryIO, upload.open())):
            return None
    except pikepdf.PasswordError:
        return _(
            "El PDF está protegido con contraseña. Guárdelo sin contraseña y vuelva a adjuntarlo."
        )
    except (pikepdf.PdfError, ValueError, OSError):
        return _("El PDF está dañado y no se puede abrir. Vuelva a generarlo y adjúntelo.")


def _limits() -> tuple[int, int]:
    # What the published versions allow: remembered until one is published (`core.memo`).
    return memo.remembered("upload-limits", None, _limits_read)


def _limits_read() -> tuple[int, int]:
    largest = min(max(ATTACHMENT_MAX_MB, largest_document_mb()), HARD_MAX_MB)
    # A form carries at most one filing's documents (or a message's attachments) and its text.
    request = max(largest, largest_filing_mb()) + REQUEST_MARGIN_MB
    return (largest * MB, request * MB)


def upload_max_bytes() -> int:
    """The most one file of a request may weigh: the largest size any published document
    accepts (never less than a message's attachments, never more than HARD_MAX_MB)."""
    return _limits()[0]


def upload_request_max_bytes() -> int:
    """The most a request with files may weigh: the documents of the largest filing, or the
    largest file, and room for the form's text."""
    return _limits()[1]


class UploadLimitHandler(FileUploadHandler):
    """Counts each file's bytes as they arrive and stops reading the request when one passes
    the per-file limit, or at the first file when the request says it is larger than any form
    may be: the fields before it are kept, the rest of the body is never read, and the view
    says which file was refused (`uploads_refused`)."""

    def __init__(
        self,
        request: HttpRequest | None = None,
        limit: int | None = None,
        request_limit: int | None = None,
    ) -> None:
        super().__init__(request)
        self.limit = limit
        self.request_limit = request_limit
        self.whole_request_too_big = False
        self.received = 0

    def handle_raw_input(
        self, input_data: Any, META: Any, content_length: int, *args: Any, **kwargs: Any
    ) -> None:
        if self.limit is None:
            self.limit = upload_max_bytes()
        if self.request_limit is None:
            self.request_limit = upload_request_max_bytes()
        self.whole_request_too_big = content_length > self.request_limit

    def new_file(self, field_name: str, *args: Any, **kwargs: Any) -> None:
        super().new_file(field_name, *args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.whole_request_too_big:
            self._refuse(("request", self.request_limit or 0))
        if self.limit is not None and self.received > self.limit:
            self._refuse(("file", self.limit))
        return raw_data

    def _refuse(self, why: tuple[str, int]) -> None:
        if self.request is not None:
            refused = getattr(self.request, "uploads_refused", {})
            refused[self.field_name] = why
            self.request.uploads_refused = refused  # type: ignore[attr-defined]
        raise StopUpload(connection_reset=True)

    def file_complete(self, file_size: int) -> None:
        return None


def uploads_refused(request: HttpRequest) -> dict[str, str]:
    """The file fields of this request that were too big to read, with the message to show."""
    request.FILES  # noqa: B018 - reading the body is what fills `uploads_refused`
    refused: dict[str, tuple[str, int]] = getattr(request, "uploads_refused", {})
    messages = {}
    for field, (why, limit) in refused.items():
        size = {"n": math.ceil(limit / MB)}
        messages[field] = str(TOO_BIG % size if why == "file" else ALL_TOO_BIG % size)
    return messages


def upload_received(key: str, uploaded: UploadedFile[Any]) -> Upload:
    """The Upload for a file Django received (on disk in a temporary file)."""
    return Upload(key=key, name=uploaded.name or "", content=cast(IO[bytes], uploaded.file))
