"""What the API does with bad, large or repeated input: a JSON 4xx with the field's path,
never a 500 or an HTML page; and idempotency keys scoped to the client that sent them."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from django.test import Client

from tests import factories
from tests.api.test_cases_api import body, post
from tests.catalog.test_formkit import GOOD
from ventanilla.api.services import api_client_create
from ventanilla.cases.models import Case
from ventanilla.catalog.models import Service

MB = 1024 * 1024


@pytest.fixture
def token(reference_service: Service) -> str:
    return api_client_create(name="Línea 195", channel="phone").token


def pdf_base64(size: int) -> str:
    content = factories.pdf_bytes("api", size=size)
    return base64.b64encode(content).decode()


# --- Idempotency (issue 13, item 2) -------------------------------------------------------


def test_another_clients_key_does_not_return_its_case(client: Client, token: str) -> None:
    other = api_client_create(name="Chatbot", channel="api").token
    first = post(client, token, body(idempotency_key="call-2026-0001")).json()
    second = post(client, other, body(idempotency_key="call-2026-0001"))
    assert second.status_code == 201
    assert second.json()["filing_number"] != first["filing_number"]
    assert second.json()["verification_code"] != first["verification_code"]


def test_a_retry_returns_the_first_case_and_code(client: Client, token: str) -> None:
    key = "k" * 255  # longer than the column: the stored key is a digest
    first = post(client, token, body(idempotency_key=key))
    second = post(client, token, body(idempotency_key=key))
    assert (first.status_code, second.status_code) == (201, 201)
    assert second.json()["filing_number"] == first.json()["filing_number"]
    assert second.json()["verification_code"] == first.json()["verification_code"]
    assert Case.objects.count() == 1


def test_the_same_key_with_a_different_body_is_a_409(client: Client, token: str) -> None:
    post(client, token, body(idempotency_key="llamada-77"))
    response = post(
        client, token, body(idempotency_key="llamada-77", answers={**GOOD, "grado": "segundo"})
    )
    assert response.status_code == 409
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert "idempotency key" in response.json()["detail"]
    assert Case.objects.count() == 1


# --- Bad input (issue 13, item 5) ---------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "data"),
    [
        ("applicant.name", {"applicant": {"name": "x" * 100_000, "email": "a@example.co"}}),
        ("applicant.email", {"applicant": {"name": "Ana", "email": "a" * 100_000}}),
        ("applicant.phone", {"applicant": {"name": "Ana", "phone": "3" * 100_000}}),
        ("idempotency_key", {"idempotency_key": "k" * 100_000}),
        ("service", {"service": "s" * 100_000}),
        ("applicant.name", {"applicant": {"name": "Ana\x00", "email": "a@example.co"}}),
        ("applicant.email", {"applicant": {"name": "Ana", "email": "a\x01@example.co"}}),
        ("idempotency_key", {"idempotency_key": "k\x00"}),
        (
            "documents.0.name",
            {"documents": [{"key": "x", "name": "a\x00.pdf", "content_base64": ""}]},
        ),
        ("answers.nombres_estudiante", {"answers": {**GOOD, "nombres_estudiante": "Sofía\x00"}}),
        (
            "answers.direccion",
            {"answers": {**GOOD, "direccion": {"line": "Calle\x00 1", "locality": "08"}}},
        ),
        ("answers.apoyos", {"answers": {**GOOD, "apoyos": "Una\u0007campana"}}),
    ],
)
def test_bad_fields_get_a_422_with_their_path(
    client: Client, token: str, field: str, data: dict[str, Any]
) -> None:
    response = post(client, token, body(**data))
    assert response.status_code == 422, response.content[:300]
    assert field in response.json()["errors"], response.json()
    assert not Case.objects.exists()


def test_multi_line_answers_keep_their_line_breaks(client: Client, token: str) -> None:
    response = post(client, token, body(answers={**GOOD, "apoyos": "Uno\r\n\tDos"}))
    assert response.status_code == 201, response.content
    assert Case.objects.get().answers["apoyos"] == "Uno\r\n\tDos"


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/services?q=%00",
        "/api/v1/services?entity=SED%00",
        "/api/v1/services/%00",
        "/api/v1/cases/SED-2026-000001%00?code=AAAAA",
        "/api/v1/cases/SED-2026-000001?code=%00",
    ],
)
def test_a_nul_in_the_path_or_query_is_a_json_400(client: Client, db: None, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 400
    assert response.json()["detail"]


def test_over_long_parameters_are_a_422(client: Client, db: None) -> None:
    response = client.get("/api/v1/cases/" + "S" * 5000 + "?code=" + "A" * 5000)
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"filing_number", "code"}
    assert client.get("/api/v1/services?q=" + "a" * 5000).status_code == 422


def test_a_body_that_is_not_json_is_a_json_400(client: Client, token: str) -> None:
    response = client.post(
        "/api/v1/cases",
        "{nope",
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 400
    assert response.json()["detail"]


def test_ninjas_own_validation_errors_come_in_the_same_shape(client: Client, token: str) -> None:
    data = body()
    del data["service"]
    response = post(client, token, {**data, "anonymous": "maybe"})
    assert response.status_code == 422
    assert {"service", "anonymous"} <= set(response.json()["errors"])


def test_a_five_megabyte_document_goes_through(client: Client, token: str) -> None:
    document = {
        "key": "documento_estudiante",
        "name": "ti.pdf",
        "content_base64": pdf_base64(5 * MB),
    }
    response = post(client, token, body(documents=[document]))
    assert response.status_code == 201, response.content[:300]
    assert Case.objects.get().documents.get().size == 5 * MB


def test_a_document_larger_than_the_service_accepts_is_a_422(client: Client, token: str) -> None:
    document = {
        "key": "documento_estudiante",
        "name": "ti.pdf",
        "content_base64": pdf_base64(6 * MB),
    }
    response = post(client, token, body(documents=[document]))
    assert response.status_code == 422
    assert "documents.documento_estudiante" in response.json()["errors"]


def test_a_body_larger_than_any_filing_is_a_json_413(client: Client, token: str) -> None:
    # The reference service's documents add up to 20 MB (5 + 10 + 5): 29 MB of base64 plus
    # the rest.
    document = {
        "key": "documento_estudiante",
        "name": "ti.pdf",
        "content_base64": pdf_base64(22 * MB),
    }
    response = post(client, token, body(documents=[document]))
    assert response.status_code == 413
    assert "MB" in response.json()["detail"]


def test_the_openapi_document_declares_every_status_with_its_body(client: Client, db: None) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    responses = spec["paths"]["/api/v1/cases"]["post"]["responses"]
    assert {"201", "400", "401", "404", "409", "413", "422"} <= set(responses)
    schema = responses["422"]["content"]["application/json"]["schema"]["$ref"]
    assert schema.endswith("/ValidationErrorOut")
    track = spec["paths"]["/api/v1/cases/{filing_number}"]["get"]["responses"]
    assert {"200", "400", "404", "422", "429"} <= set(track)
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            assert {"400", "422"} <= set(operation["responses"]), (method, path)
            if operation.get("security"):
                assert "401" in operation["responses"], (method, path)


def test_an_unknown_api_address_is_a_json_404(client: Client, db: None) -> None:
    response = client.get("/api/v1/nada/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}
