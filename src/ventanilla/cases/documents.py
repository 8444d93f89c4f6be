"""Files attached to cases: checked by what they contain, stored before any transaction, and
recorded as CaseDocument rows with their SHA-256."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _

from ventanilla.accounts.models import User
from ventanilla.cases.file_keepers import files_kept
from ventanilla.cases.models import Case, CaseDocument, PendingFile
from ventanilla.core import clock
from ventanilla.core.text import without_control_characters

MAGIC = {"pdf": (b"%PDF-",), "jpg": (b"\xff\xd8\xff",), "png": (b"\x89PNG\r\n\x1a\n",)}
ATTACHMENT_TYPES = ("pdf", "jpg", "png")
ATTACHMENT_MAX_MB = 10
# A file not referred to by a document this long after it was stored belongs to a transaction
# that never committed (longer than any filing or answer takes).
PENDING_GRACE = timedelta(hours=1)


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


def file_store_bytes(name: str, content: bytes) -> str:
    """Save `content` as `name` (or a free name like it), outside any transaction, noting it
    first as pending so that it is swept if nothing comes to refer to it."""
    PendingFile.objects.create(path=name, stored_at=clock.now())
    path = default_storage.save(name, ContentFile(content))
    if path != name:
        PendingFile.objects.filter(path=name).update(path=path)
    return path


def file_store(upload: Upload, *, folder: str) -> StoredFile:
    """Save the file under `folder` with a safe, unique name (outside any transaction)."""
    safe = "".join(c for c in upload.name if c.isalnum() or c in "._-")[-80:] or "archivo"
    path = file_store_bytes(f"{folder}/{uuid.uuid4().hex}-{safe}", upload.content)
    return StoredFile(upload, path, hashlib.sha256(upload.content).hexdigest())


def files_sweep(*, grace: timedelta = PENDING_GRACE, batch: int = 500) -> int:
    """Delete the files stored for a transaction that never committed (it failed, or its
    process was killed) once `grace` has passed; forget the ones a document refers to.
    Returns how many files were deleted."""
    before = clock.now() - grace
    deleted = 0
    while True:
        rows = list(
            PendingFile.objects.filter(stored_at__lt=before)
            .order_by("stored_at")
            .values_list("pk", "path")[:batch]
        )
        if not rows:
            return deleted
        paths = [path for _pk, path in rows]
        kept = set(CaseDocument.objects.filter(file__in=paths).values_list("file", flat=True))
        kept |= files_kept(paths)
        for path in paths:
            if path not in kept:
                default_storage.delete(path)
                deleted += 1
        PendingFile.objects.filter(pk__in=[pk for pk, _path in rows]).delete()


def document_row(case: Case, stored: StoredFile, *, at: datetime, by: User | None) -> CaseDocument:
    """The (unsaved) record of a stored file on `case`."""
    return CaseDocument(
        case=case,
        key=stored.upload.key,
        file=stored.path,
        original_name=without_control_characters(stored.upload.name)[:200],
        content_type=without_control_characters(stored.upload.content_type)[:100],
        size=len(stored.upload.content),
        sha256=stored.sha256,
        uploaded_at=at,
        uploaded_by=by,
    )
