"""Files attached to cases: checked by what they contain, stored before any transaction, and
recorded as CaseDocument rows with their SHA-256."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import IO

from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage

from ventanilla.accounts.models import User
from ventanilla.cases.file_keepers import files_kept
from ventanilla.cases.models import Case, CaseDocument, PendingFile
from ventanilla.cases.uploads import ATTACHMENT_MAX_MB, Upload, storage_name, upload_problems
from ventanilla.core import clock

ATTACHMENT_TYPES = ("pdf", "jpg", "png")
# A file not referred to by a document this long after it was stored belongs to a transaction
# that never committed (longer than any filing or answer takes).
PENDING_GRACE = timedelta(hours=1)


@dataclass(frozen=True)
class StoredFile:
    upload: Upload
    path: str
    sha256: str


def file_problems(upload: Upload, *, accepted: tuple[str, ...], max_mb: int) -> list[str]:
    """What is wrong with a file, judged by its content (a renamed program is not a PDF), in
    words for the citizen."""
    return upload_problems(upload, accepted=accepted, max_mb=max_mb)


def attachment_problems(upload: Upload) -> list[str]:
    """An attachment to a message or an answer: PDF, JPG or PNG, up to 10 MB."""
    problems = file_problems(upload, accepted=ATTACHMENT_TYPES, max_mb=ATTACHMENT_MAX_MB)
    return [f"{upload.display_name}: {p}" for p in problems]


def file_store_bytes(name: str, content: bytes | IO[bytes]) -> str:
    """Save `content` as `name` (or a free name like it), outside any transaction, noting it
    first as pending so that it is swept if nothing comes to refer to it. A file object is
    saved in chunks through the storage API (a filesystem or an S3 bucket alike)."""
    PendingFile.objects.create(path=name, stored_at=clock.now())
    if isinstance(content, bytes):
        path = default_storage.save(name, ContentFile(content))
    else:
        content.seek(0)
        path = default_storage.save(name, File(content, name=name))
    if path != name:
        PendingFile.objects.filter(path=name).update(path=path)
    return path


def file_store(upload: Upload, *, folder: str) -> StoredFile:
    """Save the file under `folder` with a safe, unique name (outside any transaction)."""
    name = f"{folder}/{uuid.uuid4().hex}-{storage_name(upload.display_name)}"
    path = file_store_bytes(name, upload.content)
    return StoredFile(upload, path, upload.sha256)


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
        original_name=stored.upload.display_name[:200],
        content_type=stored.upload.content_type,
        size=stored.upload.size,
        sha256=stored.sha256,
        uploaded_at=at,
        uploaded_by=by,
    )
