"""The electronic file: its index (JSON, tagged PDF), the ZIP, export_case, and who gets them."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pikepdf
import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from tests import factories
from tests.cases.test_case_file import file_one
from ventanilla.accounts.models import User
from ventanilla.cases.documents import Upload, document_row, file_store
from ventanilla.cases.models import Case, FilerKind
from ventanilla.catalog.models import Service
from ventanilla.core import clock
from ventanilla.documents.expediente import expediente_index
from ventanilla.organization.models import Role

pytestmark = pytest.mark.django_db


def pdf_of(pages: int) -> bytes:
    pdf = pikepdf.new()
    for _ in range(pages):
        pdf.add_blank_page()
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


@pytest.fixture
def owner() -> User:
    return factories.user("ana@example.co", first_name="Ana")


@pytest.fixture
def case(reference_service: Service, owner: User) -> Case:
    """A citizen's case with their 3-page identity document and an official's internal note
    (not visible to the citizen)."""
    from ventanilla.accounts.selectors import consent_text_current

    filing = file_one(
        reference_service,
        filer_kind=FilerKind.CITIZEN,
        applicant=owner,
        contact=None,
        consent_text=consent_text_current(),
        documents=[Upload("documento_estudiante", "ti.pdf", pdf_of(3))],
    )
    case = filing.case
    official = factories.official(case.dependency, Role.HANDLER)
    stored = file_store(Upload("", "nota interna.png", b"\x89PNG\r\n\x1a\n0000"), folder="t")
    row = document_row(case, stored, at=clock.now(), by=official)
    row.content_type = "image/png"
    row.citizen_visible = False
    row.save()
    return case


def test_the_index_lists_documents_in_order_with_hash_pages_and_origin(case: Case) -> None:
    index = expediente_index(case, citizen=False).as_dict()
    assert index["case"]["filing_number"] == case.filing_number
    assert index["case"]["state"] == "open"
    first, second = index["documents"]
    assert (first["position"], first["name"], first["pages"]) == (1, "ti.pdf", 3)
    assert (first["first_page"], first["last_page"]) == (1, 3)
    assert first["origin"] == "citizen"
    assert first["format"] == "PDF"
    assert first["sha256"] == case.documents.get(key="documento_estudiante").sha256
    assert (second["position"], second["pages"], second["origin"]) == (2, 1, "official")
    assert (second["first_page"], second["last_page"]) == (4, 4)
    assert index["totals"]["pages"] == 4


def test_the_citizen_gets_their_index_as_json_and_a_tagged_pdf(
    client: Client, case: Case, owner: User
) -> None:
    client.force_login(owner)
    base = f"/mi-cuenta/solicitudes/{case.filing_number}/"
    page = client.get(base).content.decode()
    assert "expediente/indice.pdf" in page
    data = json.loads(client.get(f"{base}expediente/indice.json").content)
    assert [d["name"] for d in data["documents"]] == ["ti.pdf"]  # not the internal note
    assert data["scope"] == "citizen"
    response = client.get(f"{base}expediente/indice.pdf")
    assert response["Content-Type"] == "application/pdf"
    with pikepdf.open(io.BytesIO(response.content)) as pdf:
        assert pdf.Root.MarkInfo.Marked
        assert "/StructTreeRoot" in pdf.Root
        assert str(pdf.Root.Lang) == "es"
        assert case.filing_number in str(pdf.docinfo.get("/Title"))


def test_the_zip_holds_the_documents_and_both_indexes(
    client: Client, case: Case, owner: User
) -> None:
    client.force_login(owner)
    response = client.get(f"/mi-cuenta/solicitudes/{case.filing_number}/expediente.zip")
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))  # type: ignore[attr-defined]
    names = archive.namelist()
    assert names == ["documentos/001-ti.pdf", "index.json", "indice.pdf", "sha256sums.txt"]
    stored = case.documents.get(key="documento_estudiante")
    assert archive.read("documentos/001-ti.pdf") == stored.file.open("rb").read()
    assert stored.sha256 in archive.read("sha256sums.txt").decode()


def test_officials_get_every_document(client: Client, case: Case) -> None:
    official = factories.official(case.dependency, Role.VIEWER)
    factories.enrol_totp(official)
    client.force_login(official)
    base = f"/espacio/casos/{case.filing_number}/"
    assert "expediente.zip" in client.get(base).content.decode()
    data = json.loads(client.get(f"{base}expediente/indice.json").content)
    assert [d["name"] for d in data["documents"]] == ["ti.pdf", "nota interna.png"]
    assert client.get(f"{base}expediente/indice.pdf").content.startswith(b"%PDF-")
    archive = zipfile.ZipFile(
        io.BytesIO(b"".join(client.get(f"{base}expediente.zip").streaming_content))  # type: ignore[attr-defined]
    )
    assert "documentos/002-notainterna.png" in archive.namelist()


ROUTES = ("expediente/indice.json", "expediente/indice.pdf", "expediente.zip")


@pytest.mark.parametrize("route", ROUTES)
def test_another_citizens_or_dependencys_case_answers_404(
    client: Client, case: Case, route: str
) -> None:
    client.force_login(factories.user("otro@example.co"))
    assert client.get(f"/mi-cuenta/solicitudes/{case.filing_number}/{route}").status_code == 404
    elsewhere = factories.official(factories.dependency("OTRA-DEPENDENCIA"))
    factories.enrol_totp(elsewhere)
    client.force_login(elsewhere)
    assert client.get(f"/espacio/casos/{case.filing_number}/{route}").status_code == 404


def test_export_case_writes_the_zip_for_an_archivist(case: Case, tmp_path: Path) -> None:
    tmp_path = tmp_path / "archivo"
    tmp_path.mkdir()
    out = io.StringIO()
    call_command("export_case", case.filing_number, "--out", str(tmp_path), stdout=out)
    target = tmp_path / f"expediente-{case.filing_number}.zip"
    archive = zipfile.ZipFile(target)
    assert len([n for n in archive.namelist() if n.startswith("documentos/")]) == 2
    assert "2 documents" in out.getvalue()
    assert [p.name for p in tmp_path.iterdir()] == [target.name]  # no partial file left
    with pytest.raises(CommandError, match="exists"):
        call_command("export_case", case.filing_number, "--out", str(tmp_path))
    call_command("export_case", case.filing_number, "--out", str(tmp_path), "--force", stdout=out)


def test_export_case_says_what_is_wrong(case: Case, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="No case with filing number 'SED-1999-000001'"):
        call_command("export_case", "SED-1999-000001", "--out", str(tmp_path))
    with pytest.raises(CommandError, match="is not a folder"):
        call_command("export_case", case.filing_number, "--out", str(tmp_path / "nope"))
