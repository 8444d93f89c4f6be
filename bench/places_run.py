"""Benchmark: the real stage 1 run of school places over 100,000 applications in the database.

    createdb -h 127.0.0.1 -U postgres ventanilla_places
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ventanilla_places \
        .venv/bin/python bench/places_run.py [--applications 100000]

Migrates the database and loads the demo if missing (its season, with places at every school),
scales the places offered to about 95% of the applications, inserts synthetic applications —
cases of the school-place service with their `Application` and 10 ranked choices each, near
home (bulk inserts, not the filing service: this measures the run) — then, with the clock
between the stages, times what the coverage office and the worker do: reading the run's inputs,
a dry run, the real run (every place given in one transaction), and telling 500 families
(route line, email, SMS, in-app). Prints one JSON line.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import sys
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from datetime import time as day_time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ventanilla.config.settings")

import django

django.setup()

from django.core.management import call_command
from django.db import connection
from django.db.models import F, Max, Sum

from ventanilla.cases.models import Case
from ventanilla.core import clock
from ventanilla.places import selectors
from ventanilla.places.allocating import allocation_inputs, allocation_run, results_announce
from ventanilla.places.allocation import distance_m
from ventanilla.places.models import (
    AllocationRun,
    Application,
    Assignment,
    Choice,
    Offer,
    Season,
)

SEED = 20271
BATCH = 5000


def ensure_demo() -> Season:
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    if not Season.objects.exists():
        call_command("load_demo", "--even-without-debug", verbosity=0)
    return Season.objects.select_related("service", "entity").get()


def scale_places(season: Season, applications: int) -> None:
    """Offer about 95% of the applications, spread as the demo spreads its places."""
    total = Offer.objects.filter(season=season).aggregate(n=Sum("capacity"))["n"] or 1
    share = min(0.95 * applications / total, 1.0)
    for offer in Offer.objects.filter(season=season).only("pk", "capacity"):
        offered = math.ceil(offer.capacity * share)
        Offer.objects.filter(pk=offer.pk).update(continuing=offer.capacity - offered, taken=0)


def _case(season: Season, version: Any, index: int, start: datetime) -> Case:
    """A synthetic filing of the season's service, as the filing service would leave it."""
    filed = start + timedelta(seconds=index * 7)
    return Case(
        filing_number=f"SED-CUPO-{index + 1:07d}",
        filing_entity=season.entity,
        entity=season.entity,
        year=filed.year,
        sequence=800_000 + index,
        verification_hash="0" * 64,
        service=season.service,
        service_version=version,
        filer_kind="guest",
        contact_name=f"Acudiente {index}",
        contact_email=f"acudiente{index}@example.org",
        channel="online",
        stage="recibida",
        dependency_id=season.service.dependency_id,
        answers={},
        filed_at=filed,
        received_on=filed.date(),
        original_due_date=filed.date() + timedelta(days=21),
        due_date=filed.date() + timedelta(days=21),
        sla_state="on_time",
        search_text="",
    )


def _application(
    season: Season,
    case: Case,
    rng: random.Random,
    offers: dict[str, list[tuple[int, float, float]]],
    locality: int | None,
) -> tuple[Application, list[int]]:
    """A child near a random school of its grade, ranking 10 of the 30 offers sampled nearest."""
    grade = rng.choice(sorted(offers))
    _pk, lat, lon = rng.choice(offers[grade])
    home = (lat + rng.uniform(-0.01, 0.01), lon + rng.uniform(-0.01, 0.01))
    sample = rng.sample(offers[grade], min(30, len(offers[grade])))
    sample.sort(key=lambda o: distance_m(home[0], home[1], o[1], o[2]))
    group = rng.choices(["", "victima", "discapacidad", "etnia"], [92, 3, 3, 2])[0]
    application = Application(
        season=season,
        case=case,
        stage=1,
        student_id_type="TI",
        student_id_number=f"9{case.sequence:09d}",
        grade=grade,
        home_locality_id=locality,
        home_latitude=home[0],
        home_longitude=home[1],
        home_located=True,
        group=group,
        evidence="approved" if group else "none",
        created_at=case.filed_at,
    )
    return application, [o[0] for o in sample[:10]]


