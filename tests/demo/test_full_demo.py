"""The whole demo: organisations, catalogue and a history of cases, loaded twice."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from tests.insights.opendata_demo import (
    demo_export_holds_no_personal_data_and_matches_its_dictionary,
)
from ventanilla.demo.load import demo_load


@pytest.mark.django_db(transaction=True)
def test_the_full_demo_loads_catalogue_and_history_and_a_second_run_writes_nothing(
    settings: Any, tmp_path: Path
) -> None:
    if connection.vendor != "sqlite":
        # Minutes of CI's time for what `make run` does on SQLite; on PostgreSQL the harness's
        # smoke run loads the same whole demo (`bench/prepare.py`) and serves it under load.
        pytest.skip("the whole demo is checked on SQLite, as `make run` loads it")
    from ventanilla.cases.models import Case
    from ventanilla.cases.timeline import verify_chain
    from ventanilla.cases.upkeep import information_requests_upkeep
    from ventanilla.catalog.models import Service
    from ventanilla.notifications.models import Notification, State

    first = demo_load()
    assert first["catalog services"].created == Service.objects.count() >= 1
    cases = Case.objects.count()
    applications = first["school-place applications"].created
    history, year = first["cases (history)"].created, first["cases (the year before)"].created
    assert history + year + applications == cases
    assert history > 50 and year >= 90
    school_places_demo(applications)
    states = set(Case.objects.values_list("sla_state", flat=True))
    assert {"closed", "paused"} <= states
    assert all(verify_chain(c, c.timeline.order_by("sequence")) is None for c in Case.objects.all())
    # The worker's first round finds nothing due: no demo case lapses or is reminded at once,
    # and no mail about the past history goes out.
    assert information_requests_upkeep() == (0, 0)
    assert not Notification.objects.filter(state=State.PENDING).exists()
    # The closed cases invited their citizens; most answered, so the results page has figures.
    from ventanilla.surveys.models import Invitation

    invited = Invitation.objects.count()
    answered = Invitation.objects.filter(answered_at__isnull=False).count()
    assert invited > 0 and invited * 0.5 <= answered < invited
    # Turns at the 20 support centres and the first school of each locality, two queues each.
    assert first["turn queues"].created == 80
    bookable_demo()
    # The open-data export of this demo leaks nobody's data (checked here: the load is slow).
    settings.MEDIA_ROOT = tmp_path / "media"
    demo_export_holds_no_personal_data_and_matches_its_dictionary()
    second = demo_load()
    assert sum(t.created + t.updated for t in second.values()) == 0
    assert Case.objects.count() == cases


def school_places_demo(applications: int) -> None:
    """A season in stage 1 with places at every school and a few hundred applications, some
    in priority groups: a handful of them wait for the office to check the evidence."""
    from ventanilla.organization.models import ServicePoint, ServicePointKind
    from ventanilla.places.models import Application, Evidence, Offer, Season
    from ventanilla.places.selectors import published_rules, season_today

    season = Season.objects.select_related("transfer_service").get()
    assert season.transfer_service is not None
    assert season.transfer_service.slug == "traslado-por-cercania"
    rules = published_rules(season)
    assert rules is not None and rules.parsed.stage_on(season_today(season)) == "stage1"
    schools = ServicePoint.objects.filter(kind=ServicePointKind.SCHOOL).count()
    assert Offer.objects.filter(season=season).values("point").distinct().count() == schools
    assert applications == Application.objects.count() > 150
    assert Application.objects.filter(evidence=Evidence.PENDING).count() == 3
    assert Application.objects.filter(evidence=Evidence.APPROVED).exists()


def bookable_demo() -> None:
    """`make run` shows bookable appointments: at every support centre (two services), every
    school (the school place) and, in January, the four special enrolment points."""
    from ventanilla.appointments.models import Booking, BookingPolicy, BookingState, Schedule
    from ventanilla.appointments.selectors import free_times
    from ventanilla.catalog.models import Service
    from ventanilla.core import clock
    from ventanilla.demo.appointments import campaign_days
    from ventanilla.organization.models import ServicePoint, ServicePointKind

    place = Service.objects.get(slug="solicitud-cupo-escolar")
    certificate = Service.objects.get(slug="certificado-de-estudios")
    centres = ServicePoint.objects.filter(kind=ServicePointKind.SUPPORT_CENTRE)
    schools = ServicePoint.objects.filter(kind=ServicePointKind.SCHOOL)
    for service in (place, certificate):
        assert Schedule.objects.filter(point__in=centres, service=service).count() == 20
    assert Schedule.objects.filter(point__in=schools, service=place).count() == schools.count()
    campaigns = Schedule.objects.filter(starts_on__isnull=False, service=place)
    first, last = campaign_days(clock.now().date())
    assert campaigns.count() == 4
    assert {(c.starts_on, c.ends_on, c.point.code[:4]) for c in campaigns} == {
        (first, last, "PEM-")
    }
    assert BookingPolicy.objects.filter(service=None).count() == 1
    school = schools.order_by("code").first()
    assert school is not None
    days = free_times(point=school, service=place)
    assert days and all(t.free >= 1 for day in days for t in day.times)
    campaign = free_times(point=campaigns[0].point, service=place, start=first)
    if clock.now().date() >= first - timedelta(days=45):
        assert {day.day for day in campaign} <= {first + timedelta(days=n) for n in range(6)}
    states = set(Booking.objects.values_list("state", flat=True))
    assert {BookingState.BOOKED, BookingState.CHECKED_IN, BookingState.NO_SHOW} <= states
    assert Booking.objects.filter(user__email="ciudadana@demo.ventanilla.co").exists()
