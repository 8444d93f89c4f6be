"""The filing receipt: a signed PDF with the number, the dates, what was asked and how the term
is counted, for the person the case belongs to and for the officials who may see the case —
nobody else."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from tests import factories
from tests.cases.test_case_file import file_one
from tests.workspace.test_workspace_flows import login
from ventanilla.cases.models import Case, FilerKind
from ventanilla.catalog.models import Service
from ventanilla.documents.models import IssuedDocument, IssuedState
from ventanilla.documents.verification import signatures_check
from ventanilla.organization.models import Dependency, Role

pdftotext = shutil.which("pdftotext")


@pytest.fixture
def owned(reference_service: Service) -> tuple[Case, Any]:
    citizen = factories.user("lucia@example.co", first_name="Lucía")
    case = file_one(
        reference_service, filer_kind=FilerKind.CITIZEN, applicant=citizen, contact=None
    ).case
    return case, citizen


def _download(client: Client, start: str, capture: Any) -> tuple[IssuedDocument, bytes]:
    with capture(execute=True):
        response = client.get(start)
    assert response.status_code == 302
    issued = IssuedDocument.objects.get(kind="receipt")
    assert issued.state == IssuedState.READY
    download = client.get(response["Location"])
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    return issued, b"".join(download.streaming_content)


@pytest.mark.django_db
def test_the_citizen_downloads_a_signed_receipt_with_what_they_asked(
    owned: tuple[Case, Any], django_capture_on_commit_callbacks: Any, tmp_path: Path
) -> None:
    case, citizen = owned
    client = Client()
    client.force_login(citizen)
    page = client.get(f"/mi-cuenta/solicitudes/{case.filing_number}/").content.decode()
    assert f"/solicitudes/{case.filing_number}/constancia/" in page
    issued, content = _download(
        client, f"/solicitudes/{case.filing_number}/constancia/", django_capture_on_commit_callbacks
    )
    assert issued.number == case.filing_number and issued.sequence is None
    checks = signatures_check(content)
    assert checks and checks[0].good
    if pdftotext:
        path = tmp_path / "r.pdf"
        path.write_bytes(content)
        text = subprocess.run(  # noqa: S603
            [pdftotext, "-layout", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout
        for fact in (case.filing_number, issued.code, "Lo que pidió", "días hábiles"):
            assert fact in text, fact
    # Asking again gives the same receipt, not a second one.
    again = client.get(f"/solicitudes/{case.filing_number}/constancia/")
    assert again["Location"].endswith(f"/expedidos/{issued.pk}/")
    assert IssuedDocument.objects.filter(kind="receipt").count() == 1


@pytest.mark.django_db
def test_before_it_is_signed_the_page_says_so_and_polls(owned: tuple[Case, Any]) -> None:
    case, citizen = owned
    client = Client()
    client.force_login(citizen)
    response = client.get(f"/solicitudes/{case.filing_number}/constancia/", follow=True)
    page = response.content.decode()
    assert "Preparando y firmando su constancia" in page
    assert 'hx-trigger="every 3s"' in page
    issued = IssuedDocument.objects.get(kind="receipt")
    part = client.get(
        f"/solicitudes/{case.filing_number}/expedidos/{issued.pk}/", HTTP_HX_REQUEST="true"
    ).content.decode()
    assert part.startswith(f'<div id="issued-{issued.pk}"') and "<html" not in part


@pytest.mark.django_db
def test_nobody_else_gets_the_receipt(
    owned: tuple[Case, Any], django_capture_on_commit_callbacks: Any
) -> None:
    case, citizen = owned
    owner = Client()
    owner.force_login(citizen)
    with django_capture_on_commit_callbacks(execute=True):
        location = owner.get(f"/solicitudes/{case.filing_number}/constancia/")["Location"]
    stranger = Client()
    stranger.force_login(factories.user("otro@example.co"))
    assert stranger.get(f"/solicitudes/{case.filing_number}/constancia/").status_code == 404
    assert stranger.get(location).status_code == 404
    anonymous = Client()
    assert anonymous.get(location).status_code == 404
    # An official of another dependency of the same entity does not see it either.
    elsewhere = factories.official(Dependency.objects.get(code="DLE-08"), Role.HANDLER)
    factories.enrol_totp(elsewhere)
    official = login(Client(), elsewhere)
    issued = IssuedDocument.objects.get(kind="receipt")
    assert official.get(f"/espacio/casos/{case.filing_number}/constancia/").status_code == 404
    assert (
        official.get(f"/espacio/casos/{case.filing_number}/expedidos/{issued.pk}/").status_code
        == 404
    )


@pytest.mark.django_db
def test_the_official_hands_the_receipt_over_at_the_counter(
    owned: tuple[Case, Any], django_capture_on_commit_callbacks: Any
) -> None:
    case, _citizen = owned
    handler = factories.official(Dependency.objects.get(code="DIR-COBERTURA"), Role.HANDLER)
    factories.enrol_totp(handler)
    client = login(Client(), handler)
    page = client.get(f"/espacio/casos/{case.filing_number}/").content.decode()
    assert f"/espacio/casos/{case.filing_number}/constancia/" in page
    issued, content = _download(
        client,
        f"/espacio/casos/{case.filing_number}/constancia/",
        django_capture_on_commit_callbacks,
    )
    assert content.startswith(b"%PDF") and issued.case == case


@pytest.mark.django_db
def test_an_anonymous_filer_gets_the_receipt_of_what_they_just_filed(
    client: Client, reference_service: Service, django_capture_on_commit_callbacks: Any
) -> None:
    case = file_one(reference_service).case
    session = client.session
    session["filed_codes"] = {case.filing_number: "code"}
    session["tracked_cases"] = [case.pk]
    session.save()
    _issued, content = _download(
        client, f"/solicitudes/{case.filing_number}/constancia/", django_capture_on_commit_callbacks
    )
    assert content.startswith(b"%PDF")
    # Tracking with the code alone does not open it.
    tracker = Client()
    session = tracker.session
    session["tracked_cases"] = [case.pk]
    session.save()
    assert tracker.get(f"/solicitudes/{case.filing_number}/constancia/").status_code == 404
