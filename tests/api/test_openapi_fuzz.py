"""The API, fuzzed from its own OpenAPI document: requests valid and invalid by the schema,
built by schemathesis, never get a 5xx, and every answer has a documented status, content
type and body. Runs in-process on SQLite and on PostgreSQL alike, in seconds."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests import factories
from tests.cases.test_case_file import file_one
from ventanilla.api.services import api_client_create
from ventanilla.appointments.models import Schedule
from ventanilla.catalog.models import Service
from ventanilla.config.wsgi import application

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]

# The document as the app serves it (reading it touches no database).
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture
def kept_connection() -> Iterator[None]:
    """Called through WSGI, Django closes the database connection after each request, and
    with it the test's transaction: keep it open, as Django's test client does."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def tokens(reference_service: Service, schedule: Schedule, kept_connection: None) -> dict[str, str]:
    """Data behind the API: the reference service, one filed case, a school that takes
    appointments for it, a call centre's token and a citizen's."""
    file_one(reference_service)
    return {
        "channel": api_client_create(name="Línea 195", channel="phone").token,
        "citizen": api_client_create(name="Ana", user=factories.user()).token,
    }


@schema.parametrize()
@settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_no_request_built_from_the_schema_gets_a_5xx_or_an_undocumented_answer(
    case: Any, tokens: dict[str, str]
) -> None:
    who = "citizen" if case.operation.path.startswith("/api/v1/me/") else "channel"
    headers = {"Authorization": f"Bearer {tokens[who]}"}
    response = case.call(headers=headers)
    case.validate_response(response, checks=CHECKS, headers=headers)
