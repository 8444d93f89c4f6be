from typing import Any

import pytest

from tests import factories
from tests.catalog.fixtures import organisation, reference_service  # noqa: F401
from ventanilla.catalog.models import Service
from ventanilla.organization.models import Dependency, Role


@pytest.fixture
def team(reference_service: Service) -> dict[str, Any]:  # noqa: F811
    coverage = Dependency.objects.get(code="DIR-COBERTURA")
    people = {
        "handler": factories.official(coverage, Role.HANDLER, first_name="Hugo"),
        "colleague": factories.official(coverage, Role.HANDLER, first_name="Carla"),
        "approver": factories.official(coverage, Role.APPROVER, first_name="Ana"),
        "supervisor": factories.official(coverage.parent, Role.SUPERVISOR, first_name="Sara"),
    }
    for person in people.values():
        factories.enrol_totp(person)
    return people
