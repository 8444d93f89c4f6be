"""A capability plugs in through the registries alone: the test-only app `tests.extension`
adds an effect and case-event handlers without `cases` knowing it; a service uses them, filed
through the portal and the API and acted on in the workspace."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from django.test import Client

from tests import factories
from tests.api.test_cases_api import body, post
from tests.extension import handlers
from tests.portal.test_filing import fill_form
from ventanilla.api.services import api_client_create
from ventanilla.cases.events import CaseEvent
from ventanilla.cases.models import Case, Priority
from ventanilla.catalog.models import Service
from ventanilla.catalog.schema import ServiceDefinition
from ventanilla.organization.models import Dependency, Role

SLUG = "solicitud-cupo-escolar"


@pytest.fixture
def prioritizable(reference_service: Service) -> Service:
    """The reference service, its workflow given an action with the extension's effect."""
    version = reference_service.versions.get()
    definition = copy.deepcopy(version.definition)
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
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/tramites/{SLUG}/radicar/revisar/", {"idempotency_key": key, "consent": "on"})
    online = Case.objects.get()
    token = api_client_create(name="Chatbot", channel="api").token
    with django_capture_on_commit_callbacks(execute=True):
        assert post(Client(), token, body()).status_code == 201
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
    assert "Dar atención prioritaria" in official.get(page).content.decode()  # on the route
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
    with pytest.raises(ValueError, match=r"unknown effect `teleport`.*prioritize"):
        ServiceDefinition.model_validate(definition)


def test_a_closing_effect_cannot_be_given_to_the_citizen(reference_service: Service) -> None:
    definition = copy.deepcopy(reference_service.versions.get().definition)
    closing = next(
        a for a in definition["workflow"]["actions"] if a.get("effect") == "close_with_response"
    )
    closing["roles"] = ["citizen"]
    with pytest.raises(ValueError, match="cannot be held by citizen"):
        ServiceDefinition.model_validate(definition)
