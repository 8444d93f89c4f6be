"""Pages of free times read a point's rules from the shared cache; saving a schedule forgets
them at once, and booking never trusts the cache."""

from __future__ import annotations

from datetime import date, time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.appointments.conftest import at, holder
from ventanilla.appointments.models import Schedule, SchedulePeriod
from ventanilla.appointments.selectors import free_times
from ventanilla.appointments.services import BookingError, booking_create, schedule_changed
from ventanilla.organization.models import ServicePointClosure

pytestmark = pytest.mark.usefixtures("now")


def test_the_second_page_of_free_times_reads_only_the_seats(schedule: Schedule) -> None:
    free_times(point=schedule.point, service=schedule.service)
    with CaptureQueriesContext(connection) as queries:
        days = free_times(point=schedule.point, service=schedule.service)
    assert days
    assert len(queries) == 1  # the seats taken; rules and closures come from the cache
    assert "appointments_slot" in queries[0]["sql"]


def test_a_saved_schedule_shows_at_once(schedule: Schedule) -> None:
    before = free_times(point=schedule.point, service=schedule.service)
    assert before[0].times[0].free == 3
    Schedule.objects.filter(pk=schedule.pk).update(capacity=5)
    SchedulePeriod.objects.create(schedule=schedule, weekday=5, opens=time(8), closes=time(9))
    schedule_changed(schedule=schedule)
    after = free_times(point=schedule.point, service=schedule.service, days=5)
    assert after[0].times[0].free == 5
    assert date(2026, 12, 5) in {day.day for day in after}  # the new Saturday period


def test_a_new_campaign_replaces_the_cached_days(schedule: Schedule) -> None:
    free_times(point=schedule.point, service=schedule.service)
    campaign = Schedule.objects.create(
        point=schedule.point,
        service=schedule.service,
        name="Jornada",
        starts_on=date(2026, 12, 2),
        ends_on=date(2026, 12, 2),
        capacity=9,
    )
    SchedulePeriod.objects.create(schedule=campaign, weekday=2, opens=time(7), closes=time(8))
    schedule_changed(schedule=campaign)  # what the admin calls after adding a schedule
    days = {d.day: d for d in free_times(point=schedule.point, service=schedule.service)}
    assert [t.free for t in days[date(2026, 12, 2)].times] == [9, 9, 9]


def test_booking_reads_a_closure_the_cached_page_does_not_show_yet(schedule: Schedule) -> None:
    free_times(point=schedule.point, service=schedule.service)
    ServicePointClosure.objects.create(
        service_point=schedule.point, date=date(2026, 12, 2), reason="Jornada pedagógica"
    )
    with pytest.raises(BookingError) as refused:
        booking_create(
            point=schedule.point,
            service=schedule.service,
            starts_at=at(2, 9),
            holder=holder(),
        )
    assert refused.value.code == "not_available"
