"""Reads of school places: the season of a service and its rules, the places offered near a
home, an application and its result, and the figures the public page shows."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from django.core.cache import cache
from django.db.models import Count, F, Q, QuerySet, Sum

from ventanilla.core import clock, memo
from ventanilla.organization.models import Locality, ServicePoint
from ventanilla.places.allocation import distance_m
from ventanilla.places.models import (
    AllocationRun,
    Application,
    Assignment,
    Evidence,
    Offer,
    Season,
    SeasonRules,
)
from ventanilla.places.rules import SeasonDefinition

_CACHE_SECONDS = 300  # a locality's centre
NEAREST_SHOWN = 40  # schools a family picks from, nearest home first


def season_service_ids() -> frozenset[int]:
    """The services whose filings are a season's applications: new students' and transfers'.
    Every filing of any service asks; remembered in each process until the configuration
    changes (`core.memo` follows the seasons)."""
    return memo.remembered("season-services", None, _season_service_ids)


def _season_service_ids() -> frozenset[int]:
    rows = Season.objects.values_list("service_id", "transfer_service_id")
    return frozenset(i for pair in rows for i in pair if i is not None)


def published_rules(season: Season) -> SeasonRules | None:
    """The season's rules in force: its latest published version."""
    return season.rules.filter(published_at__isnull=False).order_by("-number").first()


def season_of_service(service_id: int | None) -> tuple[Season, SeasonRules] | None:
    """The season of `service_id` (its new students' or its transfers' service) that
    applications go to today, with its rules in force: the one under way, else the next to open,
    else the latest."""
    if service_id is None or service_id not in season_service_ids():
        return None
    found = []
    seasons = Season.objects.filter(Q(service_id=service_id) | Q(transfer_service_id=service_id))
    for season in seasons.select_related("entity"):
        rules = published_rules(season)
        if rules is not None:
            found.append((season, rules))
    if not found:
        return None
    today = season_today(found[0][0])

    def order(pair: tuple[Season, SeasonRules]) -> tuple[int, date]:
        definition = pair[1].parsed
        if definition.stage1.opens <= today <= definition.stage2.closes:
            return (0, definition.stage1.opens)
        if today < definition.stage1.opens:
            return (1, definition.stage1.opens)
        return (2, date.max - (definition.stage2.closes - date.min))

    return min(found, key=order)


def shift_labels() -> dict[str, str]:
    """Shift key → its label in the active language, from the published seasons' rules."""
    from ventanilla.catalog.fields import localized

    labels: dict[str, str] = {}
    for _season, rules in reversed(public_seasons()):
        labels |= {shift.key: localized(shift.label) for shift in rules.parsed.shifts}
    return labels


def season_by_code(code: str) -> Season | None:
    return (
        Season.objects.filter(code=code)
        .select_related("entity", "service", "transfer_service")
        .first()
    )


def public_seasons() -> list[tuple[Season, SeasonRules]]:
    """Seasons whose rules are published, newest first."""
    found = []
    for season in Season.objects.select_related("service").order_by("-code"):
        rules = published_rules(season)
        if rules is not None:
            found.append((season, rules))
    return found


def season_today(season: Season) -> date:
    """Today where the season's entity is."""
    return clock.now().astimezone(ZoneInfo(season.entity.timezone)).date()


# --- Where a family lives and what is near ---------------------------------------------------


def locality_centre(code: str) -> tuple[float, float] | None:
    """The mean position of a locality's located points: where a home without coordinates is
    taken to be."""
    if not code.isalnum() or len(code) > 10:
        return None  # not a locality's code (the form kit refuses it); no cache key either
    key = f"places:centre:{code}"
    centre = cache.get(key)
    if centre is None:
        points = ServicePoint.objects.filter(
            locality__code=code, latitude__isnull=False, longitude__isnull=False
        ).values_list("latitude", "longitude")
        pairs = [(float(lat or 0), float(lon or 0)) for lat, lon in points]
        centre = (
            (sum(p[0] for p in pairs) / len(pairs), sum(p[1] for p in pairs) / len(pairs))
            if pairs
            else ()
        )
        cache.set(key, centre, _CACHE_SECONDS)
    return (float(centre[0]), float(centre[1])) if centre else None


