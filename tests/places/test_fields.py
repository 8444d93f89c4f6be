"""The application's own questions: the ranked schools list the places of the grade asked
before, nearest the home first, in a few queries; answers read back as school names."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.places.conftest import answers
from ventanilla.catalog import formkit
from ventanilla.catalog.fields import FieldContext
from ventanilla.places.models import Season

pytestmark = pytest.mark.django_db


def section(season: Season, key: str) -> Any:
    definition = season.service.versions.get().parsed
    return next(s for s in definition.form.sections if s.key == key)


def test_the_ranked_schools_are_those_of_the_grade_nearest_home_first(
    season: Season, now: Any
) -> None:
    given = answers(home=(4.6401, -74.1401))  # beside Colegio Castilla
    context = FieldContext(answers=given, service_id=season.service_id)
    with CaptureQueriesContext(connection) as queries:
        form = formkit.section_form(section(season, "colegios"), context=context)
    first = form.fields["colegios__1"]
    labels = [label for value, label in first.choices if value]  # type: ignore[attr-defined]
    assert labels[0] == "Colegio Castilla · Mañana · 0,0 km"
    assert "Colegio Alameda · Tarde" in " ".join(labels)
    assert len(labels) == 6  # five schools teach primero in the morning, one in the afternoon
    assert len(form.fields) >= 10  # ten choices, and the priority group
    assert len(queries) <= 8, [q["sql"] for q in queries]


def test_without_a_grade_or_a_season_the_list_is_empty(season: Season, now: Any) -> None:
    context = FieldContext(answers={}, service_id=season.service_id)
    form = formkit.section_form(section(season, "colegios"), context=context)
    assert [v for v, _label in form.fields["colegios__1"].choices if v] == []  # type: ignore[attr-defined]


def test_ranked_schools_read_as_names_in_order(season: Season, now: Any) -> None:
    definition = season.service.versions.get().parsed
    field = next(f for f in definition.form.fields if f.key == "colegios")
    text = formkit.answer_text(field, ["COL-B:manana", "COL-A:tarde"])
    assert text == "1. Colegio Britalia, jornada mañana; 2. Colegio Alameda, jornada tarde"
