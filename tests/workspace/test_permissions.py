"""Every workspace URL against every kind of visitor: allowed only where it should be."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from tests import factories
from tests.cases.test_case_file import file_one
from ventanilla.cases.models import Case
from ventanilla.catalog.models import Service
from ventanilla.core import clock
from ventanilla.organization.models import Dependency, Level, Role

BOGOTA = ZoneInfo("America/Bogota")


@pytest.fixture
def world(reference_service: Service) -> dict[str, Any]:
    coverage = Dependency.objects.get(code="DIR-COBERTURA")
    other = factories.dependency("DLE-07", parent=coverage.parent, level=Level.LOCAL)
    people = {
        "right": factories.official(coverage, Role.HANDLER),
        "other_dependency": factories.official(other, Role.SUPERVISOR),
        "lower_role": factories.official(coverage, Role.VIEWER),
        "citizen": factories.user(),
    }
    for key in ("right", "other_dependency", "lower_role"):
        factories.enrol_totp(people[key])
    with clock.frozen(datetime(2026, 3, 2, 10, tzinfo=BOGOTA)):
        case = file_one(reference_service).case
    return {"people": people, "case": case}


def urls(case: Case) -> list[tuple[str, str, dict[str, str]]]:
    """(method, url, data) for every workspace page and action on `case`."""
    number = case.filing_number
    document = case.documents.get()
    base = f"/espacio/casos/{number}/"
    return [
        ("get", "/espacio/", {}),
        ("get", base, {}),
        ("get", f"{base}documentos/{document.pk}/", {}),
        ("post", f"{base}accion/iniciar_revision/", {}),
        ("post", f"{base}asignar/", {"a": "mi"}),
        ("post", f"{base}nota/", {"nota": "Revisar anexos."}),
        ("post", f"{base}mensaje/", {"mensaje": "Hola."}),
        ("post", f"{base}proyectar/", {"respuesta": "Se asigna cupo."}),
    ]


# What each visitor gets, page by page (index in urls()): "ok" means the page or action
# worked; a status code means it was refused that way.
EXPECTED: dict[str, list[Any]] = {
    "right": ["ok"] * 8,
    # Another dependency's supervisor: sees their (empty) inbox, nothing of this case.
    "other_dependency": ["ok", 404, 404, 404, 404, 404, 404, 404],
    # A viewer sees the case but may not act, assign, message or draft.
    "lower_role": ["ok", "ok", "ok", "refused", "refused", "ok", "refused", "refused"],
    "citizen": [403] * 8,
    "anonymous": ["login"] * 8,
}


@pytest.mark.parametrize("who", list(EXPECTED))
def test_permission_matrix(client: Client, world: dict[str, Any], who: str) -> None:
    case: Case = world["case"]
    if who != "anonymous":
        client.force_login(world["people"][who])
    for (method, url, data), expected in zip(urls(case), EXPECTED[who], strict=True):
        before = case.timeline.count()
        response = getattr(client, method)(url, data)
        where = f"{who} {method} {url}"
        if expected == "ok":
            assert response.status_code in (200, 302), where
            if method == "post":
                assert response["Location"].startswith(f"/espacio/casos/{case.filing_number}/"), (
                    where
                )
                assert "workspace_errors" not in client.session, where
                assert case.timeline.count() == before + 1, where
        elif expected == "refused":
            assert response.status_code == 302, where
            session = client.session
            assert session.pop("workspace_errors", None), where
            session.save()
            assert case.timeline.count() == before, where
        elif expected == "login":
            assert response.status_code == 302 and "/cuenta/login/" in response["Location"], where
        else:
            assert response.status_code == expected, where
            assert case.timeline.count() == before, where


def test_an_official_without_totp_is_sent_to_enrol(client: Client, world: dict[str, Any]) -> None:
    fresh = factories.official(Dependency.objects.get(code="DIR-COBERTURA"), Role.HANDLER)
    client.force_login(fresh)
    for method, url, data in urls(world["case"]):
        response = getattr(client, method)(url, data)
        assert response.status_code == 302
        assert response["Location"].startswith("/cuenta/2fa/totp/activate/"), url
