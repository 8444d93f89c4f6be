"""A published version is what citizens were told: it never changes; drafts do."""

from __future__ import annotations

import pytest

from ventanilla.catalog.models import PublishedVersionError, Service, VersionStatus
from ventanilla.catalog.selectors import service_with_version
from ventanilla.catalog.services import (
    CatalogError,
    service_version_clone,
    service_version_create,
    service_version_publish,
    service_version_retire,
)


def test_a_published_version_cannot_change(reference_service: Service) -> None:
    version = reference_service.versions.get()
    assert version.status == VersionStatus.PUBLISHED
    version.definition["title"]["es"] = "Otro título"
    with pytest.raises(PublishedVersionError):
        version.save()
    version.refresh_from_db()
    assert version.definition["title"]["es"].startswith("Solicitud de cupo escolar")


def test_clone_then_publish_retires_the_previous_version(reference_service: Service) -> None:
    first = reference_service.versions.get()
    draft = service_version_clone(version=first, notes="Nuevo plazo")
    assert (draft.number, draft.status) == (2, VersionStatus.DRAFT)
    draft.definition["title"]["es"] = "Solicitud de cupo escolar (nuevo)"
    draft.save()  # drafts may change
    service_version_publish(version=draft)
    first.refresh_from_db()
    draft.refresh_from_db()
    assert first.status == VersionStatus.RETIRED and first.retired_at is not None
    assert draft.status == VersionStatus.PUBLISHED
    service, shown = service_with_version(reference_service.slug)
    assert shown == draft
    assert service.title_es == "Solicitud de cupo escolar (nuevo)"


def test_an_invalid_draft_cannot_be_published(reference_service: Service) -> None:
    draft = service_version_create(service=reference_service, definition={"title": "x"})
    with pytest.raises(CatalogError, match="summary"):
        service_version_publish(version=draft)
    draft.refresh_from_db()
    assert draft.status == VersionStatus.DRAFT


def test_retiring_takes_the_service_off_the_catalogue(reference_service: Service) -> None:
    from django.http import Http404

    service_version_retire(version=reference_service.versions.get())
    reference_service.refresh_from_db()
    assert not reference_service.is_published
    with pytest.raises(Http404):
        service_with_version(reference_service.slug)


def test_only_drafts_are_published(reference_service: Service) -> None:
    with pytest.raises(CatalogError):
        service_version_publish(version=reference_service.versions.get())