@dataclass(frozen=True)
class Home:
    locality: str
    latitude: float
    longitude: float
    located: bool  # False: the locality's centre stands for it


def home_of(answer: Any) -> Home | None:
    """Where the answer of a home question (`home_address`) puts the family."""
    if not isinstance(answer, Mapping):
        return None
    locality = str(answer.get("locality") or "")
    lat, lon = answer.get("lat"), answer.get("lon")
    if isinstance(lat, int | float) and isinstance(lon, int | float):
        return Home(locality, float(lat), float(lon), located=True)
    centre = locality_centre(locality) if locality else None
    if centre is None:
        return None
    return Home(locality, centre[0], centre[1], located=False)


@dataclass(frozen=True)
class NearOffer:
    offer: Offer
    metres: int | None

    @property
    def value(self) -> str:
        return offer_value(self.offer.point.code, self.offer.shift)


def offer_value(point_code: str, shift: str) -> str:
    """How a ranked school is written in an answer: the school's code and the shift."""
    return f"{point_code}:{shift}"


def offers_near(
    season: Season,
    *,
    grade: str,
    home: Home | None,
    limit: int = NEAREST_SHOWN,
    free_only: bool = False,
) -> list[NearOffer]:
    """The season's offers of `grade`, nearest `home` first (by name without one)."""
    offers = Offer.objects.filter(season=season, grade=grade, capacity__gt=F("continuing"))
    if free_only:
        offers = offers.filter(taken__lt=F("capacity") - F("continuing"))
    rows = list(offers.select_related("point", "point__locality"))
    near = [
        NearOffer(
            o,
            distance_m(
                home.latitude, home.longitude, float(o.point.latitude), float(o.point.longitude)
            )
            if home is not None and o.point.latitude is not None and o.point.longitude is not None
            else None,
        )
        for o in rows
    ]
    near.sort(key=lambda n: (n.metres is None, n.metres or 0, n.offer.point.name, n.offer.shift))
    return near[:limit]


def offers_of_grade(season: Season, grade: str) -> int:
    """How many offers of `grade` the season has with places (a count, not the rows)."""
    return Offer.objects.filter(season=season, grade=grade, capacity__gt=F("continuing")).count()


def offers_by_value(season: Season, values: list[str], grade: str) -> dict[str, Offer]:
    """The season's offers of `grade` named by answer values (`code:shift`)."""
    wanted = [v.partition(":") for v in values]
    query = Q()
    for code, _colon, shift in wanted:
        query |= Q(point__code=code, shift=shift)
    if not wanted:
        return {}
    offers = Offer.objects.filter(query, season=season, grade=grade).select_related("point")
    return {offer_value(o.point.code, o.shift): o for o in offers}


def schools_near(
    season: Season, home: Home | None, limit: int = NEAREST_SHOWN
) -> list[ServicePoint]:
    """Schools with an offer this season, nearest `home` first (for "the siblings' school")."""
    points = list(
        ServicePoint.objects.filter(pk__in=Offer.objects.filter(season=season).values("point_id"))
    )
    if home is not None:
        points.sort(
            key=lambda p: (
                p.latitude is None,
                distance_m(home.latitude, home.longitude, float(p.latitude), float(p.longitude))
                if p.latitude is not None and p.longitude is not None
                else 0,
                p.name,
            )
        )
    return points[:limit]


# --- Applications and results ---------------------------------------------------------------


def active_application(season: Season, id_type: str, id_number: str) -> Application | None:
    return (
        Application.objects.filter(
            season=season,
            student_id_type=id_type,
            student_id_number=id_number,
            state=Application.State.ACTIVE,
        )
        .select_related("case")
        .first()
    )


def application_of_case(case_id: int) -> Application | None:
    return (
        Application.objects.filter(case_id=case_id)
        .select_related("season", "home_locality", "sibling_point", "current_point")
        .first()
    )


