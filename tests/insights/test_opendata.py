"""Open data: the coarsening rule on hand-built cases, the release files and their record, the
download page, the dictionary and the DCAT catalogue."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation

from tests import factories
from tests.cases.test_case_file import file_one
from tests.catalog.fixtures import organisation, reference_service  # noqa: F401
from tests.insights.opendata_checks import csv_problems, json_problems
from ventanilla.catalog.models import Service
from ventanilla.core import clock
from ventanilla.insights.dictionary import BY_KEY
from ventanilla.insights.models import OpenDataRelease
from ventanilla.insights.opendata import CaseCoarsening, opendata_export, opening_hours
from ventanilla.organization.models import ServicePoint

pytestmark = pytest.mark.django_db
BOGOTA = ZoneInfo("America/Bogota")


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def _groups(*rows: tuple[str, str | None, int]) -> list[dict[str, Any]]:
    return [
        {
            "service_id": 1,
            "channel": "online",
            "month": date(2026, int(m), 1),
            "locality": loc,
            "n": n,
        }
        for m, loc, n in rows
    ]


def test_a_group_under_five_loses_its_locality_and_then_its_month() -> None:
    coarsening = CaseCoarsening.of(
        _groups(("3", "08", 4), ("4", "08", 6), ("5", "08", 3), ("5", None, 3), ("5", "07", 5)),
        min_group=5,
    )
    march, april, may = (date(2026, m, 1) for m in (3, 4, 5))
    # 4 cases in Kennedy in March: no locality; alone without one, they lose the month too.
    assert not coarsening.shows_locality((1, "online", march, "08"))
    assert not coarsening.shows_month((1, "online", march, "08"))
    # 6 in April: kept as they are.
    assert coarsening.shows_locality((1, "online", april, "08"))
    assert coarsening.shows_month((1, "online", april, "08"))
    # 3 in Kennedy in May lose the locality, but join the 3 without one: 6 keep the month.
    assert not coarsening.shows_locality((1, "online", may, "08"))
    assert coarsening.shows_month((1, "online", may, "08"))
    assert coarsening.shows_month((1, "online", may, None))
    # Exactly 5 in Bosa in May: enough.
    assert coarsening.shows_locality((1, "online", may, "07"))


def test_opening_hours_read_as_openstreetmap_writes_them() -> None:
    from datetime import time

    hours = [(1, time(8), time(12)), (0, time(13), time(17)), (0, time(8), time(12))]
    assert opening_hours(hours) == "Mo 08:00-12:00,13:00-17:00; Tu 08:00-12:00"


def _file(service: Service, day: int, month: int, point: ServicePoint | None, **more: Any) -> None:
    with clock.frozen(datetime(2026, month, day, 10, 0, tzinfo=BOGOTA)):
        file_one(service, service_point=point, **more)


def _cases_csv(release: OpenDataRelease) -> list[dict[str, str]]:
    from django.core.files.storage import default_storage

    item = release.file("cases", "csv")
    assert item is not None
    with default_storage.open(item["path"], "rb") as handle:
        return list(csv.DictReader(io.StringIO(handle.read().decode())))


@pytest.fixture
def filed(reference_service: Service) -> dict[str, Any]:  # noqa: F811
    """Cases of the school-place service filed online, some choosing Kennedy's school: 4 in
    March (Kennedy), 6 in April (Kennedy), 3 in May (Kennedy) and 3 in May (no point); and 5
    denuncias in April at Kennedy."""
    kennedy = ServicePoint.objects.get(code="IED-0001")
    for month, count, point in ((3, 4, kennedy), (4, 6, kennedy), (5, 3, kennedy), (5, 3, None)):
        for day in range(count):
            _file(reference_service, 4 + day, month, point)
    report = factories.service_variant(reference_service, "denuncia-prueba")
    Service.objects.filter(pk=report.pk).update(petition_type="report")
    report.service_points.add(kennedy)
    for day in range(5):
        _file(report, 6 + day, 4, kennedy)
    return {"service": reference_service, "report": report}


def test_the_cases_export_coarsens_small_groups_and_every_denuncia(filed: dict[str, Any]) -> None:
    from django.core.files.storage import default_storage

    with clock.frozen(datetime(2026, 6, 1, 7, 0, tzinfo=BOGOTA)):
        release = opendata_export()
    rows = _cases_csv(release)
    assert len(rows) == 21

    def seen(service: str, quarter: str) -> list[tuple[str, str]]:
        return sorted(
            (r["received_month"], r["locality"])
            for r in rows
            if r["service"] == service and r["received_quarter"] == quarter
        )

    slug = filed["service"].slug
    assert seen(slug, "2026-Q1") == [("", "")] * 4
    assert seen(slug, "2026-Q2") == sorted([("2026-04", "08")] * 6 + [("2026-05", "")] * 6)
    # Five denuncias share service, month and locality, and still show neither.
    assert seen("denuncia-prueba", "2026-Q2") == [("", "")] * 5
    assert sorted(int(r["row"]) for r in rows) == list(range(1, 22))
    item = release.file("cases", "json")
    assert item is not None
    with default_storage.open(item["path"], "rb") as handle:
        as_json = json.load(handle)
    march = [r for r in as_json if r["received_quarter"] == "2026-Q1"]
    assert [(r["received_month"], r["locality"], r["on_time"]) for r in march] == [
        (None, None, None)
    ] * 4
    assert {r["information_requests"] for r in as_json} == {0}
    assert {r["state"] for r in rows} == {"open"} and {r["outcome"] for r in rows} == {"open"}


def test_with_a_larger_minimum_the_april_group_of_six_loses_its_locality(
    filed: dict[str, Any],
) -> None:
    with clock.frozen(datetime(2026, 6, 1, 7, 0, tzinfo=BOGOTA)):
        rows = _cases_csv(opendata_export(min_group=7))
    april = [r for r in rows if r["received_month"] == "2026-04"]
    assert april == []  # 6 < 7 without locality either: only the quarter remains
    assert sum(r["received_quarter"] == "2026-Q2" for r in rows) == 17


def test_a_release_records_each_file_with_its_size_hash_and_rows(filed: dict[str, Any]) -> None:
    from django.core.files.storage import default_storage

    with clock.frozen(datetime(2026, 6, 1, 7, 0, tzinfo=BOGOTA)):
        release = opendata_export()
    assert release.date == date(2026, 6, 1)
    assert {(f["dataset"], f["format"]) for f in release.files} == {
        (d, f) for d in ("cases", "services", "service_points") for f in ("csv", "json")
    }
    for item in release.files:
        assert item["path"] == f"opendata/2026-06-01/{item['dataset']}.{item['format']}"
        data = default_storage.open(item["path"], "rb").read()
        assert len(data) == item["size"]
        assert hashlib.sha256(data).hexdigest() == item["sha256"]
        dataset = BY_KEY[item["dataset"]]
        problems = csv_problems if item["format"] == "csv" else json_problems
        assert problems(dataset, data) == []
    assert release.file("cases", "json")["rows"] == 21  # type: ignore[index]
    assert release.file("services", "csv")["rows"] == 2  # type: ignore[index]
    assert release.file("service_points", "csv")["rows"] == 2  # type: ignore[index]


def test_only_the_newest_releases_are_kept_and_older_files_are_deleted(
    settings: Any,
    reference_service: Service,  # noqa: F811
) -> None:
    from django.core.files.storage import default_storage

    settings.OPENDATA_KEEP_RELEASES = 2
    for day in (1, 2, 3):
        with clock.frozen(datetime(2026, 6, day, 7, 0, tzinfo=BOGOTA)):
            opendata_export()
    assert list(OpenDataRelease.objects.values_list("date", flat=True)) == [
        date(2026, 6, 3),
        date(2026, 6, 2),
    ]
    assert not default_storage.exists("opendata/2026-06-01/cases.csv")
    assert default_storage.exists("opendata/2026-06-02/cases.csv")
    # Run again the same day: the day's release is replaced, not doubled.
    with clock.frozen(datetime(2026, 6, 3, 9, 0, tzinfo=BOGOTA)):
        call_command("opendata_export", stdout=io.StringIO())
    assert OpenDataRelease.objects.count() == 2


def test_the_page_links_the_latest_files_and_serves_them(
    client: Client, filed: dict[str, Any]
) -> None:
    with clock.frozen(datetime(2026, 6, 1, 7, 0, tzinfo=BOGOTA)):
        opendata_export()
    page = client.get("/datos-abiertos/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "/datos-abiertos/cases.csv" in text and "/datos-abiertos/service_points.json" in text
    assert "21 filas" in text
    latest = client.get("/datos-abiertos/cases.csv")
    assert latest.status_code == 200
    assert latest["X-Content-Type-Options"] == "nosniff"
    assert 'filename="cases-2026-06-01.csv"' in latest["Content-Disposition"]
    body = b"".join(latest.streaming_content)  # type: ignore[attr-defined]
    assert body.startswith(b"row,entity,dependency,service,")
    dated = client.get("/datos-abiertos/2026-06-01/services.json")
    assert dated.status_code == 200
    assert client.get("/datos-abiertos/2026-05-31/services.json").status_code == 404
    assert client.get("/datos-abiertos/mayo/services.json").status_code == 404
    assert client.get("/datos-abiertos/people.csv").status_code == 404


def test_before_the_first_release_the_page_says_so_and_downloads_are_not_found(
    client: Client,
) -> None:
    page = client.get("/datos-abiertos/")
    assert "Todavía no hay datos publicados" in page.content.decode()
    assert client.get("/datos-abiertos/cases.csv").status_code == 404


def test_the_english_page_and_the_footer_link(client: Client) -> None:
    with translation.override("en"):
        assert reverse("portal:opendata") == "/en/open-data/"
    page = client.get("/en/open-data/")
    assert page.status_code == 200
    assert "No data published yet" in page.content.decode()
    assert 'href="/datos-abiertos/"' in client.get("/").content.decode()


def test_the_dictionary_as_a_table_schema_and_as_a_page(client: Client) -> None:
    schema = client.get("/datos-abiertos/diccionario.json").json()
    cases = next(r for r in schema["resources"] if r["name"] == "cases")
    outcome = next(f for f in cases["schema"]["fields"] if f["name"] == "outcome")
    assert outcome["constraints"]["enum"] == ["open", "answered", "refused", "withdrawn"]
    assert [f["name"] for f in cases["schema"]["fields"]][:3] == ["row", "entity", "dependency"]
    page = client.get("/datos-abiertos/diccionario/").content.decode()
    assert "<code>answer_business_days</code>" in page
    assert "Días hábiles desde el recibo hasta la respuesta" in page


def test_the_dcat_catalogue_describes_each_distribution(
    client: Client, filed: dict[str, Any]
) -> None:
    with clock.frozen(datetime(2026, 6, 1, 7, 0, tzinfo=BOGOTA)):
        release = opendata_export()
    response = client.get("/datos-abiertos/catalogo.jsonld")
    assert response["Content-Type"].startswith("application/ld+json")
    catalogue = json.loads(response.content)
    assert catalogue["@type"] == "dcat:Catalog"
    cases = next(d for d in catalogue["dcat:dataset"] if d["dct:identifier"] == "cases")
    assert cases["dct:modified"]["@value"] == "2026-06-01"
    assert cases["dct:license"]["@id"] == "https://creativecommons.org/licenses/by/4.0/"
    assert cases["dct:conformsTo"]["@id"] == "http://testserver/datos-abiertos/diccionario.json"
    assert {t["@language"] for t in cases["dct:title"]} == {"es", "en"}
    csv_dist = next(
        d for d in cases["dcat:distribution"] if d["dcat:mediaType"]["@id"].endswith("text/csv")
    )
    item = release.file("cases", "csv")
    assert item is not None
    assert csv_dist["dcat:downloadURL"]["@id"] == "http://testserver/datos-abiertos/cases.csv"
    assert csv_dist["dcat:byteSize"]["@value"] == str(item["size"])
    assert csv_dist["spdx:checksum"]["spdx:checksumValue"] == item["sha256"]
