"""The demo's localities, entities, dependency trees and service points.

Everything generated (school names, addresses, coordinates, shifts) is drawn from a random
generator seeded with the row's own code, so each run, on any machine, yields the same rows,
and adding a school does not reshuffle the others.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import time
from decimal import Decimal
from functools import cache
from typing import Any

from ventanilla.demo.data.localities import LOCALITIES, RURAL, LocalityData
from ventanilla.demo.data.names import FIGURES, PLACES
from ventanilla.demo.data.organization import (
    ENTITIES,
    SCHOOL_SHIFTS,
    SCHOOL_SINGLE_SHIFT,
    SUPPORT_CENTRE_DESKS,
    SUPPORT_CENTRE_HOURS,
    EntityData,
    Hours,
    Unit,
)
from ventanilla.demo.sync import Tally, rows_sync
from ventanilla.organization.models import (
    Dependency,
    Entity,
    EntityClosure,
    EntityHours,
    Level,
    Locality,
    ServicePoint,
    ServicePointHours,
    ServicePointKind,
)

EMAIL_DOMAIN = "demo.ventanilla.co"
EDUCATION = "SED"
SIX_PLACES = Decimal("0.000001")

type Key = tuple[str, str]


def _rng(seed: str) -> random.Random:
    # Demo data, not secrets: a seeded generator is what makes the rows reproducible.
    return random.Random(f"ventanilla-demo:{seed}")  # noqa: S311


@dataclass(frozen=True)
class Place:
    address: str
    latitude: Decimal
    longitude: Decimal
    phone: str


@dataclass(frozen=True)
class School:
    code: str
    name: str
    locality: LocalityData
    place: Place
    desks: int
    hours: Hours


def local_directorate_code(locality: LocalityData) -> str:
    return f"DLE-{locality.code}"


def _axis(number: int, letter: str, side: str) -> str:
    # Bogotá has no Calle 0 or Carrera 0: the grid starts at 1 on either side of the axis.
    return f"{max(abs(number), 1)}{letter}" + (f" {side}" if number < 0 else "")


def _place(seed: str, locality: LocalityData) -> Place:
    """A plausible address, pin and phone inside `locality`, the same for the same seed."""
    rng = _rng(seed)
    north_share, west_share = rng.random(), rng.random()
    latitude = Decimal(locality.south + north_share * (locality.north - locality.south))
    longitude = Decimal(locality.east - west_share * (locality.east - locality.west))
    phone = f"601 {rng.randint(2_000_000, 7_999_999)}"
    if locality.code in RURAL:
        address = f"Vereda {rng.choice(locality.barrios)}, kilómetro {rng.randint(2, 40)}"
    else:
        # Calles grow northwards and carreras westwards, so the pin's place in the box gives
        # the nearest crossing.
        low, high = locality.calles
        calle = round(low + north_share * (high - low))
        low, high = locality.carreras
        carrera = round(low + west_share * (high - low))
        letter = rng.choice(("", "", "", "A", "B", "C"))
        plate = rng.randint(2, 98)
        if rng.random() < 0.5:
            kind = rng.choice(("Calle", "Calle", "Calle", "Diagonal"))
            address = f"{kind} {_axis(calle, letter, 'Sur')} No. {max(abs(carrera), 1)}"
            address += f"-{plate:02d}" + (" Este" if carrera < 0 else "")
        else:
            kind = rng.choice(("Carrera", "Carrera", "Carrera", "Transversal"))
            address = f"{kind} {_axis(carrera, letter, 'Este')} No. {max(abs(calle), 1)}"
            address += f"-{plate:02d}" + (" Sur" if calle < 0 else "")
    return Place(
        address=address,
        latitude=latitude.quantize(SIX_PLACES),
        longitude=longitude.quantize(SIX_PLACES),
        phone=phone,
    )


@cache
def school_plan() -> tuple[School, ...]:
    """The demo's schools, numbered IED-0001… locality by locality."""
    pool = list(FIGURES + PLACES)
    _rng("school-names").shuffle(pool)
    taken: set[str] = set()
    schools: list[School] = []
    for locality in LOCALITIES:
        barrios = [b for b in locality.barrios if b not in taken]
        for index in range(locality.schools):
            # About half the schools of a locality are named after its neighbourhoods.
            source = barrios if (index % 2 == 0 and barrios) or not pool else pool
            name = source.pop(0)
            taken.add(name)
            code = f"IED-{len(schools) + 1:04d}"
            rng = _rng(f"school:{code}")
            prefix = "Colegio Rural" if locality.code in RURAL else "Colegio"
            schools.append(
                School(
                    code=code,
                    name=f"{prefix} {name} IED",
                    locality=locality,
                    place=_place(code, locality),
                    desks=2 if rng.random() < 0.3 else 1,
                    hours=SCHOOL_SINGLE_SHIFT if rng.random() < 0.25 else SCHOOL_SHIFTS,
                )
            )
    return tuple(schools)


