"""Field types are a registry: another app (the test-only `tests.extension`) registers a vehicle
plate from its `AppConfig.ready`, and definitions use it; the portal asks it and shows it, the
API publishes and takes it, the official reads it, and the property test holds it to its
schema (`test_fields_agreement`)."""

from __future__ import annotations

import base64
import copy
import re
from io import StringIO
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client

from tests import factories
from tests.catalog.fixtures import DEMO_CATALOG, REFERENCE, reference_definition
from tests.catalog.test_formkit import GOOD
from tests.extension.fields import VehiclePlate
from tests.portal.test_filing import BASE, PDF, SECTIONS
from ventanilla.cases.models import Case
from ventanilla.catalog.fields import field_kind, register, unregister
from ventanilla.catalog.interchange import catalog_import
from ventanilla.catalog.models import Service
from ventanilla.catalog.services import definition_errors
from ventanilla.organization.models import Dependency, Role

QUESTION = {"key": "placa", "type": "vehicle_plate", "label": {"es": "Placa", "en": "Plate"}}


def with_plate(definition: dict[str, Any]) -> dict[str, Any]:
    changed = copy.deepcopy(definition)
    home = changed["form"]["sections"][2]["fields"]  # "vivienda"
    home.insert(2, dict(QUESTION))  # before the file question
    return changed


@pytest.fixture
def plate_service(organisation: None, tmp_path: Path) -> Service:
    """The reference service asking for a plate, imported as administrators do."""
    data = yaml.safe_load((DEMO_CATALOG / REFERENCE).read_text())
    data["versions"][0]["definition"] = with_plate(data["versions"][0]["definition"])
    (tmp_path / "_taxonomy.yaml").write_text((DEMO_CATALOG / "_taxonomy.yaml").read_text())
    (tmp_path / REFERENCE).write_text(yaml.safe_dump(data, allow_unicode=True))
    (service,) = catalog_import(tmp_path)
    return service


def test_an_unknown_type_is_refused_naming_the_known_ones() -> None:
    definition = with_plate(reference_definition())
    definition["form"]["sections"][2]["fields"][2]["type"] = "fingerprint"
    errors = definition_errors(definition)
    assert len(errors) == 1
    assert "no hay un tipo de pregunta `fingerprint`" in errors[0]
    assert "short_text" in errors[0] and "vehicle_plate" in errors[0]


def test_a_registered_type_makes_the_definition_valid() -> None:
    assert definition_errors(with_plate(reference_definition())) == []
    assert isinstance(field_kind("vehicle_plate"), VehiclePlate)


def test_a_type_registered_at_run_time_is_used_and_then_forgotten() -> None:
    class Plate(VehiclePlate):
        name = "moto_plate"

    definition = with_plate(reference_definition())
    definition["form"]["sections"][2]["fields"][2]["type"] = "moto_plate"
    assert definition_errors(definition)
    register(Plate())
    try:
        assert definition_errors(definition) == []
        with pytest.raises(ValueError, match="already registered"):
            register(Plate())
    finally:
        unregister("moto_plate")
    assert definition_errors(definition)


def test_a_name_is_registered_once() -> None:
    with pytest.raises(ValueError, match="already registered"):
        register(VehiclePlate())
    with pytest.raises(ValueError, match="already registered"):
        register(type("Text", (VehiclePlate,), {"name": "short_text"})())


def test_a_citizen_answers_it_online_and_the_official_reads_it(
    client: Client, plate_service: Service
) -> None:
    client.force_login(factories.user())
    for key, data in SECTIONS[:2]:
        assert client.post(f"{BASE}paso/{key}/", data).status_code == 302
    home = SECTIONS[2][1]
    page = client.post(f"{BASE}paso/vivienda/", {**home, "placa": "abc 12"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "Escriba la placa como ABC123." in html
    assert 'name="placa"' in html and 'value="abc 12"' in html
    assert client.post(f"{BASE}paso/vivienda/", {**home, "placa": "abc 123"}).status_code == 302
    document = SimpleUploadedFile("ti.pdf", PDF, "application/pdf")
    client.post(f"{BASE}documentos/", {"documento_documento_estudiante": document})
    review = client.get(f"{BASE}revisar/").content.decode()
    assert "ABC-123" in review
    key = re.search(r'name="idempotency_key" value="([0-9a-f]+)"', review)
    assert key
    client.post(f"{BASE}revisar/", {"idempotency_key": key.group(1), "consent": "on"})
    case = Case.objects.get()
    assert case.answers["placa"] == "ABC123"
    official = factories.official(Dependency.objects.get(code="DIR-COBERTURA"), Role.HANDLER)
    factories.enrol_totp(official)
    client.force_login(official)
    page = client.get(f"/espacio/casos/{case.filing_number}/").content.decode()
    assert "<dt>Placa</dt><dd>ABC-123</dd>" in page


def test_the_api_publishes_its_rule_and_files_with_it(
    client: Client, plate_service: Service
) -> None:
    schema = client.get("/api/v1/services/solicitud-cupo-escolar").json()["form_schema"]
    jsonschema.Draft202012Validator.check_schema(schema)
    checker = jsonschema.Draft202012Validator(schema)
    assert checker.is_valid({**GOOD, "placa": "XYZ 987"})
    assert not checker.is_valid({**GOOD, "placa": "XYZ 98"})
    out = StringIO()
    call_command("api_client", "create", "Línea 195", "--channel", "phone", stdout=out)
    body = {
        "service": "solicitud-cupo-escolar",
        "applicant": {"name": "Pedro Gómez", "email": "pedro@example.co", "phone": "3101234567"},
        "consent_given": True,
        "documents": [
            {
                "key": "documento_estudiante",
                "name": "ti.pdf",
                "content_base64": base64.b64encode(PDF).decode(),
            }
        ],
    }
    headers = {"HTTP_AUTHORIZATION": f"Bearer {out.getvalue().strip()}"}
    bad = {**body, "answers": {**GOOD, "placa": "XYZ 98"}}
    refused = client.post("/api/v1/cases", bad, content_type="application/json", **headers)
    assert refused.status_code == 422
    assert refused.json()["errors"]["answers.placa"] == ["Escriba la placa como ABC123."]
    good = {**body, "answers": {**GOOD, "placa": "XYZ 987"}}
    filed = client.post("/api/v1/cases", good, content_type="application/json", **headers)
    assert filed.status_code == 201, filed.content
    assert Case.objects.get().answers["placa"] == "XYZ987"