def live_assignment(application: Application) -> Assignment | None:
    return (
        application.assignments.filter(state__in=Assignment.LIVE)
        .select_related("offer", "offer__point")
        .first()
    )


def assignments_of(application: Application) -> QuerySet[Assignment]:
    return application.assignments.select_related("offer", "offer__point").order_by("offered_at")


def real_run(season: Season) -> AllocationRun | None:
    return season.runs.filter(dry_run=False, state=AllocationRun.State.DONE).first()


def runs_of(season: Season) -> QuerySet[AllocationRun]:
    return season.runs.select_related("actor").order_by("-number")


# --- The public figures ---------------------------------------------------------------------

# A count smaller than this is shown as "fewer than 5": a school's grade with two applicants of a
# priority group would otherwise point at those children.
SMALL = 5


def shown(count: int) -> int | None:
    """`count`, or None when it is small enough to point at a child."""
    return count if count == 0 or count >= SMALL else None


@dataclass(frozen=True)
class OfferFigure:
    school: str
    locality: str
    grade: str
    shift: str
    offered: int
    filled: int
    applicants: int | None  # who ranked it first; None when fewer than SMALL


def offer_figures(season: Season) -> list[OfferFigure]:
    """Per school, grade and shift: places offered, filled, and first-choice applicants."""
    live = Q(assignments__state__in=[s.value for s in Assignment.LIVE])
    rows = (
        Offer.objects.filter(season=season)
        .annotate(
            first=Count(
                "choices",
                filter=Q(choices__rank=1, choices__application__state=Application.State.ACTIVE),
                distinct=True,
            ),
            filled=Count("assignments", filter=live, distinct=True),
        )
        .values(
            "point__name",
            "point__locality__name",
            "grade",
            "shift",
            "capacity",
            "continuing",
            "filled",
            "first",
        )
        .order_by("point__name", "grade", "shift")
    )
    return [
        OfferFigure(
            school=r["point__name"],
            locality=r["point__locality__name"],
            grade=r["grade"],
            shift=r["shift"],
            offered=r["capacity"] - r["continuing"],
            filled=r["filled"],
            applicants=shown(r["first"]),
        )
        for r in rows
    ]


def season_totals(season: Season) -> dict[str, int]:
    offers = Offer.objects.filter(season=season).aggregate(
        capacity=Sum("capacity"), continuing=Sum("continuing"), taken=Sum("taken")
    )
    applications = Application.objects.filter(season=season, state=Application.State.ACTIVE)
    return {
        "offered": (offers["capacity"] or 0) - (offers["continuing"] or 0),
        "taken": offers["taken"] or 0,
        "applications": applications.count(),
    }


def group_figures(
    season: Season, rules: SeasonDefinition
) -> list[tuple[str, int | None, int | None]]:
    """Per priority group (and "none"): applications, and those whose evidence was approved."""
    rows = {
        r["group"]: r
        for r in Application.objects.filter(season=season, state=Application.State.ACTIVE)
        .values("group")
        .annotate(n=Count("id"), approved=Count("id", filter=Q(evidence=Evidence.APPROVED)))
    }
    figures = []
    for group in [*[g.key for g in rules.priority_groups], ""]:
        row = rows.get(group, {"n": 0, "approved": 0})
        figures.append((group, shown(row["n"]), shown(row["approved"])))
    return figures


def locality_names() -> dict[str, str]:
    return dict(Locality.objects.values_list("code", "name"))


# --- The coverage office ------------------------------------------------------------------


def season_role(user: Any, season: Season) -> str | None:
    """The role `user` holds on the dependency that owns the season's service (the coverage
    office), or above it; None for anyone else."""
    from ventanilla.organization.selectors import role_on

    if not getattr(user, "is_authenticated", False):
        return None
    return role_on(user, season.service.dependency)


def seasons_managed_by(user: Any) -> list[Season]:
    """Seasons whose coverage office `user` works in."""
    return [
        s
        for s in Season.objects.select_related("service__dependency", "entity").order_by("-code")
        if season_role(user, s) is not None
    ]


