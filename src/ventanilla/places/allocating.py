"""The stage 1 allocation as the coverage office runs it: read the season's offers and
applications into the pure `places.allocation`, keep the run's inputs and outputs with their
hashes, and — for the real run, once — give the places and let the worker tell each family
(`results_announce`) with the reason in words.
"""

from __future__ import annotations

import secrets
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from ventanilla.calendars.business import add_business_days
from ventanilla.cases.notify import case_notify
from ventanilla.core import clock
from ventanilla.organization.selectors import entity_calendar
from ventanilla.places import allocation, notices, selectors
from ventanilla.places.models import (
    AllocationRun,
    Application,
    Assignment,
    Evidence,
    Offer,
    Season,
)
from ventanilla.places.rules import SeasonDefinition
from ventanilla.places.services import PlaceError, route_note, rules_in_force, season_day

if TYPE_CHECKING:
    from ventanilla.accounts.models import User


def _seed(season: Season) -> str:
    """The season's random number, drawn the first time an allocation runs after stage 1 has
    closed and kept from then on (published with every run)."""
    if season.seed:
        return season.seed
    seed = secrets.token_hex(16)
    updated = Season.objects.filter(pk=season.pk, seed="").update(
        seed=seed, seed_drawn_at=clock.now()
    )
    season.refresh_from_db(fields=["seed", "seed_drawn_at"])
    return season.seed if not updated else seed


@dataclass
class Inputs:
    offers: list[allocation.Offer]
    applicants: list[allocation.Applicant]
    rules: allocation.Rules
    offer_ids: dict[str, int]  # offer key → Offer.pk
    application_ids: dict[str, int]  # applicant key (filing number) → Application.pk
    school_names: dict[str, str]  # offer key → school name


def offer_key(point_code: str, grade: str, shift: str) -> str:
    return f"{point_code}/{grade}/{shift}"


def allocation_inputs(season: Season, rules: SeasonDefinition, seed: str) -> Inputs:
    """What the allocation runs on, read in a few queries: offers (places net of continuing
    students and of places already given), and every active stage 1 application with its
    choices; a priority group counts only with its evidence approved."""
    offers, offer_ids, names, points = [], {}, {}, {}
    for o in Offer.objects.filter(season=season).values(
        "pk",
        "point__code",
        "point__name",
        "point__latitude",
        "point__longitude",
        "grade",
        "shift",
        "capacity",
        "continuing",
        "taken",
        "point_id",
    ):
        key = offer_key(o["point__code"], o["grade"], o["shift"])
        points[o["point_id"]] = o["point__code"]
        offers.append(
            allocation.Offer(
                key=key,
                school=o["point__code"],
                grade=o["grade"],
                capacity=max(o["capacity"] - o["continuing"] - o["taken"], 0),
                lat=float(o["point__latitude"] or 0),
                lon=float(o["point__longitude"] or 0),
            )
        )
        offer_ids[key], names[key] = o["pk"], o["point__name"]
    by_offer_id = {pk: key for key, pk in offer_ids.items()}
    choices: dict[int, list[str]] = {}
    for application_id, offer_id in (
        Application.objects.filter(season=season, state=Application.State.ACTIVE, stage=1)
        .values_list("choices__application_id", "choices__offer_id")
        .order_by("choices__application_id", "choices__rank")
    ):
        if application_id is not None:
            choices.setdefault(application_id, []).append(by_offer_id[offer_id])
    applicants, application_ids = [], {}
    for a in Application.objects.filter(
        season=season, state=Application.State.ACTIVE, stage=1
    ).values(
        "pk",
        "case__filing_number",
        "grade",
        "group",
        "evidence",
        "sibling_point_id",
        "home_latitude",
        "home_longitude",
    ):
        rank = rules.group_rank(a["group"]) if a["evidence"] == Evidence.APPROVED else None
        sibling = points.get(a["sibling_point_id"]) if a["sibling_point_id"] else None
        applicants.append(
            allocation.Applicant(
                key=a["case__filing_number"],
                grade=a["grade"],
                choices=tuple(choices.get(a["pk"], ())),
                group_rank=allocation.NO_GROUP if rank is None else rank,
                sibling_schools=frozenset({sibling} if sibling else ()),
                lat=a["home_latitude"],
                lon=a["home_longitude"],
            )
        )
        application_ids[a["case__filing_number"]] = a["pk"]
    return Inputs(
        offers=offers,
        applicants=applicants,
        rules=allocation.Rules(seed=seed, tie_breaks=tuple(rules.tie_breaks)),
        offer_ids=offer_ids,
        application_ids=application_ids,
        school_names=names,
    )


