"""School-place endpoints: the seasons and their published rules, the figures anyone may check
(places offered and filled, the allocation's seed and hashes), and the places of a grade nearest
a home, each with the value an application names it by (`colegios` in the form's answers).

Public, like the catalogue: nothing here identifies a child. Applying is filing a case of the
season's service (`POST /cases`); the season's own rules answer in that filing's 422.

No `from __future__ import annotations` here: django-ninja reads the annotations at import.
"""

from datetime import date, datetime
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema, Status

from ventanilla.api.schemas import Line, TextOut, error_responses
from ventanilla.places import selectors
from ventanilla.places.models import Season, SeasonRules

router = Router(tags=["school places"])

SeasonCode = Annotated[str, Path(max_length=20, pattern=r"^[a-z0-9-]+$")]


class WindowOut(Schema):
    opens: date
    closes: date


class SeasonOut(Schema):
    code: str
    title: TextOut
    school_year: int
    stage_today: str = Field(
        ..., description="before, stage1, allocation (between the stages), stage2 or closed."
    )
    stage1: WindowOut
    results_on: date
    stage2: WindowOut


class RunOut(Schema):
    number: int
    finished_at: datetime
    seed: str
    inputs_sha256: str
    outputs_sha256: str


class SeasonDetailOut(SeasonOut):
    rules_version: int
    rules_published_at: datetime
    rules: dict[str, Any] = Field(..., description="The published rules, as the season's YAML.")
    places_offered: int
    places_taken: int
    applications: int
    allocation: RunOut | None = Field(None, description="The real stage 1 run, once made.")


class OffersQuery(Schema):
    grade: Line = Field(..., max_length=50, description="A grade key of the season's rules.")
    lat: float | None = Field(default=None, ge=-90, le=90, description="With `lon`: the home.")
    lon: float | None = Field(default=None, ge=-180, le=180)
    locality: Line = Field(
        default="", max_length=10, description="Without coordinates: the home's locality."
    )
    free: bool = Field(default=False, description="Only offers with a free place now.")
    limit: int = Field(default=40, ge=1, le=200)


class OfferOut(Schema):
    value: str = Field(..., description="How an application ranks it: `SCHOOL:shift`.")
    school: str
    school_name: str
    locality: str
    grade: str
    shift: str
    offered: int
    free: int
    distance_km: float | None


def _season(code: str) -> tuple[Season, SeasonRules] | None:
    season = selectors.season_by_code(code)
    if season is None:
        return None
    rules = selectors.published_rules(season)
    return (season, rules) if rules is not None else None


def _season_out(season: Season, rules: SeasonRules) -> dict[str, Any]:
    definition = rules.parsed
    return {
        "code": season.code,
        "title": {"es": definition.title.es, "en": definition.title.en},
        "school_year": definition.school_year,
        "stage_today": definition.stage_on(selectors.season_today(season)),
        "stage1": definition.stage1.model_dump(),
        "results_on": definition.results_on,
        "stage2": definition.stage2.model_dump(),
    }


@router.get(
    "/school-places/seasons",
    response={200: list[SeasonOut], **error_responses()},
    summary="Seasons of school places with published rules",
)
def seasons(request: HttpRequest) -> Any:
    """Newest first."""
    return [_season_out(season, rules) for season, rules in selectors.public_seasons()]


@router.get(
    "/school-places/seasons/{code}",
    response={200: SeasonDetailOut, **error_responses(404)},
    summary="A season: its rules, its figures and its allocation's hashes",
)
def season_detail(request: HttpRequest, code: SeasonCode) -> Any:
    """The rules as published (never changed after stage 1 opens); the real allocation's seed
    and the SHA-256 of its inputs and outputs, so a re-run can be compared."""
    found = _season(code)
    if found is None:
        return Status(404, {"detail": "No season with published rules has that code."})
    season, rules = found
    totals = selectors.season_totals(season)
    run = selectors.real_run(season)
    return {
        **_season_out(season, rules),
        "rules_version": rules.number,
        "rules_published_at": rules.published_at,
        "rules": rules.parsed.model_dump(mode="json"),
        "places_offered": totals["offered"],
        "places_taken": totals["taken"],
        "applications": totals["applications"],
        "allocation": (
            {
                "number": run.number,
                "finished_at": run.finished_at,
                "seed": run.seed,
                "inputs_sha256": run.inputs_sha256,
                "outputs_sha256": run.outputs_sha256,
            }
            if run is not None
            else None
        ),
    }


@router.get(
    "/school-places/seasons/{code}/offers",
    response={200: list[OfferOut], **error_responses(404)},
    summary="The places of a grade, nearest a home first",
)
def offers(request: HttpRequest, code: SeasonCode, filters: Query[OffersQuery]) -> Any:
    """The schools and shifts that teach `grade` this season, nearest first when the home is
    given (by coordinates, or by locality), else by name. Rank them in an application's
    `colegios` answer by their `value`."""
    found = _season(code)
    if found is None:
        return Status(404, {"detail": "No season with published rules has that code."})
    season, rules = found
    if rules.parsed.grade(filters.grade) is None:
        return Status(
            422,
            {
                "detail": "The request has errors.",
                "errors": {"grade": ["Not a grade of this season."]},
            },
        )
    if (filters.lat is None) != (filters.lon is None):
        missing = "lat" if filters.lat is None else "lon"
        return Status(
            422, {"detail": "The request has errors.", "errors": {missing: ["Give both."]}}
        )
    answer: dict[str, Any] = {"locality": filters.locality}
    if filters.lat is not None:
        answer |= {"lat": filters.lat, "lon": filters.lon}
    home = selectors.home_of(answer) if filters.lat is not None or filters.locality else None
    near = selectors.offers_near(
        season, grade=filters.grade, home=home, limit=filters.limit, free_only=filters.free
    )
    return [
        {
            "value": n.value,
            "school": n.offer.point.code,
            "school_name": n.offer.point.name,
            "locality": n.offer.point.locality.code,
            "grade": n.offer.grade,
            "shift": n.offer.shift,
            "offered": n.offer.offered,
            "free": n.offer.free,
            "distance_km": round(n.metres / 1000, 3) if n.metres is not None else None,
        }
        for n in near
    ]
