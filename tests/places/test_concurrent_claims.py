"""Stage 2 is exact under concurrency (issue 18, acceptance): 300 families racing for the last 5
places of a grade get exactly 5 places and 295 clear refusals, on PostgreSQL and on SQLite,
because one conditional UPDATE on the offer's count (with a CHECK behind it) decides, not a read
followed by a write. A family that clicks twice at once gets one place."""

from __future__ import annotations

from collections import Counter

import pytest
from django.db import connection

from tests.appointments.test_concurrent_booking import race, wide_pool  # noqa: F401
from tests.places.conftest import STAGE2_DAY, apply
from ventanilla.core import clock
from ventanilla.places.assignments import place_claim
from ventanilla.places.models import Application, Assignment, Offer, Season
from ventanilla.places.services import PlaceError

pytestmark = pytest.mark.django_db(transaction=True)

FAMILIES = 300
PLACES = 5


def refusals(errors: list[BaseException]) -> Counter[str]:
    unexpected = [e for e in errors if not isinstance(e, PlaceError)]
    assert not unexpected, f"{len(unexpected)} unexpected errors, first: {unexpected[0]!r}"
    return Counter(e.code for e in errors if isinstance(e, PlaceError))


def test_300_families_for_the_last_5_places_get_5_and_295_clear_refusals(season: Season) -> None:
    last = Offer.objects.create(
        season=season,
        point=Offer.objects.get(point__code="COL-E", grade="primero").point,
        grade="primero",
        shift="tarde",
        capacity=PLACES + 30,
        continuing=30,
    )
    with clock.frozen(STAGE2_DAY):
        applications = [
            Application.objects.get(case=apply(season.service, f"{1_050_000_000 + i}").case)
            for i in range(FAMILIES)
        ]
        calls = [
            (lambda a=a: place_claim(application=a, offer=last, actor=None)) for a in applications
        ]
        given, errors = race(calls)
    assert len(given) == PLACES, connection.vendor
    assert refusals(errors) == {"full": FAMILIES - PLACES}
    assert all("último cupo" in e.message for e in errors if isinstance(e, PlaceError))
    last.refresh_from_db()
    assert last.taken == PLACES == last.offered
    assert Assignment.objects.filter(offer=last, state=Assignment.State.OFFERED).count() == PLACES
    assert len({a.application_id for a in given}) == PLACES


def test_a_family_clicking_twice_at_once_gets_one_place(season: Season) -> None:
    offers = list(Offer.objects.filter(season=season, grade="primero", shift="manana"))
    with clock.frozen(STAGE2_DAY):
        application = Application.objects.get(case=apply(season.service).case)
        calls = [
            (lambda o=o: place_claim(application=application, offer=o, actor=None))
            for o in offers * 4
        ]
        given, errors = race(calls)
    assert len(given) == 1
    assert set(refusals(errors)) == {"has_place"}
    # The places the refused clicks took for a moment went back with their transactions.
    taken = sum(Offer.objects.filter(pk__in=[o.pk for o in offers]).values_list("taken", flat=True))
    assert taken == 1
