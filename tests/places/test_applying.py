"""Applying is filing a case of the season's service: the season's rules on top of the form's,
and one active application per student however the filings arrive."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from tests.places.conftest import NOW, STAGE2_DAY, apply
from ventanilla.cases.filing import FilingError
from ventanilla.cases.models import Case
from ventanilla.catalog.models import Service
from ventanilla.core import clock
from ventanilla.places.models import Application, Evidence, Season

pytestmark = pytest.mark.django_db


def test_an_application_keeps_the_student_the_home_and_the_ranked_schools(
    season: Season, now: Any
) -> None:
    filing = apply(season.service, group="victima")
    application = Application.objects.get(case=filing.case)
    assert (application.student_id_type, application.student_id_number) == ("TI", "1012345678")
    assert application.grade == "primero" and application.stage == 1
    assert application.home_located and application.home_latitude == pytest.approx(4.6285)
    assert application.group == "victima" and application.evidence == Evidence.PENDING
    ranked = [(c.rank, c.offer.point.code, c.offer.shift) for c in application.choices.all()]
    assert ranked == [(1, "COL-A", "manana"), (2, "COL-B", "manana"), (3, "COL-C", "manana")]


def test_a_second_application_for_the_same_student_is_refused_with_the_first_number(
    season: Season, now: Any
) -> None:
    first = apply(season.service)
    with pytest.raises(FilingError) as raised:
        apply(season.service, schools=("COL-B:manana", "COL-C:manana", "COL-D:manana"))
    message = " ".join(raised.value.errors["documento_estudiante_numero"])
    assert first.case.filing_number in message
    # Nothing of the refused filing is left: one case, one application.
    assert Case.objects.count() == 1 and Application.objects.count() == 1


def test_a_home_without_coordinates_stands_at_its_locality_centre(season: Season, now: Any) -> None:
    filing = apply(season.service, home=None)
    application = Application.objects.get(case=filing.case)
    assert not application.home_located
    # The centre of Kennedy's located schools in the fixture (four of them, plus none else).
    assert application.home_latitude == pytest.approx((4.6280 + 4.6300 + 4.6400 + 4.6200) / 4)


@pytest.mark.parametrize(
    ("options", "path", "words"),
    [
        ({"schools": ("COL-A:manana", "COL-B:manana")}, "colegios", "al menos 3"),
        (
            {"schools": ("COL-A:manana", "COL-B:manana", "COL-E:tarde")},
            "colegios",
            "COL-E:tarde",
        ),
        ({"grade": "prejardin", "schools": ()}, "grado", "Ningún colegio ofrece ese grado"),
        ({"grupo_prioritario": "influencia"}, "grupo_prioritario", "Elija"),
    ],
)
def test_the_season_refuses_what_its_rules_do_not_allow(
    season: Season, now: Any, options: dict[str, Any], path: str, words: str
) -> None:
    with pytest.raises(FilingError) as raised:
        apply(season.service, **options)
    assert words in " ".join(raised.value.errors[path])
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    ("when", "words"),
    [
        (datetime(2026, 11, 20, 9, 0, tzinfo=NOW.tzinfo), "abren el"),
        (datetime(2026, 12, 22, 9, 0, tzinfo=NOW.tzinfo), "La etapa 1 cerró"),
        (datetime(2027, 3, 1, 9, 0, tzinfo=NOW.tzinfo), "ya cerraron"),
    ],
)
def test_outside_its_stages_a_season_takes_no_applications(
    season: Season, when: datetime, words: str
) -> None:
    with clock.frozen(when), pytest.raises(FilingError) as raised:
        apply(season.service)
    assert words in " ".join(raised.value.errors["service"])


def test_in_stage_2_an_application_needs_no_ranked_schools(season: Season) -> None:
    with clock.frozen(STAGE2_DAY):
        filing = apply(season.service, schools=())
    application = Application.objects.get(case=filing.case)
    assert application.stage == 2 and not application.choices.exists()


def test_a_service_without_a_season_files_as_before(reference_service: Service, now: Any) -> None:
    filing = apply(reference_service, schools=())
    assert filing.case.pk and not Application.objects.exists()


def test_a_withdrawn_case_frees_the_student_to_apply_again(season: Season, now: Any) -> None:
    from ventanilla.cases.services import case_transition
    from ventanilla.cases.workflow import Actor

    first = apply(season.service)
    case_transition(case=first.case, action="desistir", actor=None, as_actor=Actor.GUEST)
    assert Application.objects.get(case=first.case).state == Application.State.WITHDRAWN
    second = apply(season.service)
    assert second.case.pk != first.case.pk
