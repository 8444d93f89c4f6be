"""Online filing of a service handled where the citizen chooses (a school, or a local
directorate): a step asks where, narrows 400 schools by locality or name, keeps the choice, shows
it on the review page, and the case goes there."""

from __future__ import annotations

import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests import factories
from tests.api.test_api_places import routed_variant
from tests.portal.test_filing import PDF, SECTIONS
from ventanilla.cases.models import Case
from ventanilla.catalog.models import Service
from ventanilla.organization.models import Dependency, Level, Locality, ServicePoint

SCHOOL = "/tramites/certificado-en-el-colegio/radicar/"
DIRECTORATE = "/tramites/tramite-en-la-direccion-local/radicar/"


def answer_sections(client: Client, base: str) -> str:
    """Answer every section; return where the last one leads."""
    location = ""
    for key, data in SECTIONS:
        response = client.post(f"{base}paso/{key}/", data)
        assert response.status_code == 302, response.content.decode()[:1000]
        location = response["Location"]
    return location


def more_schools(count: int) -> None:
    bosa = Locality.objects.get(code="07")
    parent = Dependency.objects.get(code="DLE-08")
    for n in range(count):
        dependency = factories.dependency(f"IED-1{n:03d}", parent=parent, level=Level.INSTITUTIONAL)
        ServicePoint.objects.create(
            entity=dependency.entity,
            dependency=dependency,
            code=f"IED-1{n:03d}",
            name=f"Colegio Bosa {n:03d} IED",
            kind="school",
            address=f"Calle {n} Sur",
            locality=bosa,
        )


def test_a_citizen_chooses_the_school_and_the_case_goes_there(
    client: Client, reference_service: Service
) -> None:
    routed_variant(reference_service, "certificado-en-el-colegio", "service_point")
    more_schools(30)
    client.force_login(factories.user("ana@example.co"))
    assert answer_sections(client, SCHOOL) == f"{SCHOOL}donde/"
    page = client.get(f"{SCHOOL}donde/").content.decode()
    assert "Paso 5 de 7" in page
    assert "Encontramos 31 lugares" in page and "Mostramos los primeros" in page
    narrowed = client.get(f"{SCHOOL}donde/", {"localidad": "08"}).content.decode()
    assert "Colegio Kennedy IED" in narrowed and "Colegio Bosa" not in narrowed
    ServicePoint.objects.filter(code="IED-1029").update(name="Colegio Simón Bolívar 029 IED")
    by_name = client.get(f"{SCHOOL}donde/", {"q": "SIMON bolivar"}).content.decode()
    assert "Encontramos 1 lugar." in by_name and "Colegio Simón Bolívar 029 IED" in by_name
    # Nothing chosen: an error that says what to do, and the search stays.
    refused = client.post(f"{SCHOOL}donde/?localidad=08", {}).content.decode()
    assert "Elija el colegio o el punto de atención." in refused
    assert 'value="08" selected' in refused
    chosen = client.post(f"{SCHOOL}donde/", {"service_point": "IED-1029"})
    assert chosen["Location"] == f"{SCHOOL}documentos/"
    # Searching elsewhere later still shows, and keeps, what was chosen.
    again = client.get(f"{SCHOOL}donde/", {"localidad": "08"}).content.decode()
    assert re.search(r'value="IED-1029"[^>]*checked', again)
    client.post(
        f"{SCHOOL}documentos/",
        {"documento_documento_estudiante": SimpleUploadedFile("ti.pdf", PDF, "application/pdf")},
    )
    review = client.get(f"{SCHOOL}revisar/").content.decode()
    assert "Colegio Simón Bolívar 029 IED — Calle 29 Sur (Bosa)" in review
    key = review.split('name="idempotency_key" value="')[1].split('"')[0]
    done = client.post(f"{SCHOOL}revisar/", {"idempotency_key": key, "consent": "on"})
    assert done.status_code == 302, done.content.decode()[:2000]
    case = Case.objects.get()
    assert case.service_point.code == "IED-1029"
    assert case.dependency.code == "IED-1029"


def test_a_school_of_another_service_or_entity_cannot_be_chosen(
    client: Client, reference_service: Service
) -> None:
    routed_variant(reference_service, "certificado-en-el-colegio", "service_point")
    client.force_login(factories.user("ana@example.co"))
    answer_sections(client, SCHOOL)
    refused = client.post(f"{SCHOOL}donde/", {"service_point": "SEDE"})  # an office
    assert refused.status_code == 200
    assert "Elija uno de la lista." in refused.content.decode()


def test_a_citizen_chooses_the_local_directorate(
    client: Client, reference_service: Service
) -> None:
    routed_variant(reference_service, "tramite-en-la-direccion-local", "chosen_at_filing")
    client.force_login(factories.user("ana@example.co"))
    assert answer_sections(client, DIRECTORATE) == f"{DIRECTORATE}donde/"
    page = client.get(f"{DIRECTORATE}donde/").content.decode()
    assert "Dependencia DLE-08" in page and "Buscar" not in page
    client.post(f"{DIRECTORATE}donde/", {"chosen_dependency": "DLE-08"})
    client.post(
        f"{DIRECTORATE}documentos/",
        {"documento_documento_estudiante": SimpleUploadedFile("ti.pdf", PDF, "application/pdf")},
    )
    review = client.get(f"{DIRECTORATE}revisar/").content.decode()
    assert "Dependencia DLE-08" in review
    key = review.split('name="idempotency_key" value="')[1].split('"')[0]
    client.post(f"{DIRECTORATE}revisar/", {"idempotency_key": key, "consent": "on"})
    assert Case.objects.get().dependency.code == "DLE-08"


def test_services_handled_by_their_own_office_ask_no_place(
    client: Client, reference_service: Service
) -> None:
    client.force_login(factories.user("ana@example.co"))
    base = "/tramites/solicitud-cupo-escolar/radicar/"
    assert answer_sections(client, base) == f"{base}documentos/"
    assert client.get(f"{base}donde/").status_code == 404
