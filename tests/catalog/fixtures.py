"""A small organisation and the reference service, imported the way administrators do."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from django.conf import settings

from tests import factories
from ventanilla.catalog.interchange import catalog_import
from ventanilla.catalog.models import Service
from ventanilla.organization.models import Level, Locality, ServicePoint, ServicePointKind

DEMO_CATALOG = Path(settings.BASE_DIR) / "src" / "ventanilla" / "demo" / "catalog"
REFERENCE = "solicitud-cupo-escolar.yaml"


def reference_definition() -> dict[str, object]:
    data = yaml.safe_load((DEMO_CATALOG / REFERENCE).read_text())
    definition: dict[str, object] = data["versions"][0]["definition"]
    return definition


@pytest.fixture
def organisation_localities(db: None) -> None:
    """Bogotá's 20 localities, which address questions refer to."""
    for number in range(1, 21):
        Locality.objects.get_or_create(
            code=f"{number:02d}", defaults={"name": f"Localidad {number}"}
        )


def organisation_build() -> None:
    """The entity SED: a head office, a directorate, a local directorate and its school."""
    root = factories.dependency("DESPACHO")
    coverage = factories.dependency("DIR-COBERTURA", parent=root)
    kennedy = Locality.objects.create(code="08", name="Kennedy")
    Locality.objects.create(code="07", name="Bosa")
    local = factories.dependency("DLE-08", parent=root, level=Level.LOCAL)
    school = factories.dependency("IED-0001", parent=local, level=Level.INSTITUTIONAL)
    ServicePoint.objects.create(
        entity=root.entity,
        dependency=school,
        code="IED-0001",
        name="Colegio Kennedy IED",
        kind=ServicePointKind.SCHOOL,
        address="Calle 38 Sur No. 72-15",
        locality=kennedy,
    )
    ServicePoint.objects.create(
        entity=root.entity,
        dependency=coverage,
        code="SEDE",
        name="Sede central",
        kind=ServicePointKind.OFFICE,
        address="Avenida El Dorado No. 66-63",
        locality=kennedy,
    )


def reference_service_import(directory: Path) -> Service:
    """The reference service (a school place), imported from its YAML through `directory`."""
    shutil.copy(DEMO_CATALOG / "_taxonomy.yaml", directory)
    shutil.copy(DEMO_CATALOG / REFERENCE, directory)
    (service,) = catalog_import(directory)
    return service


@pytest.fixture
def organisation(db: None) -> None:
    organisation_build()


@pytest.fixture
def reference_service(organisation: None, tmp_path: Path) -> Service:
    return reference_service_import(tmp_path)
