"""The citizen's folder: what a signed-in filing keeps, reuse in a second service without
uploading again, the list with validity, uploads, removal, and nobody else's entries."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests import factories
from tests.cases.test_case_file import file_one
from tests.portal.test_filing import BASE, PDF, SECTIONS, fill_form
from ventanilla.accounts.models import User
from ventanilla.cases.documents import Upload, files_sweep
from ventanilla.cases.models import Case, PendingFile
from ventanilla.catalog.models import Service
from ventanilla.core import clock
from ventanilla.documents.folder import (
    FolderError,
    folder_remove,
    folder_reusable,
    folder_upload,
)
from ventanilla.documents.models import DocumentKind, FolderDocument
from ventanilla.organization.models import Role

pytestmark = pytest.mark.django_db

BOGOTA = ZoneInfo("America/Bogota")
OTHER = "/tramites/otro-tramite/radicar/"
PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 32


def _file_signed_in(client: Client) -> Case:
    key = fill_form(client)
    response = client.post(f"{BASE}revisar/", {"idempotency_key": key, "consent": "on"})
    assert response.status_code == 302, response.content.decode()[:1000]
    return Case.objects.order_by("-pk").first()  # type: ignore[return-value]


@pytest.fixture
def citizen(client: Client) -> User:
    person = factories.user("ana@example.co", first_name="Ana", last_name="Rojas")
    client.force_login(person)
    return person


@pytest.fixture
def second_service(reference_service: Service) -> Service:
    """Another service asking for the same kind of document (identity_document)."""
    return factories.service_variant(reference_service, "otro-tramite")


def test_filing_signed_in_keeps_the_identity_document_in_the_folder(
    client: Client, citizen: User, reference_service: Service
) -> None:
    case = _file_signed_in(client)
    (kept,) = FolderDocument.objects.filter(owner=citizen)
    stored = case.documents.get(key="documento_estudiante")
    assert kept.kind == "identity_document"
    assert (kept.file, kept.sha256, kept.size) == (stored.file.name, stored.sha256, stored.size)
    assert kept.valid_until is None  # an identity document does not expire
    page = client.get("/mi-cuenta/documentos/").content.decode()
    assert "ti.pdf" in page
    assert "Documento de identidad" in page
    assert "no vence" in page


def test_a_guest_or_an_officials_filing_keeps_nothing(reference_service: Service) -> None:
    file_one(reference_service)  # a guest
    assert not FolderDocument.objects.exists()


def test_the_acceptance_reuse_in_a_second_service_without_uploading(
    client: Client, citizen: User, second_service: Service
) -> None:
    first = _file_signed_in(client)
    for key, data in SECTIONS:
        assert client.post(f"{OTHER}paso/{key}/", data).status_code == 302
    page = client.get(f"{OTHER}documentos/").content.decode()
    offered = re.search(r'name="reusar_documento_estudiante" value="(f\d+)" checked', page)
    assert offered, page
    assert "Usar el que ya tiene: <strong>ti.pdf</strong>" in page
    # One click: the choice is already made, the citizen continues without choosing a file.
    response = client.post(f"{OTHER}documentos/", {"reusar_documento_estudiante": offered[1]})
    assert response.status_code == 302
    assert response["Location"].endswith("/revisar/")
    review = client.get(f"{OTHER}revisar/").content.decode()
    key = re.search(r'name="idempotency_key" value="([0-9a-f]+)"', review)
    assert key
    done = client.post(f"{OTHER}revisar/", {"idempotency_key": key[1], "consent": "on"})
    assert done.status_code == 302, done.content.decode()[:2000]
    second = Case.objects.exclude(pk=first.pk).get()
    assert second.service == second_service
    mine = first.documents.get(key="documento_estudiante")
    reused = second.documents.get(key="documento_estudiante")
    assert (reused.sha256, reused.size, reused.content_type) == (
        mine.sha256,
        mine.size,
        mine.content_type,
    )
    # Filing discarded the draft, not the file it borrowed from the folder (and from case 1).
    assert default_storage.exists(mine.file.name)
    # The folder does not hold the same document twice.
    assert FolderDocument.objects.filter(owner=citizen).count() == 1
    # The official of the second case sees the document on it and downloads it.
    official = factories.official(second.dependency, Role.HANDLER)
    factories.enrol_totp(official)
    client.force_login(official)
    case_page = client.get(f"/espacio/casos/{second.filing_number}/").content.decode()
    assert "ti.pdf" in case_page
    download = client.get(f"/espacio/casos/{second.filing_number}/documentos/{reused.pk}/")
    assert b"".join(download.streaming_content) == PDF  # type: ignore[attr-defined]


def test_an_expired_document_is_not_offered(citizen: User) -> None:
    DocumentKind.objects.filter(key="identity_document").update(valid_days=30)
    with clock.frozen(datetime(2026, 3, 2, 10, 0, tzinfo=BOGOTA)):
        document = folder_upload(
            owner=citizen,
            kind="identity_document",
            upload=Upload("folder", "cedula.pdf", PDF),
        )
    assert document.valid_until == date(2026, 4, 1)
    assert folder_reusable(citizen, "identity_document", date(2026, 4, 1))
    assert not folder_reusable(citizen, "identity_document", date(2026, 4, 2))
    # A service that takes only images is not offered a PDF; kind "other" never.
    assert not folder_reusable(citizen, "identity_document", date(2026, 3, 3), accepted=("png",))
    assert not folder_reusable(citizen, "other", date(2026, 3, 3))


def test_the_folder_says_valid_until_expired_or_no_expiry(client: Client, citizen: User) -> None:
    with clock.frozen(datetime(2026, 1, 5, 10, 0, tzinfo=BOGOTA)):
        folder_upload(
            owner=citizen,
            kind="medical_certificate",
            upload=Upload("folder", "medico.pdf", PDF),
        )
    now = clock.now()
    FolderDocument.objects.create(
        owner=citizen,
        kind="academic_certificate",
        name="notas.pdf",
        file="folder/x/notas.pdf",
        content_type="application/pdf",
        size=3,
        sha256="0" * 64,
        origin="uploaded",
        added_at=now,
        valid_until=now.date() + timedelta(days=90),
    )
    page = client.get("/mi-cuenta/documentos/").content.decode()
    assert "vencido" in page  # the medical certificate of January, 90 days
    valid = (now.date() + timedelta(days=90)).strftime("%d/%m/%Y")
    assert f"vigente hasta {valid}" in page


def test_the_citizen_uploads_to_the_folder_and_bad_files_are_refused(
    client: Client, citizen: User
) -> None:
    exe = SimpleUploadedFile("cedula.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
    response = client.post("/mi-cuenta/documentos/", {"kind": "identity_document", "archivo": exe})
    assert response.status_code == 200
    assert "El archivo es un programa o un archivo comprimido" in response.content.decode()
    assert 'value="identity_document" selected' in response.content.decode()
    other = SimpleUploadedFile("x.pdf", PDF, "application/pdf")
    response = client.post("/mi-cuenta/documentos/", {"kind": "other", "archivo": other})
    assert "Elija el tipo de documento." in response.content.decode()
    assert not FolderDocument.objects.exists()
    good = SimpleUploadedFile("foto cédula.png", PNG, "application/octet-stream")
    response = client.post("/mi-cuenta/documentos/", {"kind": "identity_document", "archivo": good})
    assert response.status_code == 302
    document = FolderDocument.objects.get()
    assert document.content_type == "image/png"  # by its content, not by the browser
    assert document.name == "foto cédula.png"
    download = client.get(f"/mi-cuenta/documentos/{document.pk}/")
    assert b"".join(download.streaming_content) == PNG  # type: ignore[attr-defined]


def test_another_citizens_entry_answers_404(client: Client, citizen: User) -> None:
    document = folder_upload(
        owner=citizen,
        kind="identity_document",
        upload=Upload("folder", "cedula.pdf", PDF),
    )
    client.force_login(factories.user("otro@example.co"))
    assert client.get(f"/mi-cuenta/documentos/{document.pk}/").status_code == 404
    assert client.get(f"/mi-cuenta/documentos/{document.pk}/quitar/").status_code == 404
    assert client.post(f"/mi-cuenta/documentos/{document.pk}/quitar/").status_code == 404
    assert "cedula.pdf" not in client.get("/mi-cuenta/documentos/").content.decode()
    assert FolderDocument.objects.filter(pk=document.pk).exists()


def test_removing_asks_first_and_never_deletes_a_file_a_case_uses(
    client: Client,
    citizen: User,
    reference_service: Service,
    django_capture_on_commit_callbacks: Any,
) -> None:
    case = _file_signed_in(client)
    kept = FolderDocument.objects.get(owner=citizen)
    confirm = client.get(f"/mi-cuenta/documentos/{kept.pk}/quitar/")
    assert "¿Quitar" in confirm.content.decode()
    assert FolderDocument.objects.filter(pk=kept.pk).exists()  # a GET only asks
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/mi-cuenta/documentos/{kept.pk}/quitar/")
    assert response.status_code == 302
    assert not FolderDocument.objects.exists()
    assert default_storage.exists(case.documents.get(key="documento_estudiante").file.name)


def test_removing_one_uploaded_alone_deletes_its_file(
    citizen: User, django_capture_on_commit_callbacks: Any
) -> None:
    document = folder_upload(
        owner=citizen,
        kind="identity_document",
        upload=Upload("folder", "cedula.pdf", PDF),
    )
    assert default_storage.exists(document.file)
    with django_capture_on_commit_callbacks(execute=True):
        assert folder_remove(owner=citizen, document_id=document.pk)
    assert not default_storage.exists(document.file)
    assert not folder_remove(owner=citizen, document_id=document.pk)


def test_the_sweep_keeps_a_file_only_the_folder_refers_to(citizen: User) -> None:
    document = folder_upload(
        owner=citizen,
        kind="identity_document",
        upload=Upload("folder", "cedula.pdf", PDF),
    )
    assert PendingFile.objects.filter(path=document.file).exists()
    files_sweep(grace=timedelta(0))
    assert default_storage.exists(document.file)
    assert not PendingFile.objects.filter(path=document.file).exists()


def test_a_failed_upload_keeps_nothing(citizen: User) -> None:
    with pytest.raises(FolderError):
        folder_upload(
            owner=citizen,
            kind="identity_document",
            upload=Upload("folder", "vacio.pdf", b""),
        )
    assert not FolderDocument.objects.exists()


def test_the_folder_in_english(client: Client, citizen: User) -> None:
    folder_upload(
        owner=citizen,
        kind="identity_document",
        upload=Upload("folder", "id.pdf", PDF),
    )
    page = client.get("/en/my-account/documents/").content.decode()
    assert "My documents" in page
    assert "Identity document" in page
    assert "does not expire" in page


def test_another_citizens_folder_entry_cannot_be_posted_as_ones_own(
    client: Client, citizen: User, second_service: Service
) -> None:
    stranger = factories.user("otro@example.co")
    theirs = folder_upload(
        owner=stranger,
        kind="identity_document",
        upload=Upload("folder", "ajena.pdf", PDF),
    )
    for key, data in SECTIONS:
        assert client.post(f"{OTHER}paso/{key}/", data).status_code == 302
    response = client.post(f"{OTHER}documentos/", {"reusar_documento_estudiante": f"f{theirs.pk}"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Adjunte este documento." in page
    assert "ajena.pdf" not in page


def test_documents_the_folder_does_not_keep_are_listed_from_their_case(
    client: Client, citizen: User, reference_service: Service
) -> None:
    DocumentKind.objects.filter(key="identity_document").update(reusable=False)
    case = _file_signed_in(client)
    assert not FolderDocument.objects.exists()
    page = client.get("/mi-cuenta/documentos/").content.decode()
    stored = case.documents.get(key="documento_estudiante")
    assert f"/solicitudes/{case.filing_number}/documentos/{stored.pk}/" in page
    assert f"en la solicitud {case.filing_number}" in page
    assert "Documento de identidad" in page
    assert "/quitar/" not in page  # a case relies on it
    # Nor is it offered for reuse.
    assert not folder_reusable(citizen, "identity_document", date(2027, 1, 1))


def test_the_folder_page_asks_a_fixed_number_of_queries(
    client: Client,
    citizen: User,
    reference_service: Service,
    django_assert_max_num_queries: Any,
) -> None:
    for _ in range(3):
        _file_signed_in(client)
    with django_assert_max_num_queries(12):
        client.get("/mi-cuenta/documentos/")


def test_a_document_removed_between_choosing_and_filing_is_asked_for_again(
    client: Client,
    citizen: User,
    second_service: Service,
    django_capture_on_commit_callbacks: Any,
) -> None:
    alone = folder_upload(
        owner=citizen,
        kind="identity_document",
        upload=Upload("folder", "cedula.pdf", PDF),
    )
    for key, data in SECTIONS:
        assert client.post(f"{OTHER}paso/{key}/", data).status_code == 302
    chosen = client.post(f"{OTHER}documentos/", {"reusar_documento_estudiante": f"f{alone.pk}"})
    assert chosen.status_code == 302
    review = client.get(f"{OTHER}revisar/").content.decode()
    key = re.search(r'name="idempotency_key" value="([0-9a-f]+)"', review)
    assert key
    with django_capture_on_commit_callbacks(execute=True):  # removed in another tab
        folder_remove(owner=citizen, document_id=alone.pk)
    response = client.post(f"{OTHER}revisar/", {"idempotency_key": key[1], "consent": "on"})
    assert response.status_code == 200
    assert "Adjunte este documento." in response.content.decode()
    assert not Case.objects.exists()
    assert "Sofía Ramírez" in response.content.decode()  # nothing typed is lost
