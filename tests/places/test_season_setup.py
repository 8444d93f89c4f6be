"""Setting a season up: its rules as a versioned definition (valid, published before stage 1
opens, never changed afterwards) and its supply from the coverage office's CSV (all lines or
none, with a history, never below the places already given)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from tests import factories
from tests.places.conftest import BOGOTA, NOW, STAGE1_OPENS
from ventanilla.core import clock
from ventanilla.demo.places import rules_document, rules_yaml
from ventanilla.places.models import Offer, OfferChange, Season, SeasonRules
from ventanilla.places.rules import RulesProblem, parse_rules
from ventanilla.places.services import PlaceError, offer_update, offers_import, rules_publish

pytestmark = pytest.mark.django_db


def test_rules_that_make_no_sense_are_refused_with_where_and_why() -> None:
    document = rules_document(date(2027, 2, 1), school_year=2027)
    document["results_on"] = document["stage1"]["opens"]
    document["tie_breaks"] = ["lottery", "lottery"]
    with pytest.raises(RulesProblem) as raised:
        parse_rules(rules_yaml(document))
    assert any("stages must follow" in line for line in raised.value.lines)
    bad_order = rules_document(date(2027, 2, 1), school_year=2027)
    bad_order["tie_breaks"] = ["lottery", "coin"]
    with pytest.raises(RulesProblem) as raised:
        parse_rules(rules_yaml(bad_order))
    assert any(line.startswith("tie_breaks.1") for line in raised.value.lines)


def test_a_new_version_replaces_the_rules_only_before_stage_1_opens(season: Season) -> None:
    later = rules_document(STAGE1_OPENS + timedelta(days=7), school_year=2027)
    draft = SeasonRules.objects.create(season=season, number=2, text=rules_yaml(later))
    with clock.frozen(NOW), pytest.raises(PlaceError) as started:
        rules_publish(rules=draft, actor=None)
    assert started.value.code == "started"
    with clock.frozen(datetime(2026, 11, 10, 9, 0, tzinfo=BOGOTA)):
        published = rules_publish(rules=draft, actor=None)
    assert published.published_at is not None
    # The first version stays as it was published: a season's history of its rules.
    first = season.rules.get(number=1)
    assert first.published_at is not None and "2026-11-23" in first.text


CSV = """colegio,grado,jornada,cupos,antiguos
COL-A,transicion,manana,30,10
COL-B,primero,manana,40,35
"""


def test_the_csv_loads_all_lines_with_a_history(season: Season) -> None:
    official = factories.official(season.service.dependency)
    with clock.frozen(NOW):
        result = offers_import(season=season, text=CSV, actor=official)
    assert (result.created, result.updated, result.problems) == (0, 2, [])
    offer = Offer.objects.get(point__code="COL-A", grade="transicion", shift="manana")
    assert (offer.capacity, offer.continuing, offer.offered) == (30, 10, 20)
    change = OfferChange.objects.filter(offer=offer).get()
    assert (change.capacity_before, change.capacity_after, change.actor) == (4, 30, official)
    with clock.frozen(NOW):
        again = offers_import(season=season, text=CSV, actor=official)
    assert (again.updated, again.unchanged) == (0, 2)


def test_one_wrong_line_loads_nothing_and_says_which_and_why(season: Season) -> None:
    text = CSV + "COL-Z,primero,manana,10,0\nCOL-C,doctorado,noche,5,9\n"
    with clock.frozen(NOW):
        result = offers_import(season=season, text=text, actor=None)
    assert len(result.problems) == 2
    assert result.problems[0].startswith("Línea 4:") and "COL-Z" in result.problems[0]
    assert "doctorado" in result.problems[1] and "antiguos ≤ cupos" in result.problems[1]
    assert not Offer.objects.filter(capacity=30).exists()
    assert not OfferChange.objects.exists()


def test_places_cannot_fall_below_those_already_given(season: Season) -> None:
    offer = Offer.objects.get(point__code="COL-A", grade="primero", shift="manana")
    Offer.objects.filter(pk=offer.pk).update(taken=2)
    with clock.frozen(NOW):
        with pytest.raises(PlaceError) as raised:
            offer_update(offer=offer, capacity=3, continuing=2, actor=None)
        result = offers_import(
            season=season,
            text="colegio,grado,jornada,cupos,antiguos\nCOL-A,primero,manana,3,2\n",
            actor=None,
        )
    assert "2 cupos asignados" in raised.value.message
    assert result.problems and "ya hay 2 cupos asignados" in result.problems[0]
    offer.refresh_from_db()
    assert (offer.capacity, offer.continuing) == (4, 2)


def test_the_database_refuses_more_places_given_than_offered(season: Season) -> None:
    from django.db import IntegrityError, transaction

    offer = Offer.objects.get(point__code="COL-A", grade="primero", shift="manana")
    with pytest.raises(IntegrityError), transaction.atomic():
        Offer.objects.filter(pk=offer.pk).update(taken=3)