def _stats(result: allocation.Result, inputs: Inputs) -> dict[str, Any]:
    by_rank: Counter[str] = Counter()
    for placement in result.placements.values():
        if placement.offer is None:
            by_rank["none"] += 1
        elif placement.fallback:
            by_rank["nearest"] += 1
        else:
            by_rank[str(placement.choice_rank)] += 1
    return {
        "applicants": len(inputs.applicants),
        "offers": len(inputs.offers),
        "places": sum(o.capacity for o in inputs.offers),
        "placed": sum(1 for p in result.placements.values() if p.offer is not None),
        "by_rank": dict(sorted(by_rank.items())),
    }


def _reasons(result: allocation.Result, key: str, inputs: Inputs) -> list[dict[str, Any]]:
    return [
        {
            "rank": o.rank,
            "school": inputs.school_names.get(o.offer, o.offer),
            "capacity": o.capacity,
            "ranked_by": o.ranked_by,
            "ahead": o.ahead,
        }
        for o in result.outcomes(key)
    ]


def allocation_allowed(*, season: Season, dry_run: bool) -> None:
    """Raise PlaceError when the run cannot be made now: the real one happens once, between
    the close of stage 1 and the opening of stage 2; a dry run needs published rules."""
    rules = rules_in_force(season).parsed
    if dry_run:
        return
    if rules.stage_on(season_day(season)) != "allocation":
        raise PlaceError(
            "not_now",
            _("La asignación real se hace entre el cierre de la etapa 1 y la etapa 2."),
        )
    if selectors.real_run(season) is not None:
        raise PlaceError("done", _("La asignación real de esta temporada ya se hizo."))


