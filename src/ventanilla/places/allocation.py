"""School-place allocation: deferred acceptance over ranked choices, then the nearest free place.

Standard library only, so anyone can re-run a published allocation from its inputs document
(`allocate(*load_inputs(data))`) and compare the outputs document's hash with the published one.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from heapq import heappush, heapreplace
from itertools import pairwise
from operator import attrgetter, itemgetter
from typing import Any

TIE_BREAKS = ("priority_group", "sibling", "distance", "lottery")
NO_GROUP = 1_000
EARTH_RADIUS_M = 6_371_000
DOCUMENT_FORMAT = "ventanilla.places.allocation/1"


@dataclass(frozen=True, slots=True)
class Offer:
    """The places of one grade and shift at one school (capacity net of continuing students)."""

    key: str
    school: str
    grade: str
    capacity: int
    lat: float
    lon: float


@dataclass(frozen=True, slots=True)
class Applicant:
    """A new student's application: ranked offer keys, priority group, siblings' schools, home."""

    key: str
    grade: str
    choices: tuple[str, ...]
    group_rank: int
    sibling_schools: frozenset[str]
    lat: float
    lon: float


@dataclass(frozen=True, slots=True)
class Rules:
    """The season's published random seed and the order of the tie-breaks."""

    seed: str
    tie_breaks: tuple[str, ...] = TIE_BREAKS
    nearest_fallback: bool = True


@dataclass(frozen=True, slots=True)
class Placement:
    """Where an applicant was placed; `choice_rank` is 1-based in the list as they filed it."""

    applicant: str
    offer: str | None
    choice_rank: int | None
    fallback: bool


@dataclass(frozen=True, slots=True)
class ChoiceOutcome:
    """Why a choice ranked above the placement was not given: its places and who came first."""

    offer: str
    rank: int
    capacity: int
    ranked_by: int
    ahead: int


@dataclass(frozen=True, slots=True)
class OfferStat:
    """Demand and result at one offer. `placed` includes the fallback placements;
    `last_admitted_priority` is that of the last child admitted through their choices."""

    capacity: int
    ranked_by: int
    first_choice_of: int
    placed: int
    placed_fallback: int
    last_admitted_priority: tuple[int, ...] | None


class Result:
    """Placements for every applicant, per-offer figures, and each applicant's outcomes."""

    __slots__ = ("_choices", "_index", "_offers", "_ranked_by", "offer_stats", "placements")

    def __init__(
        self,
        *,
        placements: dict[str, Placement],
        offer_stats: dict[str, OfferStat],
        offers: list[Offer],
        ranked_by: list[int],
        index: dict[str, int],
        choices: list[tuple[list[int], list[int], list[int]]],
    ) -> None:
        self.placements = placements
        self.offer_stats = offer_stats
        self._offers = offers
        self._ranked_by = ranked_by
        self._index = index
        self._choices = choices

    def outcomes(self, applicant_key: str) -> list[ChoiceOutcome]:
        """The valid choices ranked above the placement (all of them when none was given)."""
        placement = self.placements[applicant_key]
        above = placement.choice_rank if placement.choice_rank is not None else math.inf
        offer_indexes, ranks, aheads = self._choices[self._index[applicant_key]]
        found = []
        for j, rank, ahead in zip(offer_indexes, ranks, aheads, strict=True):
            if rank >= above:
                break
            offer = self._offers[j]
            found.append(
                ChoiceOutcome(
                    offer=offer.key,
                    rank=rank,
                    capacity=offer.capacity,
                    ranked_by=self._ranked_by[j],
                    ahead=ahead,
                )
            )
        return found


def lottery_number(seed: str, applicant_key: str) -> int:
    """The first 8 bytes of sha256 of "<seed>:<applicant key>" (UTF-8), as an unsigned
    big-endian integer: a family can check their own number."""
    digest = hashlib.sha256(f"{seed}:{applicant_key}".encode()).digest()
    return int.from_bytes(digest[:8], "big")


