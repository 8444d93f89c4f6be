"""A signed-in citizen's filing in progress, kept until they file or discard it."""

from __future__ import annotations

from typing import Any

from ventanilla.accounts.models import User
from ventanilla.cases.models import FilingDraft
from ventanilla.catalog.models import Service, ServiceVersion
from ventanilla.core import clock


def filing_draft_get(*, user: User, service: Service) -> FilingDraft | None:
    return FilingDraft.objects.filter(user=user, service=service).first()


def filing_draft_save(
    *,
    user: User,
    service: Service,
    version: ServiceVersion,
    answers: dict[str, Any],
    documents: list[dict[str, Any]],
) -> FilingDraft:
    draft, _created = FilingDraft.objects.update_or_create(
        user=user,
        service=service,
        defaults={
            "service_version": version,
            "answers": answers,
            "documents": documents,
            "updated_at": clock.now(),
        },
    )
    return draft


def filing_draft_discard(*, user: User, service: Service) -> None:
    FilingDraft.objects.filter(user=user, service=service).delete()
