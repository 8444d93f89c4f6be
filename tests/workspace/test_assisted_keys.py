"""Assisted filing: the form's idempotency key belongs to the official who sends it."""

from __future__ import annotations

import base64
import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests import factories
from tests.catalog.test_formkit import GOOD
from tests.portal.test_filing import SECTIONS
from ventanilla.api.services import api_client_create
from ventanilla.cases.models import Case
from ventanilla.catalog.models import Service
from ventanilla.organization.models import Dependency, Role

URL = "/espacio/radicar/solicitud-cupo-escolar/"


@pytest.fixture
def counter(client: Client, reference_service: Service) -> Client:
    official = factories.official(Dependency.objects.get(code="DIR-COBERTURA"), Role.HANDLER)
    factories.enrol_totp(official)
    client.force_login(official)
    return client


def form(key: str, **changes: str) -> dict[str, Any]:
    data: dict[str, Any] = {
        "channel": "phone",
        "id_type": "CC",
        "id_number": "79845123",
        "first_name": "José",
        "last_name": "Pérez",
        "phone": "3201234567",
        "consent": "on",
        "idempotency_key": key,
    }
    for _key, section in SECTIONS:
        data.update(section)
    data["documento_documento_estudiante"] = SimpleUploadedFile(
        "ti.pdf", factories.pdf_bytes("x"), "application/pdf"
    )
    data.update(changes)
    return data


def receipt(html: str) -> tuple[str, str]:
    number = re.search(r"SED-\d{4}-\d{6}", html)
    code = re.search(r'class="receipt__code">([A-Z0-9-]+)<', html)
    assert number and code, html[:3000]
    return number.group(0), code.group(1)


def test_a_key_typed_as_another_clients_does_not_return_its_case(counter: Client) -> None:
    """The first slice answered `api:1:call-2026-0001` with the API client's number and code."""
    api = api_client_create(name="Línea 195", channel="phone")
    pdf = base64.b64encode(factories.pdf_bytes("api")).decode()
    filed = (
        Client()
        .post(
            "/api/v1/cases",
            {
                "service": "solicitud-cupo-escolar",
                "answers": GOOD,
                "applicant": {"name": "Pedro Gómez", "phone": "3101234567"},
                "consent_given": True,
                "documents": [
                    {"key": "documento_estudiante", "name": "ti.pdf", "content_base64": pdf}
                ],
                "idempotency_key": "call-2026-0001",
            },
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {api.token}",
        )
        .json()
    )
    forged = f"api:{api.client.pk}:call-2026-0001"
    number, code = receipt(counter.post(URL, form(forged)).content.decode())
    assert number != filed["filing_number"]
    assert code != filed["verification_code"]
    assert Case.objects.count() == 2


def test_sending_the_form_twice_files_once_with_the_same_code(counter: Client) -> None:
    first = receipt(counter.post(URL, form("mostrador-7")).content.decode())
    second = receipt(counter.post(URL, form("mostrador-7")).content.decode())
    assert first == second
    assert Case.objects.count() == 1


def test_the_same_key_with_other_answers_says_so_and_offers_a_new_form(counter: Client) -> None:
    counter.post(URL, form("mostrador-8"))
    html = counter.post(URL, form("mostrador-8", nombres_estudiante="Otro Nombre")).content.decode()
    assert "Esta solicitud ya se envió antes con otros datos" in html
    assert Case.objects.count() == 1
    key = re.search(r'name="idempotency_key" value="([^"]+)"', html)
    assert key and key.group(1) != "mostrador-8"
    receipt(
        counter.post(URL, form(key.group(1), nombres_estudiante="Otro Nombre")).content.decode()
    )
    assert Case.objects.count() == 2
