"""The demo's turn queues: the support centre of every local directorate and the first school
of every locality (where the demo has a school secretary) give turns for school places and
certificates of studies; the support centres also take turns from a phone."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ventanilla.catalog.models import Service
from ventanilla.demo.data.localities import LOCALITIES
from ventanilla.demo.organizations import EDUCATION, local_directorate_code, school_plan
from ventanilla.demo.sync import Tally, rows_sync
from ventanilla.organization.models import ServicePoint
from ventanilla.turns.models import TurnQueue

# (prefix, service slug, label at the kiosk)
QUEUES = (
    ("A", "solicitud-cupo-escolar", "Cupos escolares"),
    ("C", "certificado-de-estudios", "Certificados de estudios"),
)


def _point_codes() -> Iterator[tuple[str, bool]]:
    """(point code, takes turns from a phone)."""
    for locality in LOCALITIES:
        yield f"CA-{local_directorate_code(locality)}", True
    first_schools: dict[str, str] = {}
    for school in school_plan():
        first_schools.setdefault(school.locality.code, school.code)
    for code in first_schools.values():
        yield code, False


def turns_load() -> Tally:
    """Create or bring up to date the demo's queues (after the catalogue is loaded)."""
    services = dict(
        Service.objects.filter(slug__in=[slug for _, slug, _ in QUEUES]).values_list("slug", "pk")
    )
    if len(services) < len(QUEUES):
        return Tally()
    wanted = dict(_point_codes())
    points = dict(
        ServicePoint.objects.filter(entity__code=EDUCATION, code__in=wanted).values_list(
            "code", "pk"
        )
    )
    rows: list[dict[str, Any]] = [
        {
            "point_id": points[code],
            "service_id": services[slug],
            "prefix": prefix,
            "label": label,
            "remote_joining": remote,
            "active": True,
            "position": position,
        }
        for code, remote in wanted.items()
        if code in points
        for position, (prefix, slug, label) in enumerate(QUEUES, start=1)
    ]
    _, tally = rows_sync(TurnQueue, key=["point_id", "service_id"], rows=rows)
    return tally