def insert_applications(season: Season, count: int) -> None:
    have = Application.objects.filter(season=season).count()
    if have >= count:
        return
    rng = random.Random(SEED + have)
    version = season.service.versions.get(status="published")
    offers: dict[str, list[tuple[int, float, float]]] = {}
    for pk, grade, lat, lon in Offer.objects.filter(
        season=season, capacity__gt=F("continuing")
    ).values_list("pk", "grade", "point__latitude", "point__longitude"):
        offers.setdefault(grade, []).append((pk, float(lat), float(lon)))
    locality = Application.objects.values_list("home_locality_id", flat=True).first()
    start = datetime.combine(
        selectors.published_rules(season).parsed.stage1.opens,
        day_time(9),
        tzinfo=clock.now().tzinfo,
    )
    created = have
    last = Case.objects.filter(filing_number__startswith="SED-CUPO-").aggregate(n=Max("sequence"))
    numbered = last["n"] - 800_000 + 1 if last["n"] is not None else 0
    while created < count:
        n = min(BATCH, count - created)
        cases = []
        for index in range(numbered, numbered + n):
            cases.append(_case(season, version, index, start))
        Case.objects.bulk_create(cases)
        applications, ranked = [], []
        for case in cases:
            application, chosen = _application(season, case, rng, offers, locality)
            applications.append(application)
            ranked.append(chosen)
        Application.objects.bulk_create(applications)
        Choice.objects.bulk_create(
            [
                Choice(application=a, rank=rank, offer_id=offer)
                for a, chosen in zip(applications, ranked, strict=True)
                for rank, offer in enumerate(chosen, start=1)
            ],
            batch_size=10_000,
        )
        created += n
        numbered += n
        print(f"  {created:,} applications", file=sys.stderr, flush=True)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table in ("cases_case", "places_application", "places_choice", "places_offer"):
                cursor.execute(f"ANALYZE {table}")


def forget_runs(season: Season) -> None:
    """Undo earlier runs: their places, the families' results and the runs themselves."""
    Assignment.objects.filter(application__season=season).delete()
    Application.objects.filter(season=season).update(result_at=None, unplaced_reasons=[])
    AllocationRun.objects.filter(season=season).delete()
    Offer.objects.filter(season=season).update(taken=0)


def timed[T](what: dict[str, float], name: str, call: Callable[[], T]) -> T:
    started = time.perf_counter()
    result = call()
    what[name] = round(time.perf_counter() - started, 2)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--applications", type=int, default=100_000)
    parser.add_argument(
        "--again", action="store_true", help="forget an earlier run's places first (a re-run)"
    )
    args = parser.parse_args()
    season = ensure_demo()
    if args.again:
        forget_runs(season)
    scale_places(season, args.applications)
    insert_applications(season, args.applications)
    published = selectors.published_rules(season)
    assert published is not None
    rules = published.parsed
    between = datetime.combine(
        rules.stage1.closes + timedelta(days=1), day_time(9), tzinfo=clock.now().tzinfo
    )
    seconds: dict[str, float] = {}
    with clock.frozen(between):
        inputs = timed(seconds, "read_inputs", lambda: allocation_inputs(season, rules, "x"))
        timed(seconds, "dry_run", lambda: allocation_run(season=season, dry_run=True, actor=None))
        run = timed(
            seconds, "real_run", lambda: allocation_run(season=season, dry_run=False, actor=None)
        )
        told = timed(seconds, "tell_500_families", lambda: results_announce(limit=500))
    rate = told / max(seconds["tell_500_families"], 1e-9)
    print(
        json.dumps(
            {
                "database": connection.vendor,
                "applications": len(inputs.applicants),
                "offers": len(inputs.offers),
                "places": sum(o.capacity for o in inputs.offers),
                "seconds": seconds,
                "families_told_per_second": round(rate, 1),
                "hours_to_tell_everyone": round(len(inputs.applicants) / max(rate, 1e-9) / 3600, 2),
                "by_rank": run.stats["by_rank"],
            }
        )
    )


if __name__ == "__main__":
    main()
