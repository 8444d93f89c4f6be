"""The citizen's folder ("Mis documentos"): what they uploaded, with a case or on its own, and
what an entity issued to them, with its kind and how long it stays valid, so that a second
procedure asking for the same kind reuses it instead of asking for it again.

A folder entry shares the stored file of the case it came from; removing the entry deletes the
file only when no case and no other entry refers to it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import partial

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ventanilla.accounts.models import User
from ventanilla.cases.documents import ATTACHMENT_TYPES, file_problems, file_store
from ventanilla.cases.events import CaseEvent, Happened, subscribe
from ventanilla.cases.models import Case, CaseDocument, FilerKind
from ventanilla.cases.uploads import Upload
from ventanilla.catalog.schema import RequiredDocument
from ventanilla.core import clock
from ventanilla.documents.models import (
    DocumentKind,
    FolderDocument,
    FolderOrigin,
    IssuedDocument,
    IssuedState,
)

FOLDER_MAX_MB = 10
OTHER_KIND = "other"  # what a service asks that is only its own: never kept for reuse
EXTENSIONS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}


CASE_ORIGIN = "case"  # uploaded with a case, of a kind the folder does not keep for reuse


class FolderError(Exception):
    """The document cannot go into the folder; the message says why, for the citizen."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(" ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class FolderEntry:
    """One line of the folder as the citizen reads it."""

    kind: str
    kind_name: str
    name: str
    added_on: date
    valid_until: date | None
    expires: bool
    origin: str
    added_at: datetime | None = None
    folder_id: int | None = None  # an entry the citizen may download here and remove
    case_number: str = ""  # an issued document, or one only on a case: downloaded from it
    case_document_id: int | None = None

    def is_valid(self, today: date) -> bool:
        return self.valid_until is None or self.valid_until >= today


@dataclass(frozen=True)
class Reusable:
    """A stored file the citizen may hand to another procedure. `ref` names it in a form:
    "f<id>" for a folder entry, "i<id>" for an issued document."""

    ref: str
    name: str
    added_on: date
    path: str
    content_type: str
    size: int
    sha256: str


# ---- Kinds ------------------------------------------------------------------------------------


def kinds_reusable() -> list[DocumentKind]:
    return list(DocumentKind.objects.filter(reusable=True).exclude(key=OTHER_KIND))


def kind_label(kind: DocumentKind | None, fallback: str) -> str:
    if kind is None:
        return fallback
    if (get_language() or "es").startswith("en") and kind.name_en:
        return kind.name_en
    return kind.name_es


def valid_until_for(kind: DocumentKind | None, added: date) -> date | None:
    """How long a document of `kind` added on `added` stays valid: a certificate's validity
    runs from when it reached us, as we cannot know when it was issued."""
    if kind is None or kind.valid_days is None:
        return None
    return added + timedelta(days=kind.valid_days)


def _local_date(at: datetime) -> date:
    return timezone.localtime(at).date()


# ---- Selectors --------------------------------------------------------------------------------


def folder_for(owner: User) -> list[FolderEntry]:
    """Everything in the citizen's folder, newest first: what they uploaded and the documents
    entities issued on their cases (once signed)."""
    kinds = {k.key: k for k in DocumentKind.objects.all()}
    entries = []
    for document in FolderDocument.objects.filter(owner=owner).exclude(origin=FolderOrigin.ISSUED):
        kind = kinds.get(document.kind)
        entries.append(
            FolderEntry(
                kind=document.kind,
                kind_name=kind_label(kind, document.kind),
                name=document.name,
                added_on=_local_date(document.added_at),
                added_at=document.added_at,
                valid_until=document.valid_until,
                expires=kind is not None and kind.valid_days is not None,
                origin=document.origin,
                folder_id=document.pk,
            )
        )
    for issued in _issued_of(owner):
        kind = kinds.get(issued.folder_kind) if issued.folder_kind else None
        assert issued.document is not None  # noqa: S101 - filtered on
        entries.append(
            FolderEntry(
                kind=issued.folder_kind or issued.kind,
                kind_name=kind_label(kind, issued.get_kind_display()),
                name=issued.title,
                added_on=_local_date(issued.issued_at),
                added_at=issued.issued_at,
                valid_until=issued.valid_until,
                expires=issued.valid_until is not None,
                origin=FolderOrigin.ISSUED,
                case_number=issued.case.filing_number,
                case_document_id=issued.document.pk,
            )
        )
    held = {d.sha256 for d in FolderDocument.objects.filter(owner=owner).only("sha256")}
    entries += _only_on_cases(owner, kinds, held)
    entries.sort(key=lambda e: (e.added_at or clock.now(), e.name), reverse=True)
    return entries


