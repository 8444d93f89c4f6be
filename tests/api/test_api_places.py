"""Services whose workflow routes to a school or an office the citizen chooses can be filed
through the API: the choices are discoverable, checked, and a wrong one is a 422."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from django.test import Client

from tests import factories
from tests.api.test_cases_api import body, post
from ventanilla.api.services import api_client_create
from ventanilla.cases.models import Case
from ventanilla.catalog.models import Service
from ventanilla.organization.models import (
    Dependency,
    Level,
    Locality,
    ServicePoint,
    ServicePointKind,
)


def routed_variant(base: Service, slug: str, owner: str) -> Service:
    """The reference service with its first stage handled by `owner` (service_point or
    chosen_at_filing), offered at schools."""
    definition = copy.deepcopy(base.versions.get().definition)
    definition["workflow"]["stages"][0]["owner"] = {"kind": owner}
    service = factories.service_variant(base, slug, workflow=definition["workflow"])
    Service.objects.filter(pk=service.pk).update(point_kinds=[ServicePointKind.SCHOOL])
    service.refresh_from_db()
    return service


@pytest.fixture
def at_school(reference_service: Service) -> Service:
    return routed_variant(reference_service, "certificado-en-el-colegio", "service_point")


@pytest.fixture
def at_directorate(reference_service: Service) -> Service:
    return routed_variant(reference_service, "tramite-en-la-direccion-local", "chosen_at_filing")


@pytest.fixture
def token(reference_service: Service) -> str:
    # The variants are offered online, as another system's filing is.
    return api_client_create(name="Chatbot", channel="api").token


def other_entitys_school() -> ServicePoint:
    dependency = factories.dependency("OTRA-IED", entity_code="OTRA", level=Level.INSTITUTIONAL)
    return ServicePoint.objects.create(
        entity=dependency.entity,
        dependency=dependency,
        code="IED-0002",
        name="Colegio de otra entidad",
        kind=ServicePointKind.SCHOOL,
        address="Calle 1",
        locality=Locality.objects.get(code="08"),
    )


def file(client: Client, token: str, service: Service, **choices: Any) -> Any:
    return post(client, token, body(service=service.slug, **choices))


def test_a_service_says_which_places_to_choose(client: Client, at_school: Service) -> None:
    other_entitys_school()
    detail = client.get(f"/api/v1/services/{at_school.slug}").json()
    assert detail["choices"]["service_point"] == {"asked": True, "required": True}
    assert detail["choices"]["chosen_dependency"] == {"asked": False, "required": False}
    points = client.get(f"/api/v1/services/{at_school.slug}/service-points").json()
    # The office does not offer the service; another entity's school is not this entity's.
    assert [p["code"] for p in points["items"]] == ["IED-0001"]
    assert points["items"][0]["locality"] == {"code": "08", "name": "Kennedy"}
    elsewhere = client.get(f"/api/v1/services/{at_school.slug}/service-points?locality=07")
    assert elsewhere.json()["items"] == []
    assert client.get("/api/v1/services/nada/service-points").status_code == 404


def test_a_service_routed_to_a_school_is_filed_with_the_school(
    client: Client, token: str, at_school: Service
) -> None:
    response = file(client, token, at_school, service_point="IED-0001")
    assert response.status_code == 201, response.content
    case = Case.objects.get()
    assert case.service_point is not None and case.service_point.code == "IED-0001"
    assert case.dependency.code == "IED-0001"


@pytest.mark.parametrize("code", ["", "SEDE", "IED-0002", "NO-EXISTE"])
def test_a_missing_or_wrong_school_is_a_422_on_its_field(
    client: Client, token: str, at_school: Service, code: str
) -> None:
    other_entitys_school()
    response = file(client, token, at_school, service_point=code)
    assert response.status_code == 422
    assert "service_point" in response.json()["errors"]
    assert "dependency" not in response.json()["errors"]
    assert not Case.objects.exists()


def test_a_service_routed_to_a_chosen_dependency_lists_and_takes_it(
    client: Client, token: str, at_directorate: Service
) -> None:
    detail = client.get(f"/api/v1/services/{at_directorate.slug}").json()
    assert detail["choices"]["chosen_dependency"]["required"] is True
    assert [d["code"] for d in detail["choices"]["dependencies"]] == ["DLE-08"]
    refused = file(client, token, at_directorate, chosen_dependency="DIR-COBERTURA")
    assert refused.status_code == 422
    assert "chosen_dependency" in refused.json()["errors"]
    missing = file(client, token, at_directorate)
    assert "chosen_dependency" in missing.json()["errors"]
    response = file(client, token, at_directorate, chosen_dependency="DLE-08")
    assert response.status_code == 201, response.content
    case = Case.objects.get()
    assert case.chosen_dependency == case.dependency == Dependency.objects.get(code="DLE-08")
