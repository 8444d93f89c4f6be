"""Anyone checks an issued document at /verificar (or /en/verify/) and through the API: by its
code, from the QR code's link, or by uploading the PDF; wrong codes are limited per client."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from django.test import Client

from tests.documents.test_issued_answers import answered, pdf_of
from ventanilla.catalog.models import Service
from ventanilla.documents.models import IssuedDocument
from ventanilla.documents.rendering import verification_url


@pytest.fixture
def issued(reference_service: Service, django_capture_on_commit_callbacks: Any) -> IssuedDocument:
    return answered(reference_service, django_capture_on_commit_callbacks)[1]


def tampered(content: bytes) -> bytes:
    at = content.index(b"stream") + 40
    return content[:at] + bytes([content[at] ^ 0x01]) + content[at + 1 :]


@pytest.mark.django_db
def test_the_qr_link_shows_issuer_date_numbers_and_hash(
    client: Client, issued: IssuedDocument
) -> None:
    url = verification_url(issued.code, "es")
    assert url.startswith("http://") and "/verificar/?codigo=" in url
    page = client.get(url[url.index("/verificar/") :]).content.decode()
    assert "El documento es auténtico" in page
    for fact in (issued.entity.name, issued.case.filing_number, issued.number, issued.sha256):
        assert fact in page
    assert "Se asigna cupo" not in page  # the content is not shown to whoever has the code


@pytest.mark.django_db
def test_a_code_typed_loosely_still_finds_the_document(
    client: Client, issued: IssuedDocument
) -> None:
    loose = issued.code.replace("-", " ").lower().replace("0", "o")
    page = client.post("/verificar/", {"code": loose}).content.decode()
    assert issued.number in page


@pytest.mark.django_db
def test_the_english_page_says_the_same(client: Client, issued: IssuedDocument) -> None:
    page = client.get(f"/en/verify/?codigo={issued.code}").content.decode()
    assert "The document is genuine" in page and issued.number in page


@pytest.mark.django_db
def test_uploading_the_pdf_says_whether_it_is_exactly_the_issued_one(
    client: Client, issued: IssuedDocument
) -> None:
    content = pdf_of(issued)
    page = client.post("/verificar/", {"file": _upload("respuesta.pdf", content)}).content.decode()
    assert "El documento es auténtico" in page
    assert "Firma válida de" in page and issued.entity.name in page

    page = client.post(
        "/verificar/", {"code": issued.code, "file": _upload("respuesta.pdf", tampered(content))}
    ).content.decode()
    assert "NO es el documento expedido" in page
    assert "NO es válida" in page

    page = client.post(
        "/verificar/", {"file": _upload("otro.pdf", b"%PDF-1.4\nnot really\n%%EOF")}
    ).content.decode()
    assert "No encontramos un documento expedido" in page or "no es un PDF" in page


@pytest.mark.django_db
def test_an_empty_form_or_a_large_file_is_refused_with_words(client: Client) -> None:
    page = client.post("/verificar/", {}).content.decode()
    assert "Escriba el código de verificación o suba el documento" in page
    big = _upload("grande.pdf", b"%PDF-" + b"0" * (21 * 1024 * 1024))
    page = client.post("/verificar/", {"code": "ABCD-EFGH-JKMN", "file": big}).content.decode()
    assert "pesa más de 20 MB" in page
    assert 'value="ABCD-EFGH-JKMN"' in page  # what was typed stays


@pytest.mark.django_db
def test_wrong_codes_are_limited_per_client_and_the_owner_elsewhere_still_gets_in(
    issued: IssuedDocument,
) -> None:
    guesser = Client(REMOTE_ADDR="203.0.113.7")
    for attempt in range(10):
        response = guesser.post("/verificar/", {"code": f"AAAA-AAAA-AA{attempt:02d}"})
        assert response.status_code == 200
    blocked = guesser.post("/verificar/", {"code": issued.code})
    assert blocked.status_code == 429
    assert "demasiados intentos" in blocked.content.decode()
    other = Client(REMOTE_ADDR="198.51.100.20")
    assert issued.number in other.post("/verificar/", {"code": issued.code}).content.decode()


@pytest.mark.django_db
def test_the_api_verifies_a_code_and_a_pdf(client: Client, issued: IssuedDocument) -> None:
    response = client.post(
        "/api/v1/documents/verify", {"code": issued.code}, content_type="application/json"
    )
    body = response.json()
    assert response.status_code == 200 and body["found"] is True
    assert body["document"]["outgoing_number"] == issued.number
    assert body["document"]["sha256"] == issued.sha256
    assert body["exact"] is None and body["signatures"] is None

    content = tampered(pdf_of(issued))
    response = client.post(
        "/api/v1/documents/verify",
        {"code": issued.code, "pdf_base64": base64.b64encode(content).decode()},
        content_type="application/json",
    )
    body = response.json()
    assert body["found"] is True and body["exact"] is False
    assert body["signatures"] and body["signatures"][0]["intact"] is False

    response = client.post(
        "/api/v1/documents/verify",
        {"pdf_base64": base64.b64encode(pdf_of(issued)).decode()},
        content_type="application/json",
    )
    body = response.json()
    assert body["exact"] is True and all(
        s["intact"] and s["valid"] and s["trusted"] for s in body["signatures"]
    )


@pytest.mark.django_db
def test_the_api_refuses_nothing_and_bad_base64(client: Client) -> None:
    response = client.post("/api/v1/documents/verify", {}, content_type="application/json")
    assert response.status_code == 422
    response = client.post(
        "/api/v1/documents/verify", {"pdf_base64": "%%%"}, content_type="application/json"
    )
    assert response.status_code == 422 and "pdf_base64" in response.json()["errors"]


@pytest.mark.django_db
def test_the_api_limits_wrong_codes(client: Client) -> None:
    for attempt in range(10):
        client.post(
            "/api/v1/documents/verify",
            {"code": f"AAAA-AAAA-AA{attempt:02d}"},
            content_type="application/json",
        )
    response = client.post(
        "/api/v1/documents/verify", {"code": "AAAA-AAAA-AAAA"}, content_type="application/json"
    )
    assert response.status_code == 429 and int(response["Retry-After"]) > 0


def _upload(name: str, content: bytes) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="application/pdf")