def _only_on_cases(
    owner: User, kinds: dict[str, DocumentKind], held: set[str]
) -> list[FolderEntry]:
    """The required documents the citizen uploaded with their cases that the folder does not
    keep (a kind not reusable, or one they removed): listed, downloaded from the case, never
    offered for reuse nor removed here (the case relies on them)."""
    language = get_language() or "es"
    entries = []
    asked_by: dict[int, dict[str, RequiredDocument]] = {}
    documents = (
        CaseDocument.objects.filter(
            case__applicant=owner, uploaded_by=owner, citizen_visible=True, is_response=False
        )
        .exclude(key="")
        .select_related("case__service_version")
        .order_by("-uploaded_at")
    )
    for document in documents:
        if document.sha256 in held:
            continue
        held.add(document.sha256)
        version = document.case.service_version
        if version.pk not in asked_by:  # one parse per version, however many cases
            asked_by[version.pk] = {d.key: d for d in version.parsed.documents}
        asked = asked_by[version.pk].get(document.key)
        if asked is None:  # an attachment to a message, not a document the service asks for
            continue
        kind = kinds.get(asked.kind)
        added = _local_date(document.uploaded_at)
        entries.append(
            FolderEntry(
                kind=asked.kind,
                kind_name=kind_label(kind, asked.name.get(language)),
                name=document.original_name,
                added_on=added,
                added_at=document.uploaded_at,
                valid_until=valid_until_for(kind, added),
                expires=kind is not None and kind.valid_days is not None,
                origin=CASE_ORIGIN,
                case_number=document.case.filing_number,
                case_document_id=document.pk,
            )
        )
    return entries


def _issued_of(owner: User) -> list[IssuedDocument]:
    return list(
        IssuedDocument.objects.filter(
            case__applicant=owner, state=IssuedState.READY, document__isnull=False
        )
        .select_related("case", "document")
        .order_by("-issued_at")
    )


def folder_document_of(owner: User, document_id: int) -> FolderDocument | None:
    """The citizen's own folder entry; None for anybody else's (a 404 to them)."""
    return FolderDocument.objects.filter(pk=document_id, owner=owner).first()


def folder_reusable(
    owner: User, kind: str, today: date, *, accepted: tuple[str, ...] = ATTACHMENT_TYPES
) -> list[Reusable]:
    """The citizen's documents of `kind` still valid on `today` whose type the asking service
    accepts, newest first. Kind "other", or one not reusable, offers nothing."""
    if kind == OTHER_KIND or not DocumentKind.objects.filter(key=kind, reusable=True).exists():
        return []
    found: list[Reusable] = []
    seen: set[str] = set()
    folder = (
        FolderDocument.objects.filter(owner=owner, kind=kind)
        .exclude(valid_until__lt=today)
        .order_by("-added_at")
    )
    for document in folder:
        if document.sha256 in seen or EXTENSIONS.get(document.content_type) not in accepted:
            continue
        seen.add(document.sha256)
        found.append(
            Reusable(
                ref=f"f{document.pk}",
                name=document.name,
                added_on=_local_date(document.added_at),
                path=document.file,
                content_type=document.content_type,
                size=document.size,
                sha256=document.sha256,
            )
        )
    issued = IssuedDocument.objects.filter(
        case__applicant=owner, state=IssuedState.READY, folder_kind=kind, document__isnull=False
    ).exclude(valid_until__lt=today)
    for item in issued.select_related("document").order_by("-issued_at"):
        stored = item.document
        assert stored is not None  # noqa: S101 - filtered on
        if stored.sha256 in seen or EXTENSIONS.get(stored.content_type) not in accepted:
            continue
        seen.add(stored.sha256)
        found.append(
            Reusable(
                ref=f"i{item.pk}",
                name=stored.original_name,
                added_on=_local_date(item.issued_at),
                path=stored.file.name or "",
                content_type=stored.content_type,
                size=stored.size,
                sha256=stored.sha256,
            )
        )
    return found


