"""Catalogues move between deployments as YAML, losslessly, all or nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command

from tests.catalog.fixtures import DEMO_CATALOG, REFERENCE
from ventanilla.catalog.interchange import ImportError_, catalog_export, catalog_import
from ventanilla.catalog.models import Category, Service, ServiceVersion


def files(directory: Path) -> dict[str, str]:
    return {p.name: p.read_text() for p in sorted(directory.glob("*.yaml"))}


def test_export_import_export_gives_identical_files(
    reference_service: Service, tmp_path: Path
) -> None:
    first = tmp_path / "first"
    catalog_export(first)
    ServiceVersion.objects.all().delete()
    Service.objects.all().delete()
    Category.objects.all().delete()
    catalog_import(first)
    second = tmp_path / "second"
    catalog_export(second)
    assert files(first) == files(second)
    assert set(files(first)) == {"_taxonomy.yaml", REFERENCE}


def test_importing_the_same_files_twice_changes_nothing(
    reference_service: Service, tmp_path: Path
) -> None:
    catalog_export(tmp_path)
    before = list(ServiceVersion.objects.values())
    catalog_import(tmp_path)
    assert list(ServiceVersion.objects.values()) == before


def test_a_changed_published_version_is_refused_and_nothing_is_written(
    reference_service: Service, tmp_path: Path
) -> None:
    catalog_export(tmp_path)
    path = tmp_path / REFERENCE
    data = yaml.safe_load(path.read_text())
    data["versions"][0]["definition"]["title"]["es"] = "Cambiado a escondidas"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    with pytest.raises(ImportError_) as raised:
        catalog_import(tmp_path)
    assert "published version cannot change" in str(raised.value)
    reference_service.refresh_from_db()
    assert reference_service.title_es.startswith("Solicitud de cupo escolar")


def test_unknown_codes_are_reported_per_file(organisation: None, tmp_path: Path) -> None:
    shutil.copy(DEMO_CATALOG / "_taxonomy.yaml", tmp_path)
    data = yaml.safe_load((DEMO_CATALOG / REFERENCE).read_text())
    data["dependency"] = "NO-EXISTE"
    (tmp_path / REFERENCE).write_text(yaml.safe_dump(data, allow_unicode=True))
    with pytest.raises(CommandError) as raised:
        call_command("catalog", "import", str(tmp_path))
    assert "no dependency 'NO-EXISTE' in SED" in str(raised.value)
    assert not Service.objects.exists()


def test_check_writes_nothing(organisation: None, tmp_path: Path) -> None:
    shutil.copy(DEMO_CATALOG / "_taxonomy.yaml", tmp_path)
    shutil.copy(DEMO_CATALOG / REFERENCE, tmp_path)
    call_command("catalog", "check", str(tmp_path))
    assert not Service.objects.exists()


def test_a_taxonomy_text_split_by_an_unquoted_comma_is_refused(
    organisation: None, tmp_path: Path
) -> None:
    (tmp_path / "_taxonomy.yaml").write_text(
        "categories:\n- {slug: cupos, es: Cupos, matrícula y traslados, en: Places, order: 1}\n"
    )
    with pytest.raises(ImportError_) as raised:
        catalog_import(tmp_path)
    assert "quote any that has a comma" in str(raised.value)
