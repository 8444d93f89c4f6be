"""Reading issued documents."""

from __future__ import annotations

from django.db.models import QuerySet

from ventanilla.cases.models import Case
from ventanilla.documents.models import IssuedDocument, IssuedKind


def issued_of(case: Case) -> QuerySet[IssuedDocument]:
    """The documents issued on `case`, oldest first, with their files."""
    return IssuedDocument.objects.filter(case=case).select_related("document")


def issued_answers(case: Case) -> list[IssuedDocument]:
    return list(issued_of(case).exclude(kind=IssuedKind.RECEIPT))


def issued_get(case: Case, pk: int) -> IssuedDocument | None:
    return issued_of(case).filter(pk=pk).first()
