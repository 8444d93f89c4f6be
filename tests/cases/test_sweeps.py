"""Nothing left on disk: files of transactions that never committed, and abandoned drafts with
their uploads, are swept."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from tests import factories
from tests.cases.test_case_file import PDF, file_one
from ventanilla.cases.documents import file_store, files_sweep
from ventanilla.cases.drafts import filing_draft_save, filing_drafts_sweep
from ventanilla.cases.filing import FilingError
from ventanilla.cases.models import FilingDraft, PendingFile
from ventanilla.cases.uploads import Upload
from ventanilla.catalog.models import Service
from ventanilla.core import clock


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path / "media"


def files(root: Path) -> set[str]:
    if not root.exists():
        return set()
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}


def test_a_file_whose_transaction_never_committed_is_swept_after_the_grace(
    reference_service: Service, media: Path
) -> None:
    kept = file_one(reference_service).case.documents.get().file.name
    # A process killed between storing the upload and committing the case leaves this behind.
    orphan = file_store(Upload("documento", "ti.pdf", PDF), folder="cases/2026/03").path
    assert files(media) == {kept, orphan}
    assert files_sweep() == 0  # within the grace: the filing may still be committing
    with clock.frozen(clock.now() + timedelta(hours=2)):
        assert files_sweep() == 1
    assert files(media) == {kept}
    assert not PendingFile.objects.exists()


def test_a_refused_filing_leaves_no_file(reference_service: Service, media: Path) -> None:
    with pytest.raises(FilingError):
        file_one(reference_service, answers={})
    assert files(media) == set()


def test_abandoned_drafts_and_their_uploads_go_after_the_retention(
    reference_service: Service, media: Path, settings: Any
) -> None:
    settings.DRAFT_RETENTION_DAYS = 30
    citizen = factories.user()
    old_upload = default_storage.save("drafts/old-cedula.pdf", ContentFile(PDF))
    guest_upload = default_storage.save("drafts/guest-cedula.pdf", ContentFile(PDF))
    fresh_upload = default_storage.save("drafts/fresh-cedula.pdf", ContentFile(PDF))
    version = reference_service.versions.get()
    with clock.frozen(clock.now() - timedelta(days=31)):
        filing_draft_save(
            user=citizen,
            service_id=reference_service.pk,
            version_id=version.pk,
            answers={"nombres": "Ana"},
            documents=[{"key": "documento_estudiante", "path": old_upload}],
        )
    month_ago = (clock.now() - timedelta(days=31)).timestamp()
    for name in (old_upload, guest_upload):  # a guest's draft lives in a session we cannot read
        os.utime(media / name, (month_ago, month_ago))
    assert filing_drafts_sweep() == (1, 1)
    assert not FilingDraft.objects.exists()
    assert files(media) == {fresh_upload}
