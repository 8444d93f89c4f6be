"""Assisted filing: whose case it becomes, and which services an official may file at all."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests import factories
from tests.api.test_api_places import routed_variant
from tests.portal.test_filing import SECTIONS
from tests.workspace.test_workspace_flows import login
from ventanilla.cases.models import Case
from ventanilla.catalog.models import Service
from ventanilla.organization.models import Role

URL = "/espacio/radicar/solicitud-cupo-escolar/"


def counter_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "channel": "in_person",
        "id_type": "CC",
        "id_number": "79845123",
        "first_name": "José",
        "last_name": "Pérez",
        "phone": "3201234567",
        "consent": "on",
        "idempotency_key": "mostrador-9",
    }
    for _key, section in SECTIONS:
        data.update(section)
    data["documento_documento_estudiante"] = SimpleUploadedFile(
        "ti.pdf", factories.pdf_bytes("x"), "application/pdf"
    )
    data.update(overrides)
    return data


def test_an_account_with_the_number_merely_typed_does_not_receive_the_case(
    client: Client, reference_service: Service, team: dict[str, Any]
) -> None:
    factories.user("impostor@example.co", id_type="CC", id_number="79845123")
    login(client, team["handler"])
    html = client.post(URL, counter_data()).content.decode()
    case = Case.objects.get()
    assert case.applicant is None and case.contact_id_number == "79845123"
    assert "La solicitud quedó con los datos de contacto" in html
    assert "impostor@example.co" not in html


def test_another_entitys_service_does_not_open_for_assisted_filing(
    client: Client, reference_service: Service
) -> None:
    outsider = factories.official(factories.dependency("SECGEN", entity_code="SG"), Role.HANDLER)
    factories.enrol_totp(outsider)
    login(client, outsider)
    assert client.get(URL).status_code == 404
    assert client.post(URL, counter_data()).status_code == 404
    assert not Case.objects.exists()
    assert "solicitud-cupo-escolar" not in client.get("/espacio/radicar/").content.decode()


def test_only_the_channels_the_service_offers_are_offered(
    client: Client, reference_service: Service, team: dict[str, Any]
) -> None:
    reference_service.channels = ["online", "in_person"]
    reference_service.save()
    login(client, team["handler"])
    assert 'value="phone"' not in client.get(URL).content.decode()
    refused = client.post(URL, counter_data(channel="phone"))
    assert refused.status_code == 200 and not Case.objects.exists()


def test_the_counter_files_a_service_handled_at_the_school_the_person_chooses(
    client: Client, reference_service: Service, team: dict[str, Any]
) -> None:
    variant = routed_variant(reference_service, "certificado-en-el-colegio", "service_point")
    Service.objects.filter(pk=variant.pk).update(channels=["online", "in_person"])
    login(client, team["handler"])
    url = "/espacio/radicar/certificado-en-el-colegio/"
    form = client.get(url).content.decode()
    assert "Colegio Kennedy IED" in form and "<optgroup" in form
    missing = client.post(url, counter_data()).content.decode()
    assert "Elija el colegio o el punto de atención." in missing and not Case.objects.exists()
    done = client.post(url, counter_data(service_point="IED-0001")).content.decode()
    case = Case.objects.get()
    assert case.filing_number in done
    assert (case.service_point.code, case.dependency.code) == ("IED-0001", "IED-0001")