def folder_files_kept(paths: list[str]) -> set[str]:
    """The paths a folder entry refers to (a keeper for `cases.file_keepers`)."""
    return set(FolderDocument.objects.filter(file__in=paths).values_list("file", flat=True))


# ---- Services ---------------------------------------------------------------------------------


def folder_add_from_case(*, case: Case) -> list[FolderDocument]:
    """Keep in the applicant's folder each required document of `case` whose kind is
    reusable, sharing the case's stored file; one the folder already holds is not added twice.
    Runs inside the filing's transaction."""
    if case.applicant is None:
        return []
    # This runs while the filing holds its counter row: no query unless something may be kept.
    required = {d.key: d for d in case.service_version.parsed.documents if d.kind != OTHER_KIND}
    if not required:
        return []
    kinds = {
        k.key: k
        for k in DocumentKind.objects.filter(
            key__in={d.kind for d in required.values()}, reusable=True
        )
    }
    if not kinds:
        return []
    held = set(
        FolderDocument.objects.filter(owner=case.applicant, kind__in=list(kinds)).values_list(
            "kind", "sha256"
        )
    )
    added = []
    for document in case.documents.filter(key__in=list(required), is_response=False):
        kind = kinds.get(required[document.key].kind)
        if kind is None or (kind.key, document.sha256) in held:
            continue
        held.add((kind.key, document.sha256))
        added.append(
            FolderDocument(
                owner=case.applicant,
                kind=kind.key,
                name=document.original_name,
                file=document.file.name or "",
                content_type=document.content_type,
                size=document.size,
                sha256=document.sha256,
                origin=FolderOrigin.UPLOADED,
                added_at=document.uploaded_at,
                valid_until=valid_until_for(kind, _local_date(document.uploaded_at)),
            )
        )
    return FolderDocument.objects.bulk_create(added)


@subscribe(CaseEvent.FILED)
def folder_on_filed(happened: Happened) -> None:
    """A citizen who files signed in keeps the reusable documents they uploaded."""
    case = happened.case
    if case.filer_kind == FilerKind.CITIZEN and case.filed_by_id is None:
        folder_add_from_case(case=case)


def folder_upload(*, owner: User, kind: str, upload: Upload) -> FolderDocument:
    """Put a document of a reusable `kind` into the citizen's folder, checked as a case's
    upload is (type by its first bytes, size). Raises FolderError; nothing is kept then."""
    found = DocumentKind.objects.filter(key=kind, reusable=True).exclude(key=OTHER_KIND).first()
    if found is None:
        raise FolderError([_("Elija el tipo de documento.")])
    problems = file_problems(upload, accepted=ATTACHMENT_TYPES, max_mb=FOLDER_MAX_MB)
    if problems:
        raise FolderError(problems)
    now = clock.now()
    stored = file_store(upload, folder=f"folder/{now:%Y/%m}/{uuid.uuid4().hex[:8]}")
    try:
        with transaction.atomic(durable=True):
            return FolderDocument.objects.create(
                owner=owner,
                kind=found.key,
                name=upload.display_name[:200],
                file=stored.path,
                content_type=upload.content_type,
                size=upload.size,
                sha256=stored.sha256,
                origin=FolderOrigin.UPLOADED,
                added_at=now,
                valid_until=valid_until_for(found, _local_date(now)),
            )
    except BaseException:
        default_storage.delete(stored.path)
        raise


def folder_remove(*, owner: User, document_id: int) -> bool:
    """Take an entry the citizen uploaded out of their folder. The stored file goes only when
    no case and no other entry uses it. False when there is no such entry of theirs."""
    with transaction.atomic(durable=True):
        document = (
            FolderDocument.objects.select_for_update()
            .filter(pk=document_id, owner=owner, origin=FolderOrigin.UPLOADED)
            .first()
        )
        if document is None:
            return False
        path = document.file
        document.delete()
        shared = (
            CaseDocument.objects.filter(file=path).exists()
            or FolderDocument.objects.filter(file=path).exists()
        )
        if not shared:
            transaction.on_commit(partial(default_storage.delete, path))
    return True
