"""What an official types on a case page is checked before it reaches a service: a wrong
choice or a control character comes back as a message, with what was typed kept."""

from __future__ import annotations

import pytest
from django.test import Client

from tests import factories
from tests.cases.test_case_file import file_one
from ventanilla.cases.models import Case
from ventanilla.catalog.models import Service
from ventanilla.organization.models import Dependency, Role


@pytest.fixture
def case(client: Client, reference_service: Service) -> Case:
    official = factories.official(Dependency.objects.get(code="DIR-COBERTURA"), Role.SUPERVISOR)
    factories.enrol_totp(official)
    client.force_login(official)
    return file_one(reference_service).case


@pytest.mark.parametrize("field", ["dependencia", "entidad"])
def test_a_dependency_or_entity_that_is_not_a_number_is_a_message(
    client: Client, case: Case, field: str
) -> None:
    page = f"/espacio/casos/{case.filing_number}/"
    response = client.post(f"{page}accion/trasladar/", {field: "abc", "comentario": "Por ley"})
    assert response.status_code == 302
    html = client.get(page).content.decode()
    assert "Escoja una opción válida" in html
    assert "Por ley" in html  # what was typed is kept
    assert Case.objects.get(pk=case.pk).dependency == case.dependency


def test_a_note_with_a_control_character_is_refused_with_a_message(
    client: Client, case: Case
) -> None:
    page = f"/espacio/casos/{case.filing_number}/"
    client.post(f"{page}nota/", {"nota": "Llamar\x00 mañana"})
    assert "Los caracteres nulos no están permitidos." in client.get(page).content.decode()
    client.post(f"{page}nota/", {"nota": "Llamar\x07 mañana"})
    html = client.get(page).content.decode()
    assert "Quite los caracteres invisibles o de control de este texto." in html
    assert not case.timeline.filter(kind="note").exists()
    client.post(f"{page}nota/", {"nota": "Llamar\r\n\tmañana"})
    assert case.timeline.filter(kind="note").exists()