def _haversine_m(
    phi1: float, cos1: float, lam1: float, phi2: float, cos2: float, lam2: float
) -> int:
    # Angles in radians, cosines precomputed: the bulk paths call this with cached values and
    # must reach the same integer as distance_m.
    h = math.sin((phi2 - phi1) / 2) ** 2 + cos1 * cos2 * math.sin((lam2 - lam1) / 2) ** 2
    return round(2 * EARTH_RADIUS_M * math.asin(math.sqrt(min(1.0, h))))


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> int:
    """Great-circle (haversine) distance in whole metres on a sphere of radius 6,371,000 m."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    return _haversine_m(
        phi1, math.cos(phi1), math.radians(lon1), phi2, math.cos(phi2), math.radians(lon2)
    )


def _key_order(key: str) -> int:
    # Injective, so no two applicants ever tie; among keys of one length (filing numbers) it is
    # the keys' own order.
    return int.from_bytes(b"\x01" + key.encode(), "big")


def priority(applicant: Applicant, offer: Offer, rules: Rules) -> tuple[int, ...]:
    """The applicant's priority at the offer (smaller is served first), by the rules' tie-breaks
    in order, ending with an order derived from the applicant's key."""
    parts: list[int] = []
    for name in rules.tie_breaks:
        if name == "priority_group":
            parts.append(applicant.group_rank)
        elif name == "sibling":
            parts.append(0 if offer.school in applicant.sibling_schools else 1)
        elif name == "distance":
            parts.append(distance_m(applicant.lat, applicant.lon, offer.lat, offer.lon))
        elif name == "lottery":
            parts.append(lottery_number(rules.seed, applicant.key))
        else:
            raise ValueError(f"unknown tie-break {name!r}")
    parts.append(_key_order(applicant.key))
    return tuple(parts)


def _check(offers: list[Offer], applicants: list[Applicant], rules: Rules) -> None:
    unknown = set(rules.tie_breaks) - set(TIE_BREAKS)
    if unknown or len(set(rules.tie_breaks)) != len(rules.tie_breaks):
        raise ValueError(f"tie-breaks must be distinct names from {TIE_BREAKS}")
    offer_keys = [offer.key for offer in offers]
    applicant_keys = [applicant.key for applicant in applicants]
    for keys, what in ((offer_keys, "offer"), (applicant_keys, "applicant")):
        for before, after in pairwise(keys):
            if before == after:
                raise ValueError(f"duplicate {what} key {before!r}")
    for offer in offers:
        if offer.capacity < 0:
            raise ValueError(f"offer {offer.key!r} has a negative capacity")


def _priority_builder(
    rules: Rules,
) -> Callable[[tuple[int, int, int, int, int]], tuple[int, ...]]:
    # Picks (group, sibling, distance, lottery, key order) in the rules' order: the same tuple
    # priority() builds, without its per-call loop over the names.
    positions = [TIE_BREAKS.index(name) for name in rules.tie_breaks]
    if not positions:
        return lambda values: (values[4],)
    return itemgetter(*positions, 4)


Choices = list[tuple[list[int], list[int], list[int]]]  # per applicant: offers, ranks, aheads


@dataclass(frozen=True, slots=True)
class _Places:
    """The offers in key order, with their positions in radians for the haversine."""

    offers: list[Offer]
    index: dict[str, int]
    phi: list[float]
    cos: list[float]
    lam: list[float]

    @classmethod
    def of(cls, offers: list[Offer]) -> _Places:
        phi = [math.radians(offer.lat) for offer in offers]
        return cls(
            offers=offers,
            index={offer.key: j for j, offer in enumerate(offers)},
            phi=phi,
            cos=[math.cos(value) for value in phi],
            lam=[math.radians(offer.lon) for offer in offers],
        )


