"""Documents an entity issued on a citizen's case: in their folder (downloaded from the case),
never removable there, offered for reuse while valid when they carry a folder kind, and marked
"issued" in the electronic index."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import Client

from tests import factories
from tests.cases.test_case_file import file_one
from ventanilla.accounts.models import User
from ventanilla.accounts.selectors import consent_text_current
from ventanilla.cases.documents import Upload, document_row, file_store
from ventanilla.cases.models import Case, FilerKind
from ventanilla.catalog.models import Service
from ventanilla.core import clock
from ventanilla.documents.expediente import expediente_index
from ventanilla.documents.folder import folder_for, folder_reusable
from ventanilla.documents.models import IssuedDocument, IssuedState

pytestmark = pytest.mark.django_db

PDF = factories.pdf_bytes("certificado")


@pytest.fixture
def owner() -> User:
    return factories.user("ana@example.co")


def issue(
    case: Case, *, state: str = IssuedState.READY, valid_until: date | None = None
) -> IssuedDocument:
    row = None
    if state == IssuedState.READY:
        stored = file_store(Upload("", "certificado.pdf", PDF), folder="t")
        row = document_row(case, stored, at=clock.now(), by=None)
        row.is_response = True
        row.save()
    number = IssuedDocument.objects.count() + 1
    return IssuedDocument.objects.create(
        case=case,
        entity=case.entity,
        kind="certificate",
        number=f"SED-S-{number}",
        code=f"CODE{number}",
        title="Certificado de estudios",
        issued_at=clock.now(),
        state=state,
        document=row,
        folder_kind="academic_certificate",
        valid_until=valid_until,
    )


@pytest.fixture
def case(reference_service: Service, owner: User) -> Case:
    return file_one(
        reference_service,
        filer_kind=FilerKind.CITIZEN,
        applicant=owner,
        contact=None,
        consent_text=consent_text_current(),
    ).case


def test_a_ready_issued_document_is_in_the_folder_and_the_index(
    client: Client, case: Case, owner: User
) -> None:
    today = clock.now().date()
    issued = issue(case, valid_until=today + timedelta(days=90))
    issue(case, state=IssuedState.PENDING)  # not signed yet: not listed
    entries = [e for e in folder_for(owner) if e.origin == "issued"]
    assert [e.name for e in entries] == ["Certificado de estudios"]
    assert entries[0].kind_name == "Certificado académico"
    client.force_login(owner)
    page = client.get("/mi-cuenta/documentos/").content.decode()
    assert "expedido por la entidad" in page
    assert f"/solicitudes/{case.filing_number}/documentos/{issued.document_id}/" in page
    assert f"/mi-cuenta/documentos/{issued.document_id}/quitar/" not in page
    (offered,) = folder_reusable(owner, "academic_certificate", today)
    assert offered.ref == f"i{issued.pk}"
    assert not folder_reusable(owner, "academic_certificate", today + timedelta(days=91))
    origins = [d["origin"] for d in expediente_index(case, citizen=True).as_dict()["documents"]]
    assert origins == ["citizen", "issued"]


def test_another_citizen_does_not_see_it(case: Case) -> None:
    issue(case)
    stranger = factories.user("otro@example.co")
    assert folder_for(stranger) == []
    assert not folder_reusable(stranger, "academic_certificate", clock.now().date())
