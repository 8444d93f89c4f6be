"""The stage 1 allocation as the office runs it: a dry run tells nobody and gives nothing; the
real one runs once, between the stages, gives the places with their reasons, and the worker
then tells every family; anyone can re-run it from the kept inputs and get the same hash."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail

from tests import factories
from tests.places.conftest import ALLOCATION_DAY, NOW, apply
from ventanilla.core import clock
from ventanilla.notifications.models import Notification
from ventanilla.organization.models import Role
from ventanilla.places import allocation
from ventanilla.places.allocating import allocation_run, results_announce
from ventanilla.places.models import AllocationRun, Application, Assignment, Evidence, Offer, Season
from ventanilla.places.services import PlaceError, evidence_review

pytestmark = pytest.mark.django_db


def three_for_two(season: Season) -> dict[str, Application]:
    """Three children want COL-A's two morning places of primero: one in a priority group
    (evidence approved), one with evidence rejected, one without a group but nearer."""
    official = factories.official(season.service.dependency, Role.HANDLER)
    with clock.frozen(NOW):
        filed = {
            "victim": apply(season.service, "1000000001", group="victima", home=(4.60, -74.20)),
            "rejected": apply(season.service, "1000000002", group="etnia", home=(4.61, -74.19)),
            "near": apply(season.service, "1000000003", home=(4.6281, -74.1501)),
        }
        applications = {k: Application.objects.get(case=f.case) for k, f in filed.items()}
        evidence_review(application=applications["victim"], approved=True, note="", actor=official)
        evidence_review(
            application=applications["rejected"],
            approved=False,
            note="El certificado no es de la comunidad.",
            actor=official,
        )
    return applications


def test_a_dry_run_gives_nothing_and_tells_nobody(season: Season) -> None:
    three_for_two(season)
    before = Notification.objects.count()
    with clock.frozen(NOW):
        run = allocation_run(season=season, dry_run=True, actor=None)
    assert run.dry_run and run.stats["placed"] == 3 and run.stats["applicants"] == 3
    assert not Assignment.objects.exists()
    assert Offer.objects.filter(taken__gt=0).count() == 0
    assert Notification.objects.count() == before
    # During stage 1 a dry run does not draw the season's number: it is drawn once, later.
    season.refresh_from_db()
    assert season.seed == "" and run.seed == "ensayo"


def test_the_real_run_waits_for_stage_1_to_close_and_happens_once(season: Season) -> None:
    with clock.frozen(NOW), pytest.raises(PlaceError) as early:
        allocation_run(season=season, dry_run=False, actor=None)
    assert early.value.code == "not_now"
    with clock.frozen(ALLOCATION_DAY):
        allocation_run(season=season, dry_run=False, actor=None)
        with pytest.raises(PlaceError) as again:
            allocation_run(season=season, dry_run=False, actor=None)
    assert again.value.code == "done"
    assert AllocationRun.objects.filter(dry_run=False).count() == 1


def test_the_real_run_gives_places_by_the_published_priorities_and_says_why(
    season: Season, django_capture_on_commit_callbacks: Any
) -> None:
    applications = three_for_two(season)
    with clock.frozen(ALLOCATION_DAY):
        run = allocation_run(season=season, dry_run=False, actor=None)
    season.refresh_from_db()
    assert len(season.seed) == 32 and run.seed == season.seed  # drawn once, kept, published
    first_choice = Offer.objects.get(point__code="COL-A", grade="primero", shift="manana")
    assert first_choice.taken == 2 == first_choice.offered
    got = {k: Assignment.objects.get(application=a) for k, a in applications.items()}
    # The approved group goes first although it lives farthest; the nearer child beats the
    # one whose evidence was rejected, who moves to their second choice.
    assert got["victim"].offer == first_choice and got["victim"].choice_rank == 1
    assert got["near"].offer == first_choice
    assert got["rejected"].choice_rank == 2
    assert got["rejected"].reasons == [
        {"rank": 1, "school": "Colegio Alameda", "capacity": 2, "ranked_by": 3, "ahead": 2}
    ]
    # Nobody is told inside the run; the worker tells each family once.
    assert not Notification.objects.filter(event="place_result").exists()
    with clock.frozen(ALLOCATION_DAY), django_capture_on_commit_callbacks(execute=True):
        assert results_announce() == 3
        assert results_announce() == 0
    letter = next(m for m in mail.outbox if "1000000002" in m.to[0])
    assert "2.ª opción" in letter.body and "Colegio Britalia" in letter.body
    assert "tenía 2 cupos y 2 postulantes con mayor prioridad" in letter.body
    case = applications["rejected"].case
    assert case.timeline.filter(kind="place", data__what="assigned").count() == 1


def test_anyone_can_rerun_the_kept_inputs_and_get_the_published_hash(season: Season) -> None:
    three_for_two(season)
    with clock.frozen(ALLOCATION_DAY):
        run = allocation_run(season=season, dry_run=False, actor=None)
    with run.inputs.open("rb") as stream:
        inputs = stream.read()
    assert allocation.sha256_hex(inputs) == run.inputs_sha256
    rerun = allocation.outputs_document(allocation.allocate(*allocation.load_inputs(inputs)))
    assert allocation.sha256_hex(rerun) == run.outputs_sha256
    # No name, ID number or address travels in the inputs: filing numbers and positions.
    text = inputs.decode()
    assert "1000000001" not in text and "Marta" not in text and "Calle" not in text


def test_evidence_still_pending_counts_as_no_group_and_the_dry_run_says_how_many(
    season: Season,
) -> None:
    with clock.frozen(NOW):
        apply(season.service, "1000000009", group="sisben")
        run = allocation_run(season=season, dry_run=True, actor=None)
    assert run.stats["pending_evidence"] == 1
    assert Application.objects.get().evidence == Evidence.PENDING


def test_a_family_with_no_place_anywhere_is_told_so_with_the_reasons(
    season: Season, django_capture_on_commit_callbacks: Any
) -> None:
    Offer.objects.filter(season=season, grade="transicion").update(capacity=3, continuing=2)
    with clock.frozen(NOW):
        for n in range(6):
            apply(
                season.service,
                f"20000000{n:02d}",
                grade="transicion",
                schools=("COL-A:manana", "COL-B:manana", "COL-C:manana"),
            )
    with clock.frozen(ALLOCATION_DAY):
        run = allocation_run(season=season, dry_run=False, actor=None)
        with django_capture_on_commit_callbacks(execute=True):
            assert results_announce() == 6
    # Five schools have one transición place each: three by choice, two by distance.
    assert run.stats["by_rank"] == {"1": 1, "2": 1, "3": 1, "nearest": 2, "none": 1}
    unplaced = Application.objects.get(assignments__isnull=True)
    assert [r["rank"] for r in unplaced.unplaced_reasons] == [1, 2, 3]
    assert unplaced.result_at is not None
    letter = next(m for m in mail.outbox if unplaced.case.filing_number in m.subject + m.body)
    assert "No quedó un cupo" in letter.body
