"""The school-place endpoints: seasons and their rules, the figures and the allocation's hashes,
and the places of a grade nearest a home, named as an application ranks them."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.catalog.fixtures import organisation, reference_service  # noqa: F401
from tests.places.conftest import ALLOCATION_DAY, NOW, apply, now, season  # noqa: F401
from ventanilla.core import clock
from ventanilla.places.allocating import allocation_run
from ventanilla.places.models import Season

pytestmark = pytest.mark.django_db

BASE = "/api/v1/school-places/seasons"


def test_seasons_list_their_stage_today(
    client: Client,
    season: Season,  # noqa: F811
    now: Any,  # noqa: F811
) -> None:
    (listed,) = client.get(BASE).json()
    assert listed["code"] == "2027" and listed["stage_today"] == "stage1"
    assert listed["stage1"] == {"opens": "2026-11-23", "closes": "2026-12-20"}


def test_a_season_shows_its_rules_figures_and_the_real_runs_hashes(
    client: Client,
    season: Season,  # noqa: F811
) -> None:
    with clock.frozen(NOW):
        apply(season.service)
    with clock.frozen(ALLOCATION_DAY):
        run = allocation_run(season=season, dry_run=False, actor=None)
        body = client.get(f"{BASE}/2027").json()
    assert body["rules"]["tie_breaks"] == ["priority_group", "sibling", "distance", "lottery"]
    assert body["rules_version"] == 1 and body["applications"] == 1
    assert body["places_offered"] == 22 and body["places_taken"] == 1
    assert body["allocation"]["outputs_sha256"] == run.outputs_sha256
    assert body["allocation"]["seed"] == run.seed != ""


def test_offers_come_nearest_home_first_with_the_value_to_rank_them_by(
    client: Client,
    season: Season,  # noqa: F811
    now: Any,  # noqa: F811
) -> None:
    near = client.get(f"{BASE}/2027/offers", {"grade": "primero", "lat": 4.6401, "lon": -74.1401})
    values = [o["value"] for o in near.json()]
    assert values[0] == "COL-C:manana" and set(values) >= {"COL-A:tarde", "COL-E:manana"}
    assert near.json()[0]["distance_km"] < 0.1 and near.json()[0]["free"] == 2
    # The values rank schools in an application, as the portal's form does.
    filing = apply(season.service, schools=tuple(values[:3]))
    assert filing.case.answers["colegios"] == values[:3]


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ({"grade": "doctorado"}, 422),
        ({"grade": "primero", "lat": 4.6}, 422),
        ({"grade": "primero", "lat": 200, "lon": 0}, 422),
        ({}, 422),
    ],
)
def test_bad_queries_say_what_is_wrong(
    client: Client,
    season: Season,  # noqa: F811
    query: dict[str, Any],
    status: int,
) -> None:
    response = client.get(f"{BASE}/2027/offers", query)
    assert response.status_code == status and response.json()["detail"]


def test_an_unknown_season_is_a_404(client: Client, db: None) -> None:
    assert client.get(f"{BASE}/1999").status_code == 404
    assert client.get(f"{BASE}/1999/offers", {"grade": "primero"}).status_code == 404
