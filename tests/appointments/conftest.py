from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest

from tests.catalog.fixtures import organisation, reference_service  # noqa: F401
from ventanilla.appointments.models import Schedule, SchedulePeriod
from ventanilla.appointments.services import Holder
from ventanilla.catalog.models import Service
from ventanilla.core import clock
from ventanilla.organization.models import ServicePoint

BOGOTA = ZoneInfo("America/Bogota")
# A Tuesday; the 8th (a Tuesday too) is a national holiday (Inmaculada Concepción).
NOW = datetime(2026, 12, 1, 7, 0, tzinfo=BOGOTA)


def at(day: int, hour: int, minute: int = 0, month: int = 12, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=BOGOTA)


def holder(number: str = "1012345678", **fields: object) -> Holder:
    values: dict[str, object] = {
        "id_type": "CC",
        "id_number": number,
        "name": "Ana Pérez",
        "email": f"{number}@example.co",
    }
    values.update(fields)
    return Holder(**values)  # type: ignore[arg-type]


@pytest.fixture
def now() -> object:
    with clock.frozen(NOW):
        yield NOW


@pytest.fixture
def school(organisation: None) -> ServicePoint:  # noqa: F811
    return ServicePoint.objects.get(code="IED-0001")


@pytest.fixture
def schedule(school: ServicePoint, reference_service: Service) -> Schedule:  # noqa: F811
    """Weekdays 08:00-12:00 and 14:00-17:00, 20 minutes, 3 people at a time, 30 days ahead."""
    schedule = Schedule.objects.create(
        point=school, service=reference_service, slot_minutes=20, capacity=3
    )
    for weekday in range(5):
        SchedulePeriod.objects.create(
            schedule=schedule, weekday=weekday, opens=time(8), closes=time(12)
        )
        SchedulePeriod.objects.create(
            schedule=schedule, weekday=weekday, opens=time(14), closes=time(17)
        )
    return schedule
