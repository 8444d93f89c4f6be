"""The rules against hoarding and reselling, as a table of scenarios."""

from __future__ import annotations

from datetime import time, timedelta

import pytest

from tests import factories
from tests.appointments.conftest import at, holder
from tests.factories import service_variant
from ventanilla.appointments.models import (
    Booking,
    BookingPolicy,
    BookingState,
    Schedule,
    SchedulePeriod,
)
from ventanilla.appointments.services import BookingError, booking_create, booking_no_show
from ventanilla.core import clock
from ventanilla.organization.models import Role

pytestmark = pytest.mark.usefixtures("now")


@pytest.fixture
def second_service(schedule: Schedule) -> Schedule:
    other = service_variant(schedule.service, "certificado-prueba")
    second = Schedule.objects.create(point=schedule.point, service=other, capacity=5)
    for weekday in range(5):
        SchedulePeriod.objects.create(
            schedule=second, weekday=weekday, opens=time(8), closes=time(16)
        )
    return second


def _book(schedule: Schedule, when: object, number: str = "1012345678") -> Booking:
    return booking_create(
        point=schedule.point,
        service=schedule.service,
        starts_at=when,  # type: ignore[arg-type]
        holder=holder(number),
    )


def test_second_booking_for_the_same_service_is_refused(schedule: Schedule) -> None:
    first = _book(schedule, at(1, 9))
    with pytest.raises(BookingError) as refused:
        _book(schedule, at(2, 9))
    assert refused.value.code == "already_booked"
    assert first.code in refused.value.message
    assert refused.value.existing == first


def test_other_id_type_with_the_same_number_is_another_person(schedule: Schedule) -> None:
    _book(schedule, at(1, 9))
    booking_create(
        point=schedule.point,
        service=schedule.service,
        starts_at=at(1, 9),
        holder=holder("1012345678", id_type="TI"),
    )
    assert Booking.objects.count() == 2


def test_maximum_active_bookings_per_id(schedule: Schedule, second_service: Schedule) -> None:
    BookingPolicy.objects.create(entity=schedule.point.entity, max_active_per_id=1)
    _book(schedule, at(1, 9))
    with pytest.raises(BookingError) as refused:
        _book(second_service, at(1, 10))
    assert refused.value.code == "limit_reached"


def test_a_service_rule_overrides_the_entity_rule(
    schedule: Schedule, second_service: Schedule
) -> None:
    BookingPolicy.objects.create(entity=schedule.point.entity, max_active_per_id=1)
    BookingPolicy.objects.create(
        entity=schedule.point.entity, service=second_service.service, max_active_per_id=3
    )
    _book(schedule, at(1, 9))
    _book(second_service, at(1, 10))
    assert Booking.objects.count() == 2


def _miss(schedule: Schedule, when: object, official: object) -> None:
    booking = _book(schedule, when)
    with clock.frozen(when + timedelta(minutes=30)):  # type: ignore[operator]
        booking_no_show(booking=booking, actor=official)  # type: ignore[arg-type]


def test_no_shows_block_new_bookings_and_the_block_lifts(schedule: Schedule) -> None:
    official = factories.official(schedule.point.dependency, Role.HANDLER)
    BookingPolicy.objects.create(
        entity=schedule.point.entity, no_show_limit=2, no_show_window_days=90, block_days=30
    )
    _miss(schedule, at(1, 9), official)
    _miss(schedule, at(2, 9), official)  # the second no-show, on 2 December
    with clock.frozen(at(3, 7)), pytest.raises(BookingError) as refused:
        _book(schedule, at(4, 9))
    assert refused.value.code == "blocked"
    assert "1 de enero de 2027" in refused.value.message  # 30 days after the last no-show
    with clock.frozen(at(2, 9, month=1, year=2027) + timedelta(hours=1)):
        booking = _book(schedule, at(5, 9, month=1, year=2027))
    assert booking.state == BookingState.BOOKED


def test_one_no_show_does_not_block(schedule: Schedule) -> None:
    official = factories.official(schedule.point.dependency, Role.HANDLER)
    _miss(schedule, at(1, 9), official)
    with clock.frozen(at(2, 7)):
        assert _book(schedule, at(3, 9)).state == BookingState.BOOKED


def test_no_show_before_the_time_is_refused(schedule: Schedule) -> None:
    official = factories.official(schedule.point.dependency, Role.HANDLER)
    booking = _book(schedule, at(1, 9))
    with pytest.raises(BookingError) as refused:
        booking_no_show(booking=booking, actor=official)
    assert refused.value.code == "too_early"


def test_an_official_of_another_point_cannot_mark_no_shows(schedule: Schedule) -> None:
    elsewhere = factories.dependency("OTRA")
    stranger = factories.official(elsewhere, Role.SUPERVISOR)
    booking = _book(schedule, at(1, 9))
    with clock.frozen(at(1, 10)), pytest.raises(BookingError) as refused:
        booking_no_show(booking=booking, actor=stranger)
    assert refused.value.code == "forbidden"


def test_guests_can_be_refused_per_service(schedule: Schedule) -> None:
    BookingPolicy.objects.create(
        entity=schedule.point.entity, service=schedule.service, guests_allowed=False
    )
    with pytest.raises(BookingError) as refused:
        _book(schedule, at(1, 9))
    assert refused.value.code == "account_required"
    person = factories.user()
    booking_create(
        point=schedule.point,
        service=schedule.service,
        starts_at=at(1, 9),
        holder=holder(user=person),
    )


def test_a_past_booking_nobody_recorded_does_not_hold_the_place(schedule: Schedule) -> None:
    """The official forgot to record it: the person can book the service again, and it is not
    counted as a no-show."""
    old = _book(schedule, at(1, 9))
    with clock.frozen(at(1, 12)):
        again = _book(schedule, at(2, 9))
    old.refresh_from_db()
    assert (old.state, again.state) == (BookingState.EXPIRED, BookingState.BOOKED)
    official = factories.official(schedule.point.dependency, Role.HANDLER)
    with clock.frozen(at(1, 12)):
        booking_no_show(booking=old, actor=official)  # recorded late, it still counts
    old.refresh_from_db()
    assert old.state == BookingState.NO_SHOW


def test_fewer_seats_in_the_schedule_apply_to_times_already_booked(schedule: Schedule) -> None:
    _book(schedule, at(1, 9), "11111111")
    _book(schedule, at(1, 9), "22222222")
    schedule.capacity = 1
    schedule.save()
    with pytest.raises(BookingError) as refused:
        _book(schedule, at(1, 9), "33333333")
    assert refused.value.code == "slot_full"
    assert Booking.objects.filter(starts_at=at(1, 9), state=BookingState.BOOKED).count() == 2
