"""Filing and tracking through the API, as a channel and as a citizen."""

from __future__ import annotations

import base64
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from tests import factories
from tests.catalog.test_formkit import GOOD
from tests.factories import pdf_bytes
from ventanilla.api.services import api_client_create
from ventanilla.cases.models import Case
from ventanilla.catalog.models import Service

PDF = base64.b64encode(pdf_bytes("api")).decode()


def body(**overrides: Any) -> dict[str, Any]:
    data = {
        "service": "solicitud-cupo-escolar",
        "answers": GOOD,
        "applicant": {"name": "Pedro Gómez", "email": "pedro@example.co", "phone": "3101234567"},
        "consent_given": True,
        "documents": [{"key": "documento_estudiante", "name": "ti.pdf", "content_base64": PDF}],
    }
    data.update(overrides)
    return data


def post(client: Client, token: str, data: dict[str, Any]) -> Any:
    return client.post(
        "/api/v1/cases", data, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}"
    )


@pytest.fixture
def call_centre(reference_service: Service) -> str:
    out = StringIO()
    call_command(
        "api_client", "create", "Línea 195", "--channel", "phone", stdout=out, stderr=StringIO()
    )
    return out.getvalue().strip()


def test_a_call_centre_files_for_a_caller(client: Client, call_centre: str) -> None:
    response = post(client, call_centre, body())
    assert response.status_code == 201, response.content
    data = response.json()
    case = Case.objects.get()
    assert data["filing_number"] == case.filing_number
    assert (case.channel, case.filer_kind, case.contact_email) == (
        "phone",
        "guest",
        "pedro@example.co",
    )
    assert case.consent_method == "verbal_phone"
    tracked = client.get(f"/api/v1/cases/{case.filing_number}?code={data['verification_code']}")
    assert tracked.status_code == 200
    assert tracked.json()["status"]["label_es"] == "Recibimos su solicitud"


def test_errors_come_back_with_field_paths(client: Client, call_centre: str) -> None:
    response = post(client, call_centre, body(answers={**GOOD, "grado": "doctorado"}, documents=[]))
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert "answers.grado" in errors
    assert "documents.documento_estudiante" in errors
    assert not Case.objects.exists()


def test_no_token_or_a_bad_token_is_refused(client: Client, call_centre: str) -> None:
    assert client.post("/api/v1/cases", body(), content_type="application/json").status_code == 401
    assert post(client, "vnt_nope", body()).status_code == 401


def test_the_same_idempotency_key_files_once(client: Client, call_centre: str) -> None:
    first = post(client, call_centre, body(idempotency_key="llamada-77"))
    second = post(client, call_centre, body(idempotency_key="llamada-77"))
    assert first.json()["filing_number"] == second.json()["filing_number"]
    assert Case.objects.count() == 1


def test_a_citizen_token_files_and_lists_only_its_own_cases(
    client: Client, reference_service: Service
) -> None:
    ana = factories.user("ana@example.co", first_name="Ana")
    other = factories.user("otra@example.co")
    ana_token = api_client_create(name="Ana", user=ana).token
    other_token = api_client_create(name="Otra", user=other).token
    filed = post(client, ana_token, body(applicant=None)).json()
    number = filed["filing_number"]
    assert Case.objects.get().applicant == ana
    mine = client.get("/api/v1/me/cases", HTTP_AUTHORIZATION=f"Bearer {ana_token}").json()
    assert [c["filing_number"] for c in mine] == [number]
    theirs = client.get("/api/v1/me/cases", HTTP_AUTHORIZATION=f"Bearer {other_token}").json()
    assert theirs == []
    assert (
        client.get(
            f"/api/v1/me/cases/{number}", HTTP_AUTHORIZATION=f"Bearer {other_token}"
        ).status_code
        == 404
    )
    assert client.get(f"/api/v1/cases/{number}?code=AAAAA-AAAAA").status_code == 404


def test_the_openapi_document_describes_the_case_endpoints(client: Client, db: None) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/cases" in spec["paths"]
    assert "/api/v1/cases/{filing_number}" in spec["paths"]
    assert "BearerToken" in spec["components"]["securitySchemes"]
