"""A filing in progress, kept until it is filed or discarded — or abandoned for
`DRAFT_RETENTION_DAYS`, after which it and its uploads (identity documents among them) go.

Signed-in citizens' drafts are rows here; guests' live in their session, with their uploads
under `drafts/` in storage like everybody's."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction

from ventanilla.accounts.models import User
from ventanilla.cases.models import FilingDraft
from ventanilla.catalog.models import Service
from ventanilla.core import clock


def filing_draft_get(*, user: User, service: Service) -> FilingDraft | None:
    return FilingDraft.objects.filter(user=user, service=service).first()


def filing_draft_save(
    *,
    user: User,
    service_id: int,
    version_id: int,
    answers: dict[str, Any],
    documents: list[dict[str, Any]],
    place: dict[str, str] | None = None,
) -> None:
    """Keep the citizen's answers so far: one UPDATE on every page after the first."""
    values = {
        "service_version_id": version_id,
        "answers": answers,
        "documents": documents,
        "place": place or {},
        "updated_at": clock.now(),
    }
    if FilingDraft.objects.filter(user=user, service_id=service_id).update(**values):
        return
    try:
        with transaction.atomic():
            FilingDraft.objects.create(user=user, service_id=service_id, **values)
    except IntegrityError:  # the same citizen's other tab created it meanwhile
        FilingDraft.objects.filter(user=user, service_id=service_id).update(**values)


def filing_draft_discard(*, user: User, service_id: int) -> None:
    FilingDraft.objects.filter(user=user, service_id=service_id).delete()


DRAFTS_FOLDER = "drafts"


def filing_drafts_sweep(*, days: int | None = None) -> tuple[int, int]:
    """Delete drafts untouched for `days` (default `DRAFT_RETENTION_DAYS`) and every upload
    under `drafts/` older than that, whoever's draft it was. Returns (drafts, files)."""
    days = settings.DRAFT_RETENTION_DAYS if days is None else days
    before = clock.now() - timedelta(days=days)
    drafts = 0
    for draft in FilingDraft.objects.filter(updated_at__lt=before).iterator():
        for document in draft.documents:
            if not document.get("reused"):  # a file of the citizen's folder, not the draft's
                default_storage.delete(str(document.get("path", "")))
        draft.delete()
        drafts += 1
    files = 0
    try:
        _folders, names = default_storage.listdir(DRAFTS_FOLDER)
    except FileNotFoundError:
        return drafts, files
    for name in names:
        path = f"{DRAFTS_FOLDER}/{name}"
        if default_storage.get_modified_time(path) < before:
            default_storage.delete(path)
            files += 1
    return drafts, files