def applications_by_group(season: Season) -> list[dict[str, Any]]:
    """Active applications per stage, priority group and evidence state (exact counts, for the
    office)."""
    rows = (
        Application.objects.filter(season=season, state=Application.State.ACTIVE)
        .values("stage", "group", "evidence")
        .annotate(n=Count("id"))
        .order_by("stage", "group", "evidence")
    )
    return [dict(row) for row in rows]


def evidence_to_review(season: Season) -> QuerySet[Application]:
    """Applications whose priority group waits for an official to check its evidence, oldest
    first."""
    return (
        Application.objects.filter(
            season=season, state=Application.State.ACTIVE, evidence=Evidence.PENDING
        )
        .select_related("case")
        .order_by("created_at", "pk")
    )


def releases(season: Season) -> QuerySet[Assignment]:
    """Places that went back to the pool: released by a deadline, declined, or freed by a
    withdrawn case; latest first."""
    return (
        Assignment.objects.filter(
            application__season=season,
            state__in=[Assignment.State.RELEASED, Assignment.State.DECLINED],
        )
        .select_related("application__case", "offer__point")
        .order_by("-ended_at", "-pk")
    )


def run_placements(run: AllocationRun) -> dict[str, str | None]:
    """Applicant key → offer key, from a run's outputs document."""
    import json

    with run.outputs.open("rb") as stream:
        document = json.loads(stream.read())
    return {p["applicant"]: p["offer"] for p in document["placements"]}


def runs_compare(first: AllocationRun, second: AllocationRun) -> dict[str, int]:
    """How two runs differ: applicants in both, placed differently, placed only in one."""
    a, b = run_placements(first), run_placements(second)
    both = set(a) & set(b)
    return {
        "in_both": len(both),
        "different": sum(1 for key in both if a[key] != b[key]),
        "only_first": len(set(a) - set(b)),
        "only_second": len(set(b) - set(a)),
    }


# --- For the portal -------------------------------------------------------------------------


def offer_figure_rows(season: Season, *, locality: str = "", grade: str = "") -> QuerySet[Any, Any]:
    """`offer_figures` as a lazy query narrowed by locality code and grade, so that a page of
    it reads only its own rows (`offer_figure` turns each into an `OfferFigure`)."""
    live = Q(assignments__state__in=[s.value for s in Assignment.LIVE])
    offers = Offer.objects.filter(season=season)
    if locality:
        offers = offers.filter(point__locality__code=locality)
    if grade:
        offers = offers.filter(grade=grade)
    return (
        offers.annotate(
            first=Count(
                "choices",
                filter=Q(choices__rank=1, choices__application__state=Application.State.ACTIVE),
                distinct=True,
            ),
            filled=Count("assignments", filter=live, distinct=True),
        )
        .values(
            "point__code",
            "point__name",
            "point__locality__name",
            "grade",
            "shift",
            "capacity",
            "continuing",
            "filled",
            "first",
        )
        .order_by("point__name", "grade", "shift")
    )


@dataclass(frozen=True)
class PublicOfferFigure(OfferFigure):
    code: str = ""


def offer_figure(row: Mapping[str, Any]) -> PublicOfferFigure:
    return PublicOfferFigure(
        code=row["point__code"],
        school=row["point__name"],
        locality=row["point__locality__name"],
        grade=row["grade"],
        shift=row["shift"],
        offered=row["capacity"] - row["continuing"],
        filled=row["filled"],
        applicants=shown(row["first"]),
    )


def season_localities(season: Season) -> list[tuple[str, str]]:
    """(code, name) of the localities with a school in the season's offer, by name."""
    return list(
        Locality.objects.filter(
            service_points__in=Offer.objects.filter(season=season).values("point_id")
        )
        .distinct()
        .order_by("name")
        .values_list("code", "name")
    )


def claimable_offer(application: Application, offer_id: int) -> Offer | None:
    """An offer of the application's season and grade, by id (what a family chose to take)."""
    return (
        Offer.objects.filter(pk=offer_id, season_id=application.season_id, grade=application.grade)
        .select_related("point")
        .first()
    )


