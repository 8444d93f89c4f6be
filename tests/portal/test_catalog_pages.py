"""The public catalogue: search, filters, the page of a service, in both languages."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from ventanilla.catalog.models import Service


def test_catalogue_lists_and_searches(client: Client, reference_service: Service) -> None:
    html = client.get("/tramites/").content.decode()
    assert "Solicitud de cupo escolar para estudiantes nuevos" in html
    html = client.get("/tramites/?q=MATRICULA").content.decode()
    assert "Solicitud de cupo escolar para estudiantes nuevos" in html
    html = client.get("/tramites/?q=pension").content.decode()
    assert "No encontramos trámites con esas palabras" in html


def test_filters_narrow_the_results(client: Client, reference_service: Service) -> None:
    assert "cupo escolar" in client.get("/tramites/?canal=phone").content.decode()
    assert "0 resultados" in client.get("/tramites/?categoria=docentes").content.decode()


def test_service_page_has_what_a_citizen_needs(client: Client, reference_service: Service) -> None:
    response = client.get("/tramites/solicitud-cupo-escolar/")
    html = response.content.decode()
    assert response.status_code == 200
    for text in [
        "Gratis",
        "15 días hábiles",
        "Documento de identidad del estudiante",
        "¿Quién puede pedirlo?",
        "Paso a paso",
        "Ley 115 de 1994",
        "Colegio Kennedy IED",
        "Preguntas frecuentes",
    ]:
        assert text in html, text
    assert "public" in response["Cache-Control"]


def test_service_page_in_english(client: Client, reference_service: Service) -> None:
    html = client.get("/en/services/solicitud-cupo-escolar/").content.decode()
    assert "School place request for new students" in html
    assert "15 business days" in html
    assert "Free" in html


def test_service_points_can_be_filtered_by_locality(
    client: Client, reference_service: Service
) -> None:
    html = client.get("/tramites/solicitud-cupo-escolar/?localidad=07").content.decode()
    assert "Colegio Kennedy IED" not in html


def test_unknown_or_unpublished_services_are_not_found(
    client: Client, reference_service: Service
) -> None:
    assert client.get("/tramites/no-existe/").status_code == 404
    Service.objects.filter(pk=reference_service.pk).update(is_published=False)
    assert client.get("/tramites/solicitud-cupo-escolar/").status_code == 404


def test_signed_in_pages_are_not_cached_publicly(
    client: Client, reference_service: Service
) -> None:
    from tests import factories

    client.force_login(factories.user())
    assert "private" in client.get("/tramites/")["Cache-Control"]


@pytest.mark.django_db
def test_catalogue_query_count_is_constant(client: Client, reference_service: Service) -> None:
    with CaptureQueriesContext(connection) as queries:
        client.get("/tramites/")
    assert len(queries) <= 8


def test_a_search_that_finds_nothing_offers_a_way_forward(client: Client, db: None) -> None:
    from ventanilla.demo.load import catalog_load
    from ventanilla.demo.organizations import organizations_load

    organizations_load()
    catalog_load()
    html = client.get("/tramites/?q=xyzzy+inexistente").content.decode()
    assert "No encontramos trámites con esas palabras" in html
    # The general petition, which takes any matter, and the topics to browse.
    assert 'href="/tramites/derecho-de-peticion-general/"' in html
    assert "Busque por tema" in html and "/tramites/?categoria=" in html
    english = client.get("/en/services/?q=xyzzy").content.decode()
    assert 'href="/en/services/derecho-de-peticion-general/"' in english
    assert "General petition" in english
