"""A capability plugs in through the registries alone: the test-only app `tests.extension`
adds an effect, a field type and case-event handlers without `cases` or `catalog` knowing it; a
service uses all three, filed through the portal and the API and acted on in the workspace."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from django.test import Client

from tests import factories
from tests.api.test_cases_api import body, post
from tests.extension import handlers
from tests.portal.test_filing import SECTIONS, fill_form
from ventanilla.api.services import api_client_create
from ventanilla.cases.events import CaseEvent
from ventanilla.cases.models import Case, Priority
from ventanilla.catalog.models import Service
from ventanilla.catalog.schema import ServiceDefinition
from ventanilla.organization.models import Dependency, Role

SLUG = "solicitud-cupo-escolar"


@pytest.fixture
def prioritizable(reference_service: Service) -> Service:
    """The reference service with a question of the extension's field type and an action with
    its effect."""
    version = reference_service.versions.get()
    definition = copy.deepcopy(version.definition)
    home = next(s for s in definition["form"]["sections"] if s["key"] == "vivienda")
    home["fields"].append(
        {
            "key": "placa",
            "type": "vehicle_plate",
            "label": {"es": "Placa del vehículo escolar", "en": "School vehicle plate"},
            "required": False,
        }
    )
    definition["workflow"]["actions"].append(
        {
            "key": "dar_prioridad",
            "label": {"es": "Dar atención prioritaria", "en": "Give priority"},
            "from_stages": ["revision"],
            "to_stage": "revision",
            "roles": ["handler"],
            "effect": "prioritize",
        }
    )
    ServiceDefinition.model_validate(definition)  # the catalogue accepts the new effect
    type(version).objects.filter(pk=version.pk).update(definition=definition)
    reference_service.refresh_from_db()
    return reference_service


@pytest.fixture(autouse=True)
def _forget() -> None:
    handlers.HEARD_IN_TRANSACTION.clear()
    handlers.HEARD_AFTER_COMMIT.clear()


def test_an_effect_from_another_app_runs_in_the_workspace_and_reads_on_both_routes(
    client: Client,
    prioritizable: Service,
    django_capture_on_commit_callbacks: Any,
) -> None:
    citizen = factories.user("ana@example.co")
    client.force_login(citizen)
    key = fill_form(client)
    home = {**dict(SECTIONS)["vivienda"], "placa": "abc 123"}
    client.post(f"/tramites/{SLUG}/radicar/paso/vivienda/", home)
    assert "ABC-123" in client.get(f"/tramites/{SLUG}/radicar/revisar/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/tramites/{SLUG}/radicar/revisar/", {"idempotency_key": key, "consent": "on"})
    online = Case.objects.get()
    token = api_client_create(name="Chatbot", channel="api").token
    bad = post(Client(), token, body(answers={**body()["answers"], "placa": "12"}))
    assert bad.status_code == 422 and "answers.placa" in bad.json()["errors"]
    with django_capture_on_commit_callbacks(execute=True):
        filed = post(Client(), token, body(answers={**body()["answers"], "placa": "XYZ987"}))
        assert filed.status_code == 201
    by_api = Case.objects.exclude(pk=online.pk).get()
    heard = {number for number, events in handlers.HEARD_AFTER_COMMIT if CaseEvent.FILED in events}
    assert heard == {online.filing_number, by_api.filing_number}

    handler = factories.official(Dependency.objects.get(code="DIR-COBERTURA"), Role.HANDLER)
    factories.enrol_totp(handler)
    official = Client()
    official.force_login(handler)
    page = f"/espacio/casos/{online.filing_number}/"
    official.post(f"{page}accion/iniciar_revision/")
    assert "Dar atención prioritaria" in official.get(page).content.decode()
    official.post(f"{page}accion/dar_prioridad/", {"comentario": "Derechos de un menor en riesgo."})
    online.refresh_from_db()
    assert online.priority == Priority.PREFERENTIAL
    assert online.answers["placa"] == "ABC123" and by_api.answers["placa"] == "XYZ987"
    case_page = official.get(page).content.decode()
    assert "Dar atención prioritaria" in case_page and "ABC-123" in case_page
    refused = official.post(f"{page}accion/dar_prioridad/", {"comentario": "Otra vez."})
    assert refused.status_code == 302
    assert Case.objects.get(pk=online.pk).timeline.filter(kind="prioritize").count() == 1
    mine = client.get(f"/mi-cuenta/solicitudes/{online.filing_number}/").content.decode()
    assert "Su solicitud tendrá atención prioritaria." in mine
    acted = [
        events for number, events in handlers.HEARD_IN_TRANSACTION if number == online.filing_number
    ]
    assert [CaseEvent.ACTION_TAKEN in events for events in acted] == [False, True, True]


def test_an_unknown_effect_is_refused_by_the_catalogue(reference_service: Service) -> None:
    definition = copy.deepcopy(reference_service.versions.get().definition)
    definition["workflow"]["actions"][0]["effect"] = "teleport"
    with pytest.raises(ValueError, match=r"no hay un efecto `teleport`.*prioritize"):
        ServiceDefinition.model_validate(definition)


def test_a_closing_effect_cannot_be_given_to_the_citizen(reference_service: Service) -> None:
    definition = copy.deepcopy(reference_service.versions.get().definition)
    closing = next(
        a for a in definition["workflow"]["actions"] if a.get("effect") == "close_with_response"
    )
    closing["roles"] = ["citizen"]
    with pytest.raises(ValueError, match="no la pueden hacer: citizen"):
        ServiceDefinition.model_validate(definition)
