"""A small season for the places tests: six schools in two localities (with coordinates), the
demo's rules with stage 1 open on NOW, places in two grades, and a way to apply through the real
`case_file`."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests import factories
from tests.catalog.fixtures import organisation, reference_service  # noqa: F401
from tests.catalog.test_formkit import GOOD
from ventanilla.accounts.selectors import consent_text_current
from ventanilla.cases.filing import Contact, Filing, case_file
from ventanilla.cases.models import FilerKind
from ventanilla.cases.uploads import Upload
from ventanilla.catalog.models import Service
from ventanilla.core import clock
from ventanilla.demo.places import rules_document, rules_yaml
from ventanilla.organization.models import (
    Dependency,
    Level,
    Locality,
    ServicePoint,
    ServicePointKind,
)
from ventanilla.places.models import Offer, Season, SeasonRules
from ventanilla.places.services import season_saved

BOGOTA = ZoneInfo("America/Bogota")
STAGE1_OPENS = date(2026, 11, 23)  # closes 20 Dec; results 24 Dec; stage 2 from 25 Dec
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=BOGOTA)  # a Tuesday in stage 1
ALLOCATION_DAY = datetime(2026, 12, 22, 9, 0, tzinfo=BOGOTA)  # between the stages
STAGE2_DAY = datetime(2027, 1, 12, 9, 0, tzinfo=BOGOTA)
PDF = factories.pdf_bytes("soporte")

# (code, name, locality, latitude, longitude): Kennedy's schools near each other, one in Bosa.
SCHOOLS = [
    ("COL-A", "Colegio Alameda", "08", "4.6280", "-74.1500"),
    ("COL-B", "Colegio Britalia", "08", "4.6300", "-74.1550"),
    ("COL-C", "Colegio Castilla", "08", "4.6400", "-74.1400"),
    ("COL-D", "Colegio Dindalito", "08", "4.6200", "-74.1700"),
    ("COL-E", "Colegio El Recreo", "07", "4.6000", "-74.2000"),
]


@pytest.fixture
def now() -> Iterator[datetime]:
    with clock.frozen(NOW):
        yield NOW


def schools_build() -> list[ServicePoint]:
    points = []
    for code, name, locality, lat, lon in SCHOOLS:
        dependency = factories.dependency(
            code, parent=Dependency.objects.get(code="DLE-08"), level=Level.INSTITUTIONAL
        )
        points.append(
            ServicePoint.objects.create(
                entity=dependency.entity,
                dependency=dependency,
                code=code,
                name=name,
                kind=ServicePointKind.SCHOOL,
                address="Calle 1 No. 2-3",
                locality=Locality.objects.get(code=locality),
                latitude=Decimal(lat),
                longitude=Decimal(lon),
            )
        )
    return points


@pytest.fixture
def season(reference_service: Service) -> Season:  # noqa: F811
    """Season 2027: stage 1 open on NOW; transición and primero at five schools, 2 places each
    in the morning (COL-A has an afternoon too)."""
    schools = schools_build()
    season = Season.objects.create(
        entity=reference_service.entity,
        service=reference_service,
        code="2027",
        name="Cupos escolares 2027",
    )
    SeasonRules.objects.create(
        season=season,
        number=1,
        text=rules_yaml(rules_document(STAGE1_OPENS, school_year=2027)),
        published_at=NOW - timedelta(days=30),
    )
    for point in schools:
        for grade in ("transicion", "primero"):
            Offer.objects.create(
                season=season, point=point, grade=grade, shift="manana", capacity=4, continuing=2
            )
    Offer.objects.create(
        season=season, point=schools[0], grade="primero", shift="tarde", capacity=2
    )
    season_saved(season=season)
    return season


def answers(
    number: str = "1012345678",
    *,
    grade: str = "primero",
    schools: tuple[str, ...] = ("COL-A:manana", "COL-B:manana", "COL-C:manana"),
    group: str = "",
    home: tuple[float, float] | None = (4.6285, -74.1505),
    **more: Any,
) -> dict[str, Any]:
    given: dict[str, Any] = {
        **GOOD,
        "documento_estudiante_numero": {"type": "TI", "number": number},
        "grado": grade,
        "direccion": {"line": "Calle 38 Sur No. 72-15", "locality": "08"},
        "colegios": list(schools),
    }
    if home is not None:
        given["direccion"] |= {"lat": home[0], "lon": home[1]}
    if group:
        given["grupo_prioritario"] = group
        given["soporte_grupo"] = "soporte_grupo"
    given.update(more)
    return given


def apply(service: Service, number: str = "1012345678", **options: Any) -> Filing:
    """File an application as a guest, with the student's document (and the group's evidence)."""
    given = answers(number, **options)
    documents = [Upload("documento_estudiante", "ti.pdf", PDF)]
    if "soporte_grupo" in given:
        documents.append(Upload("soporte_grupo", "soporte.pdf", PDF))
    return case_file(
        service_version=service.versions.get(),
        answers=given,
        filer_kind=FilerKind.GUEST,
        contact=Contact(name="Marta Díaz", email=f"{number}@example.co", phone="3001234567"),
        documents=documents,
        consent_text=consent_text_current(),
    )
