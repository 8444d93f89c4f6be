"""What a family does with a place, and what happens when it does nothing: accept within five
business days, formalise with the documents within ten more, or the place is released by the
periodic task and offered again in stage 2."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from django.core import mail

from tests.places.conftest import ALLOCATION_DAY, BOGOTA, NOW, PDF, STAGE2_DAY, apply
from ventanilla.cases.uploads import Upload
from ventanilla.core import clock
from ventanilla.places.allocating import allocation_run, results_announce
from ventanilla.places.assignments import (
    assignment_accept,
    assignment_decline,
    assignment_formalise,
    assignments_release,
    place_claim,
)
from ventanilla.places.models import Application, Assignment, Offer, Season
from ventanilla.places.services import PlaceError

pytestmark = pytest.mark.django_db


def on(day: date, hour: int = 9) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=BOGOTA)


@pytest.fixture
def given(season: Season, django_capture_on_commit_callbacks: Any) -> Assignment:
    """A family's place from the real stage 1 run (22 Dec 2026), announced."""
    with clock.frozen(NOW):
        application = Application.objects.get(case=apply(season.service).case)
    with clock.frozen(ALLOCATION_DAY):
        allocation_run(season=season, dry_run=False, actor=None)
        with django_capture_on_commit_callbacks(execute=True):
            results_announce()
    return Assignment.objects.get(application=application)


def test_the_place_is_to_be_accepted_within_five_business_days(given: Assignment) -> None:
    # 22 Dec (Tue) + 5 business days: 23, 24, 28, 29, 30 (25 Dec is a holiday).
    assert given.accept_by == date(2026, 12, 30)


def test_accepting_starts_the_formalisation_term_and_the_route_says_so(given: Assignment) -> None:
    with clock.frozen(on(date(2026, 12, 28))):
        accepted = assignment_accept(assignment=given, actor=None)
    assert accepted.state == Assignment.State.ACCEPTED
    # 28 Dec + 10 business days, with 1 and 11 January (holidays) skipped.
    assert accepted.formalise_by == date(2027, 1, 13)
    route = given.application.case.timeline.filter(kind="place")
    assert list(route.values_list("data__what", flat=True)) == ["assigned", "accepted"]


def test_a_late_acceptance_is_refused_and_the_task_releases_the_place(
    given: Assignment, django_capture_on_commit_callbacks: Any
) -> None:
    with clock.frozen(on(date(2026, 12, 31))), pytest.raises(PlaceError) as late:
        assignment_accept(assignment=given, actor=None)
    assert late.value.code == "late"
    offer = Offer.objects.get(pk=given.offer_id)
    assert offer.taken == 1
    mail.outbox.clear()
    with clock.frozen(on(date(2026, 12, 31))), django_capture_on_commit_callbacks(execute=True):
        assert assignments_release() == 1
        assert assignments_release() == 0
    given.refresh_from_db()
    assert given.state == Assignment.State.RELEASED and "no se aceptó" in given.end_reason
    offer.refresh_from_db()
    assert offer.taken == 0
    assert any("Se liberó su cupo" in m.body for m in mail.outbox)


def test_a_released_place_can_be_taken_in_stage_2(given: Assignment, season: Season) -> None:
    with clock.frozen(on(date(2026, 12, 31))):
        assignments_release()
    with clock.frozen(STAGE2_DAY):
        other = Application.objects.get(case=apply(season.service, "1099999999", schools=()).case)
        taken = place_claim(application=other, offer=given.offer, actor=None)
    assert taken.stage == 2 and taken.state == Assignment.State.OFFERED


def test_formalising_needs_acceptance_then_keeps_the_documents_on_the_case(
    given: Assignment,
) -> None:
    documents = [Upload("matricula", "registro.pdf", PDF)]
    with clock.frozen(on(date(2026, 12, 28))):
        with pytest.raises(PlaceError) as first:
            assignment_formalise(assignment=given, uploads=documents, actor=None)
        assert first.value.code == "not_accepted"
        assignment_accept(assignment=given, actor=None)
        with pytest.raises(PlaceError):
            assignment_formalise(assignment=given, uploads=[], actor=None)
        done = assignment_formalise(assignment=given, uploads=documents, actor=None)
    assert done.state == Assignment.State.FORMALISED
    case = given.application.case
    assert case.documents.filter(key="matricula", original_name="registro.pdf").exists()
    # A formalised place is never released by the task.
    with clock.frozen(on(date(2027, 3, 1))):
        assert assignments_release() == 0


def test_an_accepted_place_not_formalised_in_time_is_released(given: Assignment) -> None:
    with clock.frozen(on(date(2026, 12, 28))):
        assignment_accept(assignment=given, actor=None)
    with clock.frozen(on(date(2027, 1, 13))):
        assert assignments_release() == 0
    with clock.frozen(on(date(2027, 1, 14))):
        assert assignments_release() == 1
    given.refresh_from_db()
    assert given.state == Assignment.State.RELEASED
    assert "formalizó" in given.end_reason


def test_declining_frees_the_place_at_once(given: Assignment) -> None:
    with clock.frozen(on(date(2026, 12, 28))):
        assignment_decline(assignment=given, actor=None)
        with pytest.raises(PlaceError):
            assignment_accept(assignment=given, actor=None)
    assert Offer.objects.get(pk=given.offer_id).taken == 0


def test_in_stage_2_a_family_with_a_place_cannot_take_another(
    given: Assignment, season: Season
) -> None:
    other = Offer.objects.filter(season=season, grade="primero").exclude(pk=given.offer_id).first()
    assert other is not None
    with clock.frozen(STAGE2_DAY), pytest.raises(PlaceError) as refused:
        place_claim(application=given.application, offer=other, actor=None)
    assert refused.value.code == "has_place"
    with clock.frozen(STAGE2_DAY - timedelta(days=30)), pytest.raises(PlaceError) as early:
        place_claim(application=given.application, offer=other, actor=None)
    assert early.value.code == "not_stage2"
