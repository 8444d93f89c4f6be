"""The catalogue API: the portal's search and data, and a valid OpenAPI description."""

from __future__ import annotations

import jsonschema
from django.test import Client

from ventanilla.catalog.models import Service


def test_list_services_with_search_and_pagination(
    client: Client, reference_service: Service
) -> None:
    body = client.get("/api/v1/services").json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["slug"] == "solicitud-cupo-escolar"
    assert item["title"]["en"] == "School place request for new students"
    assert item["url"].endswith("/tramites/solicitud-cupo-escolar/")
    assert client.get("/api/v1/services?q=matrícula").json()["count"] == 1
    assert client.get("/api/v1/services?q=pensión").json()["count"] == 0
    assert client.get("/api/v1/services?channel=phone").json()["count"] == 1
    assert client.get("/api/v1/services?page=2").json()["items"] == []


def test_service_detail_carries_the_form_as_json_schema(
    client: Client, reference_service: Service
) -> None:
    body = client.get("/api/v1/services/solicitud-cupo-escolar?lang=en").json()
    assert body["version"] == 1
    assert body["term"] == {
        "amount": 15,
        "unit": "business_days",
        "legal_basis": {
            "es": "Ley 1755 de 2015, artículo 14 (peticiones en general).",
            "en": "Ley 1755 de 2015, article 14 (general petitions).",
        },
    }
    assert body["fee"]["free"] is True
    schema = body["form_schema"]
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["properties"]["grado"]["title"] == "Grade the student will attend"


def test_unknown_service_is_a_json_404(client: Client, reference_service: Service) -> None:
    response = client.get("/api/v1/services/no-existe")
    assert response.status_code == 404
    assert response.json() == {"detail": "No published service with that slug."}


def test_openapi_document_and_docs_are_served(client: Client, db: None) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    assert spec["openapi"].startswith("3.1")
    assert "/api/v1/services" in spec["paths"]
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200
    assert "https://" not in docs.content.decode()  # served from our own static files
