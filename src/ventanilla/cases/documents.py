"""Files attached to cases: checked by what they contain, stored before any transaction, and
recorded as CaseDocument rows with their SHA-256."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import datetime

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _

from ventanilla.accounts.models import User
from ventanilla.cases.models import Case, CaseDocument

MAGIC = {"pdf": (b"%PDF-",), "jpg": (b"\xff\xd8\xff",), "png": (b"\x89PNG\r\n\x1a\n",)}
ATTACHMENT_TYPES = ("pdf", "jpg", "png")
ATTACHMENT_MAX_MB = 10


@dataclass(frozen=True)
class Upload:
    key: str
    name: str
    content: bytes
    content_type: str = "application/octet-stream"


@dataclass(frozen=True)
class StoredFile:
    upload: Upload
    path: str
    sha256: str


def file_problems(upload: Upload, *, accepted: tuple[str, ...], max_mb: int) -> list[str]:
    """What is wrong with a file, judged by its name and by its first bytes (a renamed
    executable is not a PDF), in words for the citizen."""
    extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    extension = "jpg" if extension == "jpeg" else extension
    problems = []
    if not upload.content:
        problems.append(_("El archivo está vacío."))
    elif extension not in accepted or not upload.content.startswith(
        MAGIC.get(extension, (b"\0invalid",))
    ):
        problems.append(
            _("El archivo debe ser %(types)s.") % {"types": ", ".join(t.upper() for t in accepted)}
        )
    if len(upload.content) > max_mb * 1024 * 1024:
        problems.append(_("El archivo pesa más de %(n)s MB.") % {"n": max_mb})
    return problems


def attachment_problems(upload: Upload) -> list[str]:
    """An attachment to a message or an answer: PDF, JPG or PNG, up to 10 MB."""
    problems = file_problems(upload, accepted=ATTACHMENT_TYPES, max_mb=ATTACHMENT_MAX_MB)
    return [f"{upload.name}: {p}" for p in problems]


def file_store(upload: Upload, *, folder: str) -> StoredFile:
    """Save the file under `folder` with a safe, unique name (outside any transaction)."""
    safe = "".join(c for c in upload.name if c.isalnum() or c in "._-")[-80:] or "archivo"
    path = default_storage.save(f"{folder}/{uuid.uuid4().hex}-{safe}", ContentFile(upload.content))
    return StoredFile(upload, path, hashlib.sha256(upload.content).hexdigest())


def document_row(case: Case, stored: StoredFile, *, at: datetime, by: User | None) -> CaseDocument:
    """The (unsaved) record of a stored file on `case`."""
    return CaseDocument(
        case=case,
        key=stored.upload.key,
        file=stored.path,
        original_name=stored.upload.name[:200],
        content_type=stored.upload.content_type[:100],
        size=len(stored.upload.content),
        sha256=stored.sha256,
        uploaded_at=at,
        uploaded_by=by,
    )
