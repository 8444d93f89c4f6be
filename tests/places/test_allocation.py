"""Worked examples of the school-place allocation, with the expected placements written by hand."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import pytest

from ventanilla.places.allocation import (
    NO_GROUP,
    Applicant,
    ChoiceOutcome,
    Offer,
    Rules,
    allocate,
    distance_m,
    inputs_document,
    load_inputs,
    lottery_number,
    outputs_document,
    priority,
    sha256_hex,
)

SEED = "9f86d081884c7d65"
LON = -74.1
# Along one meridian 0.001 degrees of latitude is 111 m, so distances read off the latitudes.
HOME = 4.600


def offer(key: str, *, capacity: int = 1, lat: float = HOME, grade: str = "primero") -> Offer:
    return Offer(key=f"{key}/{grade}", school=key, grade=grade, capacity=capacity, lat=lat, lon=LON)


def child(
    number: int,
    *choices: str,
    group: int = NO_GROUP,
    siblings: tuple[str, ...] = (),
    lat: float = HOME,
    grade: str = "primero",
) -> Applicant:
    return Applicant(
        key=f"SED-2027-{number:06d}",
        grade=grade,
        choices=choices,
        group_rank=group,
        sibling_schools=frozenset(siblings),
        lat=lat,
        lon=LON,
    )


@dataclass
class Case:
    offers: list[Offer]
    applicants: list[Applicant]
    # applicant number -> (offer key or None, choice rank or None, fallback)
    expected: dict[int, tuple[str | None, int | None, bool]]
    rules: Rules = field(default_factory=lambda: Rules(seed=SEED))


CASES = {
    # One place at school A: the priority group (3) beats the sibling (1), who beats the nearest
    # (2, who lives at the school's door).
    "group beats sibling beats distance": Case(
        offers=[offer("A", lat=4.600)],
        applicants=[
            child(1, "A/primero", siblings=("A",), lat=4.650),
            child(2, "A/primero", lat=4.600),
            child(3, "A/primero", group=0, lat=4.700),
        ],
        expected={1: (None, None, False), 2: (None, None, False), 3: ("A/primero", 1, False)},
    ),
    "two places: the group, then the sibling": Case(
        offers=[offer("A", capacity=2)],
        applicants=[
            child(1, "A/primero", siblings=("A",), lat=4.650),
            child(2, "A/primero", lat=4.600),
            child(3, "A/primero", group=0, lat=4.700),
        ],
        expected={1: ("A/primero", 1, False), 2: (None, None, False), 3: ("A/primero", 1, False)},
    ),
    # Same group, no siblings, same home: the lottery decides, and number 2 drew the smaller
    # number (see test_lottery_numbers_of_the_tie), although its key comes second.
    "the lottery decides an exact tie": Case(
        offers=[offer("A")],
        applicants=[child(1, "A/primero", lat=4.61), child(2, "A/primero", lat=4.61)],
        expected={1: (None, None, False), 2: ("A/primero", 1, False)},
    ),
    # Number 2 asked for A twice: the repeat is ignored, so B is still their 3rd line.
    "a duplicate choice is ignored": Case(
        offers=[offer("A"), offer("B")],
        applicants=[
            child(1, "A/primero", group=0),
            child(2, "A/primero", "A/primero", "B/primero"),
        ],
        expected={1: ("A/primero", 1, False), 2: ("B/primero", 3, False)},
    ),
    # A has room for a second-grader only; the first-grader's 2nd line, B, is where they go.
    "a choice of another grade is skipped": Case(
        offers=[offer("A", grade="segundo", capacity=5), offer("B")],
        applicants=[child(1, "A/segundo", "B/primero", "NOPE/primero")],
        expected={1: ("B/primero", 2, False)},
    ),
    "an offer of capacity 0 takes nobody": Case(
        offers=[offer("Z", capacity=0), offer("A")],
        applicants=[child(1, "Z/primero", "A/primero", group=0)],
        expected={1: ("A/primero", 2, False)},
    ),
    # Number 2 ranked only the full school A: the nearest school of the grade with a free place is
    # C (222 m) rather than B (1.1 km); D is nearer still but of another grade.
    "nobody left without a place: the nearest free one": Case(
        offers=[
            offer("A", lat=4.600),
            offer("B", lat=4.610),
            offer("C", lat=4.598),
            offer("D", lat=4.600, grade="segundo"),
        ],
        applicants=[child(1, "A/primero", group=0), child(2, "A/primero", lat=4.600)],
        expected={1: ("A/primero", 1, False), 2: ("C/primero", None, True)},
    ),
    # The fallback serves the priority group first: one free place at C, wanted by 1 and 2.
    "fallback in order of group": Case(
        offers=[offer("A", capacity=0), offer("C", lat=4.700)],
        applicants=[child(1, "A/primero"), child(2, "A/primero", group=1)],
        expected={1: (None, None, False), 2: ("C/primero", None, True)},
    ),
    "no fallback when the rules say so": Case(
        offers=[offer("A", capacity=0), offer("C")],
        applicants=[child(1, "A/primero")],
        expected={1: (None, None, False)},
        rules=Rules(seed=SEED, nearest_fallback=False),
    ),
    # Number 1 proposes to X first and is held; 3 (priority group) then takes X, so 1 moves to
    # Y, where their sibling puts them before 2, who was holding Y and is left out.
    "deferred acceptance: displaced, then displacing": Case(
        offers=[offer("X"), offer("Y")],
        applicants=[
            child(1, "X/primero", "Y/primero", siblings=("Y",)),
            child(2, "Y/primero"),
            child(3, "X/primero", group=0),
        ],
        expected={1: ("Y/primero", 2, False), 2: (None, None, False), 3: ("X/primero", 1, False)},
        rules=Rules(seed=SEED, nearest_fallback=False),
    ),
    # Only distance counts: the nearer child wins although the other is in the priority group.
    "tie-breaks in another order": Case(
        offers=[offer("A", lat=4.600)],
        applicants=[child(1, "A/primero", group=0, lat=4.700), child(2, "A/primero", lat=4.601)],
        expected={1: (None, None, False), 2: ("A/primero", 1, False)},
        rules=Rules(seed=SEED, tie_breaks=("distance", "priority_group")),
    ),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_worked_placements(case: Case) -> None:
    result = allocate(case.offers, case.applicants, case.rules)

    got = {
        int(key.rsplit("-", 1)[1]): (placement.offer, placement.choice_rank, placement.fallback)
        for key, placement in result.placements.items()
    }
    assert got == case.expected


def test_lottery_numbers_of_the_tie() -> None:
    assert lottery_number(SEED, "SED-2027-000001") == 6887157551645826539
    assert lottery_number(SEED, "SED-2027-000002") == 313859141072495059


def test_distance_in_whole_metres() -> None:
    # One degree of a great circle of radius 6,371 km is 111,194.9 m.
    assert distance_m(0.0, 0.0, 1.0, 0.0) == 111_195
    assert distance_m(4.6, LON, 4.6, LON) == 0
    assert distance_m(4.6, LON, 4.601, LON) == 111


def test_priority_follows_the_tie_breaks_in_order() -> None:
    school = offer("A", lat=4.600)
    sibling = child(7, "A/primero", group=2, siblings=("A",), lat=4.610)
    lottery = lottery_number(SEED, sibling.key)

    default = priority(sibling, school, Rules(seed=SEED))
    reordered = priority(sibling, school, Rules(seed=SEED, tie_breaks=("lottery", "sibling")))

    assert default[:4] == (2, 0, 1112, lottery)
    assert reordered[:2] == (lottery, 0)
    assert len(reordered) == 3


def test_duplicates_count_once_in_the_offer_figures() -> None:
    case = CASES["a duplicate choice is ignored"]
    result = allocate(case.offers, case.applicants, case.rules)

    stat = result.offer_stats["A/primero"]
    assert (stat.capacity, stat.ranked_by, stat.first_choice_of, stat.placed) == (1, 2, 2, 1)
    assert result.offer_stats["B/primero"].ranked_by == 1


def test_what_a_family_is_told() -> None:
    # A has 2 places and 4 children ranked it; 1 (group 0) and 2 (sibling) come first, then 3
    # (nearer) and 4. Number 4 goes to their 3rd line, C, B being taken by 5 (group 1).
    offers = [offer("A", capacity=2), offer("B"), offer("C", capacity=3)]
    applicants = [
        child(1, "A/primero", group=0),
        child(2, "A/primero", siblings=("A",)),
        child(3, "A/primero", lat=4.601),
        child(4, "A/primero", "B/primero", "C/primero", lat=4.620),
        child(5, "B/primero", group=1),
    ]
    result = allocate(offers, applicants, Rules(seed=SEED))

    assert result.placements["SED-2027-000004"].offer == "C/primero"
    assert result.outcomes("SED-2027-000004") == [
        ChoiceOutcome(offer="A/primero", rank=1, capacity=2, ranked_by=4, ahead=3),
        ChoiceOutcome(offer="B/primero", rank=2, capacity=1, ranked_by=2, ahead=1),
    ]
    # Number 3 got no choice of theirs: every one is explained, then the nearest free place.
    assert result.placements["SED-2027-000003"].fallback
    assert result.outcomes("SED-2027-000003") == [
        ChoiceOutcome(offer="A/primero", rank=1, capacity=2, ranked_by=4, ahead=2)
    ]
    assert result.outcomes("SED-2027-000001") == []
    stat = result.offer_stats["C/primero"]
    assert (stat.placed, stat.placed_fallback) == (2, 1)


def test_a_published_allocation_can_be_rerun_byte_for_byte() -> None:
    offers = [offer(code, capacity=2, lat=4.60 + n / 100) for n, code in enumerate("ABCD")]
    applicants = [
        child(n, *(f"{code}/primero" for code in "ABCD"[n % 3 :]), lat=4.60 + n / 300)
        for n in range(1, 13)
    ]
    rules = Rules(seed=SEED, tie_breaks=("lottery",))
    published = outputs_document(allocate(offers, applicants, rules))

    inputs = inputs_document(offers, applicants, rules)
    rerun = outputs_document(allocate(*load_inputs(inputs)))
    reseeded = outputs_document(
        allocate(offers, applicants, Rules(seed="1", tie_breaks=("lottery",)))
    )

    assert rerun == published
    assert inputs_document(*load_inputs(inputs)) == inputs
    assert sha256_hex(reseeded) != sha256_hex(published)
    assert sha256_hex(published) == sha256_hex(rerun)


def test_inputs_with_a_repeated_key_are_refused() -> None:
    with pytest.raises(ValueError, match="duplicate applicant"):
        allocate([offer("A")], [child(1, "A/primero"), child(1)], Rules(seed=SEED))


@pytest.mark.parametrize(
    ("field", "value"),
    [("capacity", "2"), ("capacity", True), ("lat", None), ("choices", [1])],
)
def test_a_malformed_inputs_document_is_refused(field: str, value: object) -> None:
    inputs = json.loads(inputs_document([offer("A")], [child(1, "A/primero")], Rules(seed=SEED)))
    item = inputs["applicants"][0] if field == "choices" else inputs["offers"][0]
    item[field] = value

    with pytest.raises(ValueError, match=field):
        load_inputs(json.dumps(inputs).encode())