@dataclass(frozen=True)
class _DependencySpec:
    entity: str
    parent: str | None
    code: str
    name: str
    level: str
    email: str = ""


def _walk(entity: str, unit: Unit, parent: str | None) -> Iterator[_DependencySpec]:
    yield _DependencySpec(entity, parent, unit.code, unit.name, Level.CENTRAL)
    for child in unit.children:
        yield from _walk(entity, child, unit.code)


def _dependency_specs() -> list[_DependencySpec]:
    """Every dependency, parents before children."""
    specs: list[_DependencySpec] = []
    for data in ENTITIES:
        specs.extend(_walk(data.code, data.tree, None))
    for locality in LOCALITIES:
        code = local_directorate_code(locality)
        specs.append(
            _DependencySpec(
                EDUCATION,
                EDUCATION,
                code,
                f"Dirección Local de Educación de {locality.name}",
                Level.LOCAL,
                f"{code.lower()}@{EMAIL_DOMAIN}",
            )
        )
    for school in school_plan():
        specs.append(
            _DependencySpec(
                EDUCATION,
                local_directorate_code(school.locality),
                school.code,
                school.name,
                Level.INSTITUTIONAL,
                f"{school.code.lower()}@{EMAIL_DOMAIN}",
            )
        )
    return specs


def _entity_row(data: EntityData) -> dict[str, Any]:
    return {
        "code": data.code,
        "name": data.name,
        "short_name": data.short_name,
        "timezone": "America/Bogota",
        "reception_cutoff": time(17, 0),
        "holiday_country": "CO",
        "holiday_subdivision": "",
        "website": data.website,
        "email": data.email,
        "phone": data.phone,
        "address": data.address,
    }


def _hour_rows(owner: str, owner_id: int, hours: Hours) -> Iterator[dict[str, Any]]:
    for weekday, opens, closes in hours:
        yield {owner: owner_id, "weekday": weekday, "opens": opens, "closes": closes}


def organizations_load() -> dict[str, Tally]:
    """Load or bring up to date the demo's organisation. Call inside a transaction."""
    tallies: dict[str, Tally] = {}

    localities, tallies["localities"] = rows_sync(
        Locality,
        key=["code"],
        rows=({"code": loc.code, "name": loc.name} for loc in LOCALITIES),
    )
    locality_id = {code: obj.pk for (code,), obj in localities.items()}

    entities, tallies["entities"] = rows_sync(
        Entity, key=["code"], rows=(_entity_row(data) for data in ENTITIES)
    )
    entity_id = {code: obj.pk for (code,), obj in entities.items()}
    _, tallies["entity hours"] = rows_sync(
        EntityHours,
        key=["entity_id", "weekday", "opens"],
        rows=(
            row
            for data in ENTITIES
            for row in _hour_rows("entity_id", entity_id[data.code], data.hours)
        ),
    )
    _, tallies["entity closures"] = rows_sync(
        EntityClosure,
        key=["entity_id", "date"],
        rows=(
            {"entity_id": entity_id[data.code], "date": day, "reason": reason}
            for data in ENTITIES
            for day, reason in data.closures
        ),
    )

    dependencies = _dependencies_load(entity_id, tallies)

    points = _service_point_rows(entity_id, locality_id, dependencies)
    service_points, tallies["service points"] = rows_sync(
        ServicePoint, key=["entity_id", "code"], rows=(row for row, _ in points)
    )
    _, tallies["service point hours"] = rows_sync(
        ServicePointHours,
        key=["service_point_id", "weekday", "opens"],
        rows=(
            hour
            for row, hours in points
            for hour in _hour_rows(
                "service_point_id",
                service_points[row["entity_id"], row["code"]].pk,
                hours,
            )
        ),
    )
    return tallies


