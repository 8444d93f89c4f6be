"""A service point with two queues (school places "A", certificates "C"), its desk officials
and an official of another dependency."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests import factories
from tests.catalog.fixtures import organisation_build, reference_service_import
from ventanilla.accounts.models import User
from ventanilla.catalog.models import Service
from ventanilla.organization.models import Dependency, Role, ServicePoint
from ventanilla.turns.models import TurnQueue

BOGOTA = ZoneInfo("America/Bogota")
MORNING = datetime(2026, 3, 2, 8, 0, tzinfo=BOGOTA)  # a Monday


@dataclass
class Turns:
    point: ServicePoint
    places: Service
    certificates: Service
    queue_a: TurnQueue
    queue_c: TurnQueue
    official: User
    other_official: User
    outsider: User
    viewer: User


def turns_build(directory: Path) -> Turns:
    organisation_build()
    places = reference_service_import(directory)
    certificates = factories.service_variant(places, "certificado-de-prueba")
    point = ServicePoint.objects.get(code="SEDE")
    queue_a = TurnQueue.objects.create(point=point, service=places, prefix="A", position=1)
    queue_c = TurnQueue.objects.create(
        point=point,
        service=certificates,
        prefix="C",
        label="Certificados",
        position=2,
        remote_joining=True,
    )
    coverage = Dependency.objects.get(code="DIR-COBERTURA")
    local = Dependency.objects.get(code="DLE-08")
    return Turns(
        point=point,
        places=places,
        certificates=certificates,
        queue_a=queue_a,
        queue_c=queue_c,
        official=factories.official(coverage, Role.HANDLER),
        other_official=factories.official(coverage, Role.HANDLER),
        outsider=factories.official(local, Role.SUPERVISOR),
        viewer=factories.official(coverage, Role.VIEWER),
    )


@pytest.fixture
def turns(db: None, tmp_path: Path) -> Turns:
    return turns_build(tmp_path)