def allocate(offers: Iterable[Offer], applicants: Iterable[Applicant], rules: Rules) -> Result:
    """Student-proposing deferred acceptance over the ranked choices, then (if the rules say so)
    the nearest offer with a free place for those left, in order of group, lottery and key."""
    offer_list = sorted(offers, key=attrgetter("key"))
    applicant_list = sorted(applicants, key=attrgetter("key"))
    _check(offer_list, applicant_list, rules)
    places = _Places.of(offer_list)
    lotteries = [lottery_number(rules.seed, applicant.key) for applicant in applicant_list]
    choices, order = _ranked(applicant_list, places, lotteries, rules)
    held = _deferred_acceptance(choices, order, [offer.capacity for offer in offer_list])
    placed_at: list[int | None] = [None] * len(applicant_list)
    for j, heap in enumerate(held):
        for negative in heap:
            placed_at[order[j][-negative]] = j
    fallback_at: dict[int, int] = {}
    if rules.nearest_fallback:
        fallback_at = _nearest_fallback(
            applicant_list,
            offer_list,
            placed_at,
            held,
            lotteries,
            places.phi,
            places.cos,
            places.lam,
        )
    return Result(
        placements=_placements(applicant_list, offer_list, choices, placed_at, fallback_at),
        offer_stats=_offer_stats(applicant_list, places, choices, order, held, fallback_at, rules),
        offers=offer_list,
        ranked_by=[len(ranked) for ranked in order],
        index={applicant.key: i for i, applicant in enumerate(applicant_list)},
        choices=choices,
    )


def _ranked(
    applicants: list[Applicant], places: _Places, lotteries: list[int], rules: Rules
) -> tuple[Choices, list[list[int]]]:
    """Each applicant's valid choices (offer, rank as filed, how many are ahead there), and per
    offer everyone who ranked it in priority order (`order[j][ahead]`)."""
    build = _priority_builder(rules)
    wants_distance = "distance" in rules.tie_breaks
    # Per offer, (priority, applicant, slot in the applicant's valid choices) of all who ranked it.
    rankers: list[list[tuple[tuple[int, ...], int, int]]] = [[] for _ in places.offers]
    choices: Choices = []
    for i, applicant in enumerate(applicants):
        offer_indexes: list[int] = []
        ranks: list[int] = []
        seen: set[str] = set()
        phi = math.radians(applicant.lat)
        cos, lam = math.cos(phi), math.radians(applicant.lon)
        head = (applicant.group_rank, lotteries[i], _key_order(applicant.key))
        for rank, key in enumerate(applicant.choices, start=1):
            j = places.index.get(key)
            if key in seen or j is None or places.offers[j].grade != applicant.grade:
                seen.add(key)
                continue
            seen.add(key)
            distance = (
                _haversine_m(phi, cos, lam, places.phi[j], places.cos[j], places.lam[j])
                if wants_distance
                else 0
            )
            sibling = 0 if places.offers[j].school in applicant.sibling_schools else 1
            values = (head[0], sibling, distance, head[1], head[2])
            rankers[j].append((build(values), i, len(offer_indexes)))
            offer_indexes.append(j)
            ranks.append(rank)
        choices.append((offer_indexes, ranks, [0] * len(offer_indexes)))
    order: list[list[int]] = []
    for ranked in rankers:
        ranked.sort()
        order.append([i for _, i, _ in ranked])
        for ahead, (_, i, slot) in enumerate(ranked):
            choices[i][2][slot] = ahead
        ranked.clear()
    return choices, order


def _placements(
    applicants: list[Applicant],
    offers: list[Offer],
    choices: Choices,
    placed_at: list[int | None],
    fallback_at: dict[int, int],
) -> dict[str, Placement]:
    placements: dict[str, Placement] = {}
    for i, applicant in enumerate(applicants):
        j = placed_at[i]
        if j is not None:
            rank = choices[i][1][choices[i][0].index(j)]
            placements[applicant.key] = Placement(applicant.key, offers[j].key, rank, False)
        elif i in fallback_at:
            offer = offers[fallback_at[i]].key
            placements[applicant.key] = Placement(applicant.key, offer, None, fallback=True)
        else:
            placements[applicant.key] = Placement(applicant.key, None, None, fallback=False)
    return placements