def allocation_run(*, season: Season, dry_run: bool, actor: User | None) -> AllocationRun:
    """Run the stage 1 allocation. A dry run only records its inputs, outputs and figures; the
    real one (once, after stage 1 closes and before stage 2 opens) also gives the places,
    whose families the worker then tells (`results_announce`). Over 100,000 applications it
    takes tens of seconds: the workspace runs it in the worker (`tasks.allocation_run_task`)."""
    allocation_allowed(season=season, dry_run=dry_run)
    rules_row = rules_in_force(season)
    rules = rules_row.parsed
    stage = rules.stage_on(season_day(season))
    seed = _seed(season) if stage in {"allocation", "stage2", "closed"} else "ensayo"
    started = clock.now()
    inputs = allocation_inputs(season, rules, seed)
    result = allocation.allocate(inputs.offers, inputs.applicants, inputs.rules)
    inputs_doc = allocation.inputs_document(inputs.offers, inputs.applicants, inputs.rules)
    outputs_doc = allocation.outputs_document(result)
    stats = _stats(result, inputs)
    stats["pending_evidence"] = Application.objects.filter(
        season=season, state=Application.State.ACTIVE, evidence=Evidence.PENDING
    ).count()
    number = (season.runs.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    names = {
        kind: default_storage.save(
            f"places/runs/{season.code}-{number}-{kind}.json", ContentFile(doc)
        )
        for kind, doc in (("inputs", inputs_doc), ("outputs", outputs_doc))
    }
    try:
        with transaction.atomic(durable=True):
            run = AllocationRun.objects.create(
                season=season,
                rules=rules_row,
                number=number,
                dry_run=dry_run,
                state=AllocationRun.State.DONE,
                seed=seed,
                started_at=started,
                finished_at=clock.now(),
                actor=actor,
                inputs=names["inputs"],
                inputs_sha256=allocation.sha256_hex(inputs_doc),
                outputs=names["outputs"],
                outputs_sha256=allocation.sha256_hex(outputs_doc),
                stats=stats,
            )
            if not dry_run:
                _give_places(run, result, inputs, rules)
    except BaseException:
        for name in names.values():
            default_storage.delete(name)
        raise
    return run


def _give_places(
    run: AllocationRun, result: allocation.Result, inputs: Inputs, rules: SeasonDefinition
) -> None:
    now = clock.now()
    calendar = entity_calendar(run.season.entity)
    accept_by = add_business_days(season_day(run.season), rules.acceptance_days, calendar)
    assignments, given = [], Counter[int]()
    unplaced: list[tuple[int, list[dict[str, Any]]]] = []
    for key, placement in result.placements.items():
        application_id = inputs.application_ids[key]
        reasons = _reasons(result, key, inputs)
        if placement.offer is None:
            unplaced.append((application_id, reasons))
            continue
        offer_id = inputs.offer_ids[placement.offer]
        given[offer_id] += 1
        assignments.append(
            Assignment(
                application_id=application_id,
                offer_id=offer_id,
                run=run,
                stage=1,
                choice_rank=placement.choice_rank,
                fallback=placement.fallback,
                reasons=reasons,
                state=Assignment.State.OFFERED,
                offered_at=now,
                accept_by=accept_by,
            )
        )
    # One UPDATE per number of places given (a few dozen), not one per offer (thousands); the
    # CHECK refuses more than the places offered, whatever the run computed.
    by_count: dict[int, list[int]] = {}
    for offer_id, count in given.items():
        by_count.setdefault(count, []).append(offer_id)
    for count, offer_ids in by_count.items():
        Offer.objects.filter(pk__in=offer_ids).update(taken=F("taken") + count)
    Assignment.objects.bulk_create(assignments, batch_size=2000)
    Application.objects.bulk_update(
        [Application(pk=pk, unplaced_reasons=reasons) for pk, reasons in unplaced],
        ["unplaced_reasons"],
        batch_size=1000,
    )


def results_announce(*, limit: int = 500, chunk: int = 100) -> int:
    """Tell families the real run's results, a chunk at a time (the worker calls it until
    nothing is left): a line on the case's route, and email, text message and in-app notice.
    Each chunk is one transaction, and on PostgreSQL a second worker skips its rows."""
    told = 0
    rules: dict[int, SeasonDefinition] = {}
    while told < limit:
        with transaction.atomic():
            # Rows are claimed alone, then read with what they need: a join in the FOR UPDATE
            # query made PostgreSQL plan over every assignment (5 s a chunk over 100,000).
            claimed = list(
                Assignment.objects.select_for_update(skip_locked=True)
                .filter(stage=1, announced_at__isnull=True)
                .order_by("pk")
                .values_list("pk", flat=True)[: min(chunk, limit - told)]
            )
            if not claimed:
                break
            Assignment.objects.filter(pk__in=claimed).update(announced_at=clock.now())
            for assignment in (
                Assignment.objects.filter(pk__in=claimed)
                .select_related(
                    "application__season__entity",
                    "application__case__service_version",
                    "application__case__applicant",
                    "offer__point",
                )
                .order_by("pk")
            ):
                _announce(assignment.application, assignment, "assigned", rules)
            told += len(claimed)
    while told < limit:
        with transaction.atomic():
            claimed = list(
                Application.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(
                    season__runs__dry_run=False,
                    state=Application.State.ACTIVE,
                    stage=1,
                    result_at__isnull=True,
                )
                .exclude(assignments__stage=1)
                .order_by("pk")
                .values_list("pk", flat=True)[: min(chunk, limit - told)]
            )
            if not claimed:
                break
            Application.objects.filter(pk__in=claimed).update(result_at=clock.now())
            for application in (
                Application.objects.filter(pk__in=claimed)
                .select_related("season__entity", "case__service_version", "case__applicant")
                .order_by("pk")
            ):
                _announce(application, None, "unplaced", rules)
            told += len(claimed)
    return told


def _announce(
    application: Application,
    assignment: Assignment | None,
    what: str,
    rules_of: dict[int, SeasonDefinition],
) -> None:
    season_id = application.season_id
    if season_id not in rules_of:
        rules_of[season_id] = rules_in_force(application.season).parsed
    rules = rules_of[season_id]
    school = assignment.offer.point.name if assignment is not None else ""
    route_note(application, what, actor=None, school=school)
    case_notify(
        case=application.case,
        event=notices.RESULT,
        sms=True,
        extra={
            "school": school,
            **notices.both_languages(notices.result_text, assignment, application, rules),
        },
    )
