"""Where the portal keeps a filing in progress: in the database for signed-in citizens (so it
survives closing the browser), in the session for guests and anonymous filers.

Uploaded files are stored at once under `drafts/` and referenced from the draft; filing reads
them back and the draft's files are deleted when it is filed or discarded.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from django.core.files.base import File
from django.core.files.storage import default_storage
from django.http import HttpRequest

from ventanilla.accounts.models import User
from ventanilla.cases import drafts as stored_drafts
from ventanilla.cases.drafts import DRAFTS_FOLDER
from ventanilla.cases.uploads import Upload, storage_name
from ventanilla.catalog.models import Service, ServiceVersion
from ventanilla.documents.folder import Reusable

SESSION_KEY = "filing_drafts"


@dataclass
class Draft:
    """A filing in progress. `mode` is citizen, guest or anonymous."""

    service_id: int
    version_id: int
    mode: str = "citizen"
    answers: dict[str, Any] = field(default_factory=dict)
    documents: list[dict[str, Any]] = field(default_factory=list)
    place: dict[str, str] = field(default_factory=dict)  # service_point / chosen_dependency
    contact: dict[str, str] = field(default_factory=dict)
    email_verified: bool = False
    verification_sent: str = ""  # hash of the code mailed to a guest
    idempotency_key: str = field(default_factory=lambda: uuid.uuid4().hex)

    def document(self, key: str) -> dict[str, Any] | None:
        return next((d for d in self.documents if d["key"] == key), None)

    def files_of(self, key: str) -> list[dict[str, Any]]:
        """The files attached for the document `key`, in the order attached."""
        return [d for d in self.documents if d["key"] == key]

    def uploads(self) -> list[Upload]:
        result = []
        for item in self.documents:
            if not default_storage.exists(item["path"]):
                continue  # swept after DRAFT_RETENTION_DAYS: the documents step asks again
            # Read in chunks from the storage when filed, never whole into memory.
            handle = default_storage.open(item["path"], "rb")
            result.append(Upload(item["key"], item["name"], handle))
        return result

    def as_dict(self) -> dict[str, Any]:
        return {
            "service_id": self.service_id,
            "version_id": self.version_id,
            "mode": self.mode,
            "answers": self.answers,
            "documents": self.documents,
            "place": self.place,
            "contact": self.contact,
            "email_verified": self.email_verified,
            "verification_sent": self.verification_sent,
            "idempotency_key": self.idempotency_key,
        }


def _session_drafts(request: HttpRequest) -> dict[str, Any]:
    drafts: dict[str, Any] = request.session.setdefault(SESSION_KEY, {})
    return drafts


def draft_load(request: HttpRequest, service: Service, version: ServiceVersion) -> Draft:
    """The draft for `service`, new when there is none or it was for an older version."""
    user = request.user
    if isinstance(user, User) and user.is_authenticated:
        stored = stored_drafts.filing_draft_get(user=user, service=service)
        if stored is not None and stored.service_version_id == version.pk:
            extra = request.session.get(SESSION_KEY, {}).get(str(service.pk), {})
            return Draft(
                service_id=service.pk,
                version_id=version.pk,
                mode="citizen",
                answers=stored.answers,
                documents=stored.documents,
                place=stored.place,
                idempotency_key=extra.get("idempotency_key") or uuid.uuid4().hex,
            )
        return Draft(service_id=service.pk, version_id=version.pk, mode="citizen")
    data = _session_drafts(request).get(str(service.pk))
    if data and data.get("version_id") == version.pk:
        return Draft(**data)
    return Draft(service_id=service.pk, version_id=version.pk, mode="")


def draft_save(request: HttpRequest, draft: Draft) -> None:
    user = request.user
    if isinstance(user, User) and user.is_authenticated and draft.mode == "citizen":
        stored_drafts.filing_draft_save(
            user=user,
            service_id=draft.service_id,
            version_id=draft.version_id,
            answers=draft.answers,
            documents=draft.documents,
            place=draft.place,
        )
        _session_drafts(request)[str(draft.service_id)] = {"idempotency_key": draft.idempotency_key}
    else:
        _session_drafts(request)[str(draft.service_id)] = draft.as_dict()
    request.session.modified = True


def _forget(item: dict[str, Any]) -> None:
    # A reused file belongs to the citizen's folder (and its cases), not to the draft.
    if not item.get("reused"):
        default_storage.delete(item["path"])


def draft_discard(request: HttpRequest, draft: Draft, *, keep_files: bool = False) -> None:
    if not keep_files:
        for item in draft.documents:
            _forget(item)
    user = request.user
    if isinstance(user, User) and user.is_authenticated:
        stored_drafts.filing_draft_discard(user=user, service_id=draft.service_id)
    _session_drafts(request).pop(str(draft.service_id), None)
    request.session.modified = True


def draft_detach(draft: Draft, key: str, ref: str) -> None:
    """Take off the draft the file `ref` (`file_ref`) attached for the document `key`."""
    for item in draft.files_of(key):
        if file_ref(item) == ref:
            _forget(item)
            draft.documents.remove(item)
            return


def file_ref(item: dict[str, Any]) -> str:
    """How a page names one attached file (to take it off)."""
    return str(item["sha256"])[:16]


def draft_attach(draft: Draft, upload: Upload, *, keep: bool = False) -> None:
    """Keep an uploaded file for the draft: beside the earlier ones of the same document when
    `keep` (a document of several files), else in their place."""
    for previous in [] if keep else draft.files_of(upload.key):
        _forget(previous)
        draft.documents.remove(previous)
    name = upload.display_name
    path = default_storage.save(
        f"{DRAFTS_FOLDER}/{uuid.uuid4().hex}-{storage_name(name)}",
        File(upload.open(), name=name),
    )
    draft.documents.append(
        {
            "key": upload.key,
            "name": name,
            "path": path,
            "content_type": upload.content_type,
            "size": upload.size,
            "sha256": upload.sha256,
        }
    )


def draft_reuse(draft: Draft, key: str, reusable: Reusable) -> None:
    """Hand the draft a document of the citizen's folder for `key`: its stored file is read
    at filing, never copied to the draft nor deleted with it."""
    for previous in draft.files_of(key):
        _forget(previous)
        draft.documents.remove(previous)
    draft.documents.append(
        {
            "key": key,
            "name": reusable.name,
            "path": reusable.path,
            "content_type": reusable.content_type,
            "size": reusable.size,
            "sha256": reusable.sha256,
            "reused": reusable.ref,
        }
    )
