"""Benchmark: allocating school places to 100,000 new students (pure Python, no database).

    .venv/bin/python bench/places_allocation.py [--applicants 100000] [--schools 400]

A market generated with a fixed seed (2027): schools spread over Bogotá (lat 4.45 to 4.80,
lon -74.20 to -74.00), 14 grades in one shift, places about 95% of the applicants of each grade;
every applicant ranks 10 offers of their grade, picked with some randomness from the ~30 schools
nearest home; ~8% are in one of 3 priority groups, ~10% have a sibling at one of their choices.
It times apart: the inputs document and its hash, the allocation, the outcomes of everyone, and
the outputs document and its hash; then prints one JSON line with the seconds, the placements by
rank and the peak resident memory. Generating the market is not timed.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import resource
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from ventanilla.places.allocation import (
    NO_GROUP,
    Applicant,
    Offer,
    Rules,
    allocate,
    inputs_document,
    outputs_document,
    sha256_hex,
)

GRADES = (
    "prejardin",
    "jardin",
    "transicion",
    "primero",
    "segundo",
    "tercero",
    "cuarto",
    "quinto",
    "sexto",
    "septimo",
    "octavo",
    "noveno",
    "decimo",
    "once",
)
LAT_RANGE = (4.45, 4.80)
LON_RANGE = (-74.20, -74.00)
CELL = 0.02  # degrees; a grid to find the schools near a home without measuring all of them
CHOICES = 10
NEAREST = 30


def peak_rss_mb() -> float:
    # ru_maxrss is in kibibytes on Linux (bytes on macOS).
    scale = 1024 * 1024 if sys.platform == "darwin" else 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / scale


def market(
    rng: random.Random, applicants: int, schools: int
) -> tuple[list[Offer], list[Applicant]]:
    sites = [
        (f"COL-{n:04d}", round(rng.uniform(*LAT_RANGE), 6), round(rng.uniform(*LON_RANGE), 6))
        for n in range(1, schools + 1)
    ]
    grid: dict[tuple[int, int], list[int]] = {}
    for s, (_, lat, lon) in enumerate(sites):
        grid.setdefault((int(lat / CELL), int(lon / CELL)), []).append(s)

    grades = [rng.choice(GRADES) for _ in range(applicants)]
    per_grade = Counter(grades)
    weights = [rng.uniform(0.5, 1.5) for _ in sites]
    total_weight = sum(weights)
    offers = [
        Offer(
            key=f"{code}/{grade}/manana",
            school=code,
            grade=grade,
            capacity=round(0.95 * per_grade[grade] * weights[s] / total_weight),
            lat=lat,
            lon=lon,
        )
        for s, (code, lat, lon) in enumerate(sites)
        for grade in GRADES
    ]

    people = []
    for n, grade in enumerate(grades, start=1):
        lat, lon = round(rng.uniform(*LAT_RANGE), 6), round(rng.uniform(*LON_RANGE), 6)
        near = nearest_sites(grid, sites, lat, lon, min(NEAREST, schools))
        # Mostly the nearest, with some randomness: a school's place in the list moves by up to
        # 15 places.
        picked = sorted(range(len(near)), key=lambda r: r + rng.random() * 15)[:CHOICES]
        codes = [sites[near[r]][0] for r in picked]
        draw = rng.random()
        group = rng.randrange(3) if draw < 0.08 else NO_GROUP
        siblings = frozenset({rng.choice(codes)}) if rng.random() < 0.10 else frozenset()
        people.append(
            Applicant(
                key=f"SED-2027-{n:06d}",
                grade=grade,
                choices=tuple(f"{code}/{grade}/manana" for code in codes),
                group_rank=group,
                sibling_schools=siblings,
                lat=lat,
                lon=lon,
            )
        )
    return offers, people


def nearest_sites(
    grid: dict[tuple[int, int], list[int]],
    sites: list[tuple[str, float, float]],
    lat: float,
    lon: float,
    count: int,
) -> list[int]:
    row, col = int(lat / CELL), int(lon / CELL)
    found: list[int] = []
    ring = 0
    # One ring more than needed, so a nearer school just outside the first rings is not missed.
    while len(found) < count or ring < 2:
        found = [
            s
            for r in range(row - ring, row + ring + 1)
            for c in range(col - ring, col + ring + 1)
            for s in grid.get((r, c), ())
        ]
        ring += 1
    scale = math.cos(math.radians(lat))
    found.sort(key=lambda s: (sites[s][1] - lat) ** 2 + ((sites[s][2] - lon) * scale) ** 2)
    return found[:count]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--applicants", type=int, default=100_000)
    parser.add_argument("--schools", type=int, default=400)
    args = parser.parse_args()

    built = time.perf_counter()
    offers, applicants = market(random.Random(2027), args.applicants, args.schools)
    built = time.perf_counter() - built
    rules = Rules(seed="5e1f0c2a9b7d4e38a6c1f02b9d8e7a43")
    seconds: dict[str, float] = {}

    began = time.perf_counter()
    inputs_hash = sha256_hex(inputs_document(offers, applicants, rules))
    seconds["inputs_document"] = time.perf_counter() - began

    began = time.perf_counter()
    result = allocate(offers, applicants, rules)
    seconds["allocate"] = time.perf_counter() - began

    began = time.perf_counter()
    told = sum(len(result.outcomes(applicant.key)) for applicant in applicants)
    seconds["outcomes"] = time.perf_counter() - began

    began = time.perf_counter()
    outputs_hash = sha256_hex(outputs_document(result))
    seconds["outputs_document"] = time.perf_counter() - began

    ranks = Counter(placement.choice_rank for placement in result.placements.values())
    fallback = sum(placement.fallback for placement in result.placements.values())
    by_rank = {str(rank): ranks[rank] for rank in sorted(rank for rank in ranks if rank)}
    by_rank |= {"fallback": fallback, "none": ranks[None] - fallback}
    print(
        json.dumps(
            {
                "applicants": len(applicants),
                "offers": len(offers),
                "places": sum(offer.capacity for offer in offers),
                "seconds": {name: round(value, 3) for name, value in seconds.items()},
                "total_seconds": round(sum(seconds.values()), 3),
                "market_built_seconds": round(built, 3),
                "placements_by_rank": by_rank,
                "choice_outcomes_told": told,
                "peak_rss_mb": round(peak_rss_mb(), 1),
                "inputs_sha256": inputs_hash,
                "outputs_sha256": outputs_hash,
            }
        )
    )


if __name__ == "__main__":
    main()