def _offer_stats(
    applicants: list[Applicant],
    places: _Places,
    choices: Choices,
    order: list[list[int]],
    held: list[list[int]],
    fallback_at: dict[int, int],
    rules: Rules,
) -> dict[str, OfferStat]:
    first_choice_of = [0] * len(places.offers)
    for offer_indexes, ranks, _ in choices:
        if ranks and ranks[0] == 1:
            first_choice_of[offer_indexes[0]] += 1
    placed_fallback = [0] * len(places.offers)
    for j in fallback_at.values():
        placed_fallback[j] += 1
    stats = {}
    for j, offer in enumerate(places.offers):
        last = priority(applicants[order[j][-held[j][0]]], offer, rules) if held[j] else None
        stats[offer.key] = OfferStat(
            capacity=offer.capacity,
            ranked_by=len(order[j]),
            first_choice_of=first_choice_of[j],
            placed=len(held[j]) + placed_fallback[j],
            placed_fallback=placed_fallback[j],
            last_admitted_priority=last,
        )
    return stats


def _deferred_acceptance(
    choices: list[tuple[list[int], list[int], list[int]]],
    order: list[list[int]],
    capacity: list[int],
) -> list[list[int]]:
    # Each offer holds a max-heap of the negated "ahead" of its holders, so heap[0] is the worst
    # one held; order[j] turns an "ahead" back into the applicant.
    held: list[list[int]] = [[] for _ in capacity]
    proposed = [0] * len(choices)
    free = list(range(len(choices) - 1, -1, -1))
    while free:
        i = free.pop()
        offer_indexes, _, aheads = choices[i]
        k = proposed[i]
        while k < len(offer_indexes):
            j, ahead = offer_indexes[k], aheads[k]
            k += 1
            heap = held[j]
            if len(heap) < capacity[j]:
                heappush(heap, -ahead)
                break
            if heap and -heap[0] > ahead:
                free.append(order[j][-heapreplace(heap, -ahead)])
                break
        proposed[i] = k
    return held


def _nearest_fallback(
    applicants: list[Applicant],
    offers: list[Offer],
    placed_at: list[int | None],
    held: list[list[int]],
    lotteries: list[int],
    offer_phi: list[float],
    offer_cos: list[float],
    offer_lam: list[float],
) -> dict[int, int]:
    free = [offer.capacity - len(heap) for offer, heap in zip(offers, held, strict=True)]
    open_by_grade: dict[str, list[int]] = {}
    for j, offer in enumerate(offers):
        if free[j] > 0:
            open_by_grade.setdefault(offer.grade, []).append(j)
    waiting = [i for i, j in enumerate(placed_at) if j is None]
    waiting.sort(key=lambda i: (applicants[i].group_rank, lotteries[i], applicants[i].key))
    given: dict[int, int] = {}
    for i in waiting:
        applicant = applicants[i]
        candidates = [j for j in open_by_grade.get(applicant.grade, ()) if free[j] > 0]
        if not candidates:
            continue
        open_by_grade[applicant.grade] = candidates
        phi = math.radians(applicant.lat)
        cos, lam = math.cos(phi), math.radians(applicant.lon)
        # Offers are in key order, so min() keeps the smallest key among equal distances.
        nearest = min(
            candidates,
            key=lambda j: _haversine_m(phi, cos, lam, offer_phi[j], offer_cos[j], offer_lam[j]),
        )
        free[nearest] -= 1
        given[i] = nearest
    return given


