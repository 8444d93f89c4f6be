"""A service's page is rendered once and served from memory, and still shows at once what an
administrator changes: a point's hours, a newly published version, the entity's name."""

from __future__ import annotations

from datetime import time

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests import factories
from ventanilla.catalog.models import Service
from ventanilla.catalog.services import service_version_create, service_version_publish
from ventanilla.organization.models import Locality, ServicePoint, ServicePointKind

URL = "/tramites/solicitud-cupo-escolar/"


def page(client: Client, url: str = URL) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_a_repeated_anonymous_visit_reads_nothing(
    client: Client, reference_service: Service
) -> None:
    page(client)
    with CaptureQueriesContext(connection) as queries:
        html = page(client)
    assert "Colegio Kennedy IED" in html
    assert len(queries) == 0, [q["sql"] for q in queries]
    with CaptureQueriesContext(connection) as queries:
        page(client, URL + "?localidad=08")
        page(client, URL + "?localidad=08")
    assert len(queries) == 0


def test_new_opening_hours_show_at_once(client: Client, reference_service: Service) -> None:
    point = ServicePoint.objects.get(name="Colegio Kennedy IED")
    assert "Sábado" not in page(client) and "sábado" not in page(client)
    point.hours.create(weekday=5, opens=time(8), closes=time(12))
    assert "sábado: 8:00 a 12:00" in page(client).lower()


def test_a_newly_published_version_shows_at_once(
    client: Client, reference_service: Service
) -> None:
    assert "(versión 1)" in page(client)
    current = reference_service.versions.get()
    title = {"es": "Cupo escolar, versión nueva", "en": "School place, new version"}
    definition = {**current.definition, "title": title}
    service_version_publish(
        version=service_version_create(service=reference_service, definition=definition)
    )
    html = page(client)
    assert "Cupo escolar, versión nueva" in html
    assert "(versión 2)" in html


def test_renaming_the_entity_or_adding_a_point_shows_at_once(
    client: Client, reference_service: Service
) -> None:
    entity = reference_service.entity
    page(client)
    entity.name = "Secretaría de Educación del Distrito, nuevo nombre"
    entity.save()
    assert "Secretaría de Educación del Distrito, nuevo nombre" in page(client)
    elsewhere = ServicePoint.objects.create(
        entity=entity,
        dependency=reference_service.dependency,
        code="CADE-1",
        name="CADE Américas",
        kind=ServicePointKind.OFFICE,  # not a kind the service names: only the link counts
        address="Avenida Américas No. 1",
        locality=Locality.objects.get(code="08"),
    )
    reference_service.service_points.add(elsewhere)
    assert "CADE Américas" in page(client)


def test_each_language_and_locality_has_its_own_page(
    client: Client, reference_service: Service
) -> None:
    assert "School place request for new students" in page(
        client, "/en/services/solicitud-cupo-escolar/"
    )
    assert "Solicitud de cupo escolar para estudiantes nuevos" in page(client)
    assert "Colegio Kennedy IED" not in page(client, URL + "?localidad=07")
    assert "Colegio Kennedy IED" in page(client, URL + "?localidad=08")
    assert "Colegio Kennedy IED" not in page(client, URL + "?localidad=nada")


def test_what_is_personal_stays_live_around_the_remembered_page(
    client: Client, reference_service: Service
) -> None:
    assert "Ingresar" in page(client)
    user = factories.user()
    client.force_login(user)
    response = client.get(URL)
    html = response.content.decode()
    assert "Mis solicitudes" in html and "Ingresar" not in html
    assert 'name="csrfmiddlewaretoken"' in html  # the logout form's own token
    assert "Colegio Kennedy IED" in html
    assert "private" in response["Cache-Control"]
