"""A filing reads its service, calendar, client and rules from what the process remembers: a
change an administrator makes shows in the very next filing, never a stale one."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client

from tests import factories
from tests.api.test_cases_api import body, call_centre, post  # noqa: F401
from ventanilla.api.models import ApiClient
from ventanilla.cases.assignment import assignment_rule_set
from ventanilla.cases.models import AssignmentMode, Case
from ventanilla.catalog.models import ServiceVersion, VersionStatus
from ventanilla.catalog.services import service_version_clone, service_version_publish
from ventanilla.organization.models import EntityClosure


def filed(client: Client, token: str, key: str) -> Case:
    response = post(client, token, body(idempotency_key=key))
    assert response.status_code == 201, response.content
    return Case.objects.get(filing_number=response.json()["filing_number"])


def test_a_deactivated_client_is_refused_at_once(client: Client, call_centre: str) -> None:  # noqa: F811
    filed(client, call_centre, "before")
    api_client = ApiClient.objects.get()
    api_client.active = False
    api_client.save()
    assert post(client, call_centre, body(idempotency_key="after")).status_code == 401


def test_a_new_version_is_filed_from_the_moment_it_is_published(
    client: Client,
    call_centre: str,  # noqa: F811
) -> None:
    first = filed(client, call_centre, "first")
    published = ServiceVersion.objects.get(status=VersionStatus.PUBLISHED)
    service_version_publish(version=service_version_clone(version=published))
    second = filed(client, call_centre, "second")
    assert first.service_version == published
    assert second.service_version.number == published.number + 1


def test_a_closure_added_moves_the_next_due_date(client: Client, call_centre: str) -> None:  # noqa: F811
    first = filed(client, call_centre, "first")
    EntityClosure.objects.create(
        entity_id=first.entity_id, date=first.due_date - timedelta(days=1), reason="Inventario"
    )
    second = filed(client, call_centre, "second")
    assert second.received_on == first.received_on
    assert second.due_date > first.due_date


def test_a_rule_set_assigns_the_next_filing(client: Client, call_centre: str) -> None:  # noqa: F811
    first = filed(client, call_centre, "first")
    handler = factories.official(first.dependency)
    assignment_rule_set(dependency=first.dependency, mode=AssignmentMode.ROUND_ROBIN)
    second = filed(client, call_centre, "second")
    assert first.assignee is None
    assert second.assignee == handler