def _canonical(document: Any) -> bytes:
    return json.dumps(
        document, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode()


def sha256_hex(data: bytes) -> str:
    """The SHA-256 of a document, in hexadecimal, as published."""
    return hashlib.sha256(data).hexdigest()


def inputs_document(
    offers: Iterable[Offer], applicants: Iterable[Applicant], rules: Rules
) -> bytes:
    """Canonical JSON of an allocation's inputs (lists in key order, floats as given)."""
    return _canonical(
        {
            "format": DOCUMENT_FORMAT,
            "rules": {
                "seed": rules.seed,
                "tie_breaks": list(rules.tie_breaks),
                "nearest_fallback": rules.nearest_fallback,
            },
            "offers": [
                {
                    "key": offer.key,
                    "school": offer.school,
                    "grade": offer.grade,
                    "capacity": offer.capacity,
                    "lat": offer.lat,
                    "lon": offer.lon,
                }
                for offer in sorted(offers, key=attrgetter("key"))
            ],
            "applicants": [
                {
                    "key": applicant.key,
                    "grade": applicant.grade,
                    "choices": list(applicant.choices),
                    "group_rank": applicant.group_rank,
                    "sibling_schools": sorted(applicant.sibling_schools),
                    "lat": applicant.lat,
                    "lon": applicant.lon,
                }
                for applicant in sorted(applicants, key=attrgetter("key"))
            ],
        }
    )


def outputs_document(result: Result) -> bytes:
    """Canonical JSON of an allocation's placements and per-offer figures."""
    return _canonical(
        {
            "format": DOCUMENT_FORMAT,
            "placements": [
                {
                    "applicant": placement.applicant,
                    "offer": placement.offer,
                    "choice_rank": placement.choice_rank,
                    "fallback": placement.fallback,
                }
                for _, placement in sorted(result.placements.items())
            ],
            "offers": [
                {
                    "key": key,
                    "capacity": stat.capacity,
                    "ranked_by": stat.ranked_by,
                    "first_choice_of": stat.first_choice_of,
                    "placed": stat.placed,
                    "placed_fallback": stat.placed_fallback,
                    "last_admitted_priority": (
                        None
                        if stat.last_admitted_priority is None
                        else list(stat.last_admitted_priority)
                    ),
                }
                for key, stat in sorted(result.offer_stats.items())
            ],
        }
    )


def load_inputs(data: bytes) -> tuple[list[Offer], list[Applicant], Rules]:
    """The offers, applicants and rules of an inputs document, values kept exactly as written
    (a coordinate written 4 stays the integer 4, so the document re-serialises byte for byte)."""
    document = json.loads(data)
    if not isinstance(document, dict) or document.get("format") != DOCUMENT_FORMAT:
        raise ValueError(f"not a {DOCUMENT_FORMAT} inputs document")
    rules = document["rules"]
    offers = [
        Offer(
            key=_field(item, "key", str),
            school=_field(item, "school", str),
            grade=_field(item, "grade", str),
            capacity=_field(item, "capacity", int),
            lat=_field(item, "lat", (int, float)),
            lon=_field(item, "lon", (int, float)),
        )
        for item in document["offers"]
    ]
    applicants = [
        Applicant(
            key=_field(item, "key", str),
            grade=_field(item, "grade", str),
            choices=_strings(item, "choices"),
            group_rank=_field(item, "group_rank", int),
            sibling_schools=frozenset(_strings(item, "sibling_schools")),
            lat=_field(item, "lat", (int, float)),
            lon=_field(item, "lon", (int, float)),
        )
        for item in document["applicants"]
    ]
    return (
        offers,
        applicants,
        Rules(
            seed=_field(rules, "seed", str),
            tie_breaks=_strings(rules, "tie_breaks"),
            nearest_fallback=_field(rules, "nearest_fallback", bool),
        ),
    )


def _field(item: dict[str, Any], name: str, kind: type | tuple[type, ...]) -> Any:
    # JSON's true and false load as bools, which Python also counts as ints.
    value = item[name]
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
        raise ValueError(f"{name} of {item.get('key', 'the rules')!r} has the wrong type")
    return value


def _strings(item: dict[str, Any], name: str) -> tuple[str, ...]:
    values = _field(item, name, list)
    if not all(isinstance(value, str) for value in values):
        raise ValueError(f"{name} of {item.get('key', 'the rules')!r} must be strings")
    return tuple(values)
