"""Properties of the school-place allocation over random small markets."""

from __future__ import annotations

import itertools
import random
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from ventanilla.places.allocation import (
    NO_GROUP,
    TIE_BREAKS,
    Applicant,
    Offer,
    Result,
    Rules,
    allocate,
    distance_m,
    lottery_number,
    outputs_document,
    priority,
)

GRADES = ("primero", "segundo")
# Few distinct coordinates, so distances tie often and the later tie-breaks get exercised.
LATITUDES = st.integers(0, 12).map(lambda k: round(4.6 + k / 500, 3))
LONGITUDES = st.integers(0, 12).map(lambda k: round(-74.1 + k / 500, 3))

Market = tuple[list[Offer], list[Applicant], Rules]


@st.composite
def markets(
    draw: st.DrawFn,
    *,
    max_offers: int = 8,
    max_applicants: int = 30,
    fallback: bool | None = None,
) -> Market:
    schools = [f"COL-{n}" for n in range(draw(st.integers(1, 4)))]
    offers = []
    for n in range(draw(st.integers(1, max_offers))):
        school = draw(st.sampled_from(schools))
        grade = draw(st.sampled_from(GRADES))
        offers.append(
            Offer(
                key=f"{school}/{grade}/{n}",
                school=school,
                grade=grade,
                capacity=draw(st.integers(0, 4)),
                lat=draw(LATITUDES),
                lon=draw(LONGITUDES),
            )
        )
    # An unknown key among the choices, and repeats, must be tolerated.
    keys = [offer.key for offer in offers] + ["COL-9/primero/9"]
    applicants = [
        Applicant(
            key=f"SED-2027-{n:06d}",
            grade=draw(st.sampled_from(GRADES)),
            choices=tuple(draw(st.lists(st.sampled_from(keys), max_size=5))),
            group_rank=draw(st.sampled_from((0, 1, 2, NO_GROUP, NO_GROUP, NO_GROUP))),
            sibling_schools=draw(st.frozensets(st.sampled_from(schools), max_size=2)),
            lat=draw(LATITUDES),
            lon=draw(LONGITUDES),
        )
        for n in draw(st.lists(st.integers(1, 999), max_size=max_applicants, unique=True))
    ]
    order = draw(st.permutations(TIE_BREAKS))
    rules = Rules(
        seed=draw(st.sampled_from(("a1", "b2c3", "0"))),
        tie_breaks=tuple(order[: draw(st.integers(0, len(order)))]),
        nearest_fallback=draw(st.booleans()) if fallback is None else fallback,
    )
    return offers, applicants, rules


def valid_choices(applicant: Applicant, offers: list[Offer]) -> list[tuple[int, Offer]]:
    """(rank as filed, offer) of the choices that count: known, of their grade, first time."""
    by_key = {offer.key: offer for offer in offers}
    found: list[tuple[int, Offer]] = []
    for rank, key in enumerate(applicant.choices, start=1):
        offer = by_key.get(key)
        if offer and offer.grade == applicant.grade and key not in applicant.choices[: rank - 1]:
            found.append((rank, offer))
    return found


def filled(result: Result) -> Counter[str | None]:
    return Counter(placement.offer for placement in result.placements.values())


@settings(max_examples=300, deadline=None)
@given(markets())
def test_capacity_grade_and_choices_are_respected(market: Market) -> None:
    offers, applicants, rules = market
    result = allocate(offers, applicants, rules)
    by_key = {offer.key: offer for offer in offers}
    count = filled(result)

    assert set(result.placements) == {applicant.key for applicant in applicants}
    for offer in offers:
        assert count[offer.key] <= offer.capacity
        assert result.offer_stats[offer.key].placed == count[offer.key]
    for applicant in applicants:
        placement = result.placements[applicant.key]
        ranked = valid_choices(applicant, offers)
        if placement.offer is not None:
            assert by_key[placement.offer].grade == applicant.grade
        if placement.choice_rank is not None:
            assert not placement.fallback
            assert (placement.choice_rank, by_key[placement.offer or ""]) in ranked
        else:
            # Placed outside their list (or nowhere) only when every offer they ranked is full.
            assert all(count[offer.key] == offer.capacity for _, offer in ranked)
            assert placement.fallback == (placement.offer is not None)
            assert rules.nearest_fallback or not placement.fallback