def _service_point_rows(
    entity_id: dict[str, int], locality_id: dict[str, int], dependencies: dict[Key, int]
) -> list[tuple[dict[str, Any], Hours]]:
    """Each service point's row and its weekly hours: the entities' offices, a support
    centre per local directorate, and the schools."""
    points: list[tuple[dict[str, Any], Hours]] = []
    for data in ENTITIES:
        for point in data.points:
            points.append(
                (
                    {
                        "entity_id": entity_id[data.code],
                        "code": point.code,
                        "name": point.name,
                        "kind": ServicePointKind.OFFICE,
                        "dependency_id": dependencies[data.code, point.dependency],
                        "address": point.address,
                        "locality_id": locality_id[point.locality],
                        "latitude": Decimal(point.latitude),
                        "longitude": Decimal(point.longitude),
                        "phone": point.phone,
                        "email": data.email,
                        "desks": point.desks,
                        "active": True,
                    },
                    point.hours,
                )
            )
    for locality in LOCALITIES:
        code = local_directorate_code(locality)
        place = _place(f"centre:{code}", locality)
        points.append(
            (
                {
                    "entity_id": entity_id[EDUCATION],
                    "code": f"CA-{code}",
                    "name": f"Centro de atención de la DLE {locality.name}",
                    "kind": ServicePointKind.SUPPORT_CENTRE,
                    "dependency_id": dependencies[EDUCATION, code],
                    "address": place.address,
                    "locality_id": locality_id[locality.code],
                    "latitude": place.latitude,
                    "longitude": place.longitude,
                    "phone": place.phone,
                    "email": f"{code.lower()}@{EMAIL_DOMAIN}",
                    "desks": SUPPORT_CENTRE_DESKS,
                    "active": True,
                },
                SUPPORT_CENTRE_HOURS,
            )
        )
    for school in school_plan():
        points.append(
            (
                {
                    "entity_id": entity_id[EDUCATION],
                    "code": school.code,
                    "name": school.name,
                    "kind": ServicePointKind.SCHOOL,
                    "dependency_id": dependencies[EDUCATION, school.code],
                    "address": school.place.address,
                    "locality_id": locality_id[school.locality.code],
                    "latitude": school.place.latitude,
                    "longitude": school.place.longitude,
                    "phone": school.place.phone,
                    "email": f"{school.code.lower()}@{EMAIL_DOMAIN}",
                    "desks": school.desks,
                    "active": True,
                },
                school.hours,
            )
        )
    return points


def _dependencies_load(entity_id: dict[str, int], tallies: dict[str, Tally]) -> dict[Key, int]:
    """Load the dependency trees one depth at a time, so each wave knows its parents' paths."""
    specs = _dependency_specs()
    depth: dict[tuple[str, str], int] = {}
    for spec in specs:
        depth[spec.entity, spec.code] = (
            0 if spec.parent is None else depth[spec.entity, spec.parent] + 1
        )
    code_of = {pk: code for code, pk in entity_id.items()}
    loaded: dict[tuple[str, str], Dependency] = {}
    tally = Tally()
    for wave in range(max(depth.values()) + 1):
        rows = []
        for spec in specs:
            if depth[spec.entity, spec.code] != wave:
                continue
            parent = None if spec.parent is None else loaded[spec.entity, spec.parent]
            rows.append(
                {
                    "entity_id": entity_id[spec.entity],
                    "code": spec.code,
                    "parent_id": parent.pk if parent else None,
                    "name": spec.name,
                    "level": spec.level,
                    "email": spec.email,
                    "active": True,
                    # Dependency.save() derives the path; bulk writes skip save(), so derive it
                    # here the same way.
                    "path": (parent.path if parent else "") + spec.code + "/",
                }
            )
        by_key, wave_tally = rows_sync(Dependency, key=["entity_id", "code"], rows=rows)
        tally.add(wave_tally)
        for (entity_pk, code), obj in by_key.items():
            loaded[code_of[entity_pk], code] = obj
    tallies["dependencies"] = tally
    return {key: obj.pk for key, obj in loaded.items()}