def application_home(application: Application) -> Home:
    """Where the application puts the family's home."""
    return Home(
        application.home_locality.code,
        application.home_latitude,
        application.home_longitude,
        located=application.home_located,
    )


def transfer_limit_m(application: Application) -> int | None:
    """For a transfer, how far its current school is from home: any place it takes must be
    nearer. None for a new student's application (or a current school without a location)."""
    point = application.current_point
    if application.kind != Application.Kind.TRANSFER or point is None:
        return None
    if point.latitude is None or point.longitude is None:
        return None
    return distance_m(
        application.home_latitude,
        application.home_longitude,
        float(point.latitude),
        float(point.longitude),
    )


def nearer_than(application: Application, limit: int, point: ServicePoint) -> bool:
    """Whether `point` is nearer the application's home than `limit` metres."""
    if point.latitude is None or point.longitude is None:
        return False
    metres = distance_m(
        application.home_latitude,
        application.home_longitude,
        float(point.latitude),
        float(point.longitude),
    )
    return metres < limit


def ranked_offers(application: Application) -> list[Offer]:
    """The application's schools in the family's order."""
    return [
        choice.offer
        for choice in application.choices.select_related("offer__point").order_by("rank")
    ]


# --- For the workspace ----------------------------------------------------------------------


def manages_a_season(user: Any) -> bool:
    """Whether `user` works in the coverage office of any season (as `season_role` counts it),
    in two queries whatever the number of seasons: the workspace's menu asks on every page."""
    from ventanilla.organization.selectors import memberships_of

    scopes = list(memberships_of(user).values_list("dependency__entity_id", "dependency__path"))
    if not scopes:
        return False
    # A role covers its dependency's subtree: the office's path starts with the member's.
    condition = Q()
    for entity_id, path in scopes:
        condition |= Q(service__dependency__entity_id=entity_id) & Q(
            service__dependency__path__startswith=path
        )
    return Season.objects.filter(condition).exists()


def evidence_documents(case_ids: list[int]) -> dict[int, Any]:
    """Per case, the document filed as a priority group's evidence (`soporte_grupo`), in one
    query."""
    from ventanilla.cases.models import CaseDocument

    documents = CaseDocument.objects.filter(case_id__in=case_ids, key="soporte_grupo").order_by(
        "case_id", "pk"
    )
    found: dict[int, Any] = {}
    for document in documents:
        found.setdefault(document.case_id, document)
    return found


@dataclass(frozen=True)
class PlaceOptions:
    """What a family may do with its application now, and the place it has been told of."""

    told: Assignment | None  # the live place, once the family was told of it
    may_accept: bool
    may_formalise: bool
    may_claim: bool  # stage 2, no live place, the application active
    free: list[NearOffer]  # the places it may take now, nearest home first


def place_options(application: Application, *, limit: int = 20) -> PlaceOptions:
    """The family's options: accept or formalise a place it was told of, or in stage 2 take one
    of the free places of its grade (a transfer only nearer home than its current school)."""
    live = live_assignment(application)
    told = live if live is not None and live.announced_at is not None else None
    rules = published_rules(application.season)
    stage = rules.parsed.stage_on(season_today(application.season)) if rules else "closed"
    may_claim = stage == "stage2" and live is None and application.state == Application.State.ACTIVE
    free: list[NearOffer] = []
    if may_claim:
        free = offers_near(
            application.season,
            grade=application.grade,
            home=application_home(application),
            free_only=True,
            limit=limit,
        )
        farthest = transfer_limit_m(application)
        if farthest is not None:
            free = [n for n in free if n.metres is not None and n.metres < farthest]
    return PlaceOptions(
        told=told,
        may_accept=told is not None and told.state == Assignment.State.OFFERED,
        may_formalise=told is not None and told.state == Assignment.State.ACCEPTED,
        may_claim=may_claim,
        free=free,
    )


def service_published(slug: str) -> bool:
    """Whether a published service has that slug (the petition that contests evidence)."""
    from ventanilla.catalog.models import Service

    return Service.objects.filter(slug=slug, is_published=True).exists()