@settings(max_examples=300, deadline=None)
@given(markets(fallback=True))
def test_fallback_gives_the_nearest_place_free_at_each_turn(market: Market) -> None:
    offers, applicants, rules = market
    result = allocate(offers, applicants, rules)
    placed_by_choice = Counter(
        placement.offer
        for placement in result.placements.values()
        if placement.choice_rank is not None
    )
    free = {offer.key: offer.capacity - placed_by_choice[offer.key] for offer in offers}
    waiting = sorted(
        (
            applicant
            for applicant in applicants
            if result.placements[applicant.key].choice_rank is None
        ),
        key=lambda a: (a.group_rank, lottery_number(rules.seed, a.key), a.key),
    )

    for applicant in waiting:
        open_offers = [
            offer for offer in offers if offer.grade == applicant.grade and free[offer.key] > 0
        ]
        nearest = min(
            open_offers,
            key=lambda o: (distance_m(applicant.lat, applicant.lon, o.lat, o.lon), o.key),
            default=None,
        )
        expected = nearest.key if nearest else None
        assert result.placements[applicant.key].offer == expected
        if nearest:
            free[nearest.key] -= 1


@settings(max_examples=300, deadline=None)
@given(markets())
def test_no_blocking_pair(market: Market) -> None:
    offers, applicants, rules = market
    result = allocate(offers, applicants, rules)
    holders: dict[str, list[Applicant]] = {offer.key: [] for offer in offers}
    for applicant in applicants:
        if (key := result.placements[applicant.key].offer) is not None:
            holders[key].append(applicant)

    for applicant in applicants:
        got = result.placements[applicant.key].choice_rank
        for rank, offer in valid_choices(applicant, offers):
            if got is not None and rank >= got:
                break
            mine = priority(applicant, offer, rules)
            assert len(holders[offer.key]) == offer.capacity
            assert all(priority(other, offer, rules) < mine for other in holders[offer.key])


@settings(max_examples=150, deadline=None)
@given(markets(), st.randoms(use_true_random=False))
def test_input_order_does_not_matter(market: Market, rng: random.Random) -> None:
    offers, applicants, rules = market
    shuffled_offers, shuffled_applicants = offers[:], applicants[:]
    rng.shuffle(shuffled_offers)
    rng.shuffle(shuffled_applicants)

    assert outputs_document(allocate(offers, applicants, rules)) == outputs_document(
        allocate(iter(shuffled_offers), iter(shuffled_applicants), rules)
    )


def stable_matchings(
    offers: list[Offer], applicants: list[Applicant], rules: Rules
) -> list[dict[str, int | None]]:
    """Every stable matching by brute force, as applicant key -> rank of the offer they get."""
    options = [[(None, None), *valid_choices(a, offers)] for a in applicants]
    found = []
    for matching in itertools.product(*options):
        count = Counter(offer.key for _, offer in matching if offer)
        if any(count[offer.key] > offer.capacity for offer in offers):
            continue
        blocked = False
        for applicant, (got, _) in zip(applicants, matching, strict=True):
            for rank, offer in valid_choices(applicant, offers):
                if got is not None and rank >= got:
                    break
                mine = priority(applicant, offer, rules)
                holders = [
                    other
                    for other, (_, held) in zip(applicants, matching, strict=True)
                    if held == offer
                ]
                if len(holders) < offer.capacity or any(
                    priority(other, offer, rules) > mine for other in holders
                ):
                    blocked = True
        if not blocked:
            found.append({a.key: got for a, (got, _) in zip(applicants, matching, strict=True)})
    return found


@settings(max_examples=150, deadline=None)
@given(markets(max_offers=3, max_applicants=5, fallback=False))
def test_every_child_does_at_least_as_well_as_in_any_stable_matching(market: Market) -> None:
    offers, applicants, rules = market
    result = allocate(offers, applicants, rules)
    got = {key: placement.choice_rank for key, placement in result.placements.items()}
    stable = stable_matchings(offers, applicants, rules)

    assert got in stable
    worst = 1_000  # unplaced ranks below every choice
    for matching in stable:
        for key, rank in matching.items():
            assert (got[key] or worst) <= (rank or worst)


@settings(max_examples=200, deadline=None)
@given(markets())
def test_outcomes_agree_with_a_direct_count(market: Market) -> None:
    offers, applicants, rules = market
    result = allocate(offers, applicants, rules)
    rankers = {
        offer.key: [a for a in applicants if offer in dict(valid_choices(a, offers)).values()]
        for offer in offers
    }

    for applicant in applicants:
        got = result.placements[applicant.key].choice_rank
        expected = []
        for rank, offer in valid_choices(applicant, offers):
            if got is not None and rank >= got:
                break
            mine = priority(applicant, offer, rules)
            ahead = sum(priority(other, offer, rules) < mine for other in rankers[offer.key])
            expected.append((offer.key, rank, offer.capacity, len(rankers[offer.key]), ahead))
        assert [
            (o.offer, o.rank, o.capacity, o.ranked_by, o.ahead)
            for o in result.outcomes(applicant.key)
        ] == expected
    for offer in offers:
        assert result.offer_stats[offer.key].ranked_by == len(rankers[offer.key])
