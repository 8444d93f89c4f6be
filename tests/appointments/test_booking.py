"""Booking, moving and cancelling a seat: what the citizen and the point notice."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.appointments.conftest import at, holder
from ventanilla.appointments.models import (
    Booking,
    BookingState,
    Schedule,
    SchedulePeriod,
    Slot,
)
from ventanilla.appointments.selectors import free_times
from ventanilla.appointments.services import (
    BookingError,
    booking_cancel,
    booking_create,
    booking_reschedule,
    bookings_remind,
    schedule_changed,
)
from ventanilla.core import clock
from ventanilla.notifications.models import Notification
from ventanilla.organization.models import ServicePointClosure

pytestmark = pytest.mark.usefixtures("now")


def book(schedule: Schedule, when: object, number: str = "1012345678", **fields: object) -> Booking:
    return booking_create(
        point=schedule.point,
        service=schedule.service,
        starts_at=when,  # type: ignore[arg-type]
        holder=holder(number, **fields),
    )


def test_free_times_follow_the_periods_of_each_day(schedule: Schedule) -> None:
    days = free_times(point=schedule.point, service=schedule.service)
    first = days[0]
    assert first.day == date(2026, 12, 1)
    starts = [t.starts_at for t in first.times]
    # 08:00 is less than the hour of notice away from 07:00 and stays; the lunch break has none.
    assert starts[0] == at(1, 8)
    assert at(1, 11, 40) in starts and at(1, 12) not in starts
    assert at(1, 14) in starts and at(1, 16, 40) in starts and at(1, 17) not in starts
    assert len(starts) == 12 + 9
    assert all(t.free == 3 for t in first.times)


def test_holidays_weekends_and_closures_have_no_times(schedule: Schedule) -> None:
    ServicePointClosure.objects.create(
        service_point=schedule.point, date=date(2026, 12, 2), reason="Jornada pedagógica"
    )
    shown = [d.day for d in free_times(point=schedule.point, service=schedule.service, days=8)]
    assert date(2026, 12, 2) not in shown  # the point's closure
    assert date(2026, 12, 5) not in shown and date(2026, 12, 6) not in shown  # weekend
    assert date(2026, 12, 8) not in shown  # Inmaculada Concepción
    assert date(2026, 12, 9) in shown


def test_a_campaign_replaces_the_ordinary_schedule_on_its_days(schedule: Schedule) -> None:
    campaign = Schedule.objects.create(
        point=schedule.point,
        service=schedule.service,
        name="Jornada de matrículas",
        starts_on=date(2026, 12, 3),
        ends_on=date(2026, 12, 4),
        slot_minutes=15,
        capacity=10,
    )
    for weekday in range(7):
        SchedulePeriod.objects.create(
            schedule=campaign, weekday=weekday, opens=time(7), closes=time(13)
        )
    days = {d.day: d for d in free_times(point=schedule.point, service=schedule.service, days=6)}
    campaign_day = days[date(2026, 12, 3)]
    assert campaign_day.times[0].starts_at == at(3, 7)
    assert campaign_day.times[0].free == 10
    assert all(t.starts_at.hour < 13 for t in campaign_day.times)
    assert days[date(2026, 12, 1)].times[0].free == 3  # the ordinary schedule elsewhere


def test_booking_takes_a_seat_and_tells_the_holder(schedule: Schedule) -> None:
    booking = book(schedule, at(1, 9))
    assert booking.state == BookingState.BOOKED
    assert len(booking.code) == 9 and booking.code[4] == "-"
    assert Slot.objects.get().booked == 1
    mail = Notification.objects.get(event="appointment_booked", channel="email")
    assert mail.recipient == "1012345678@example.co"
    assert mail.context["when_es"] == "martes, 1 de diciembre de 2026, 09:00"
    assert "?clave=" in mail.context["manage_url"]
    day = free_times(point=schedule.point, service=schedule.service)[0]
    nine = next(t for t in day.times if t.starts_at == at(1, 9))
    assert nine.free == 2


def test_the_last_seat_goes_to_one_and_the_next_is_told_why(schedule: Schedule) -> None:
    for number in ("11111111", "22222222", "33333333"):
        book(schedule, at(1, 9), number)
    with pytest.raises(BookingError) as refused:
        book(schedule, at(1, 9), "44444444")
    assert refused.value.code == "slot_full"
    assert "último cupo" in refused.value.message
    assert Booking.objects.count() == 3
    day = free_times(point=schedule.point, service=schedule.service)[0]
    assert at(1, 9) not in [t.starts_at for t in day.times]


@pytest.mark.parametrize(
    ("when", "code"),
    [
        (at(1, 7, 20), "not_available"),  # before opening and within the hour of notice
        (at(1, 12, 10), "not_available"),  # lunch break, and not on the 20-minute grid
        (at(1, 9, 10), "not_available"),  # not a slot start
        (at(8, 9), "not_available"),  # public holiday
        (at(5, 9), "not_available"),  # Saturday
        (at(4, 9, month=1, year=2027), "not_available"),  # beyond the 30-day window
    ],
)
def test_times_the_rules_do_not_offer_are_refused(
    schedule: Schedule, when: object, code: str
) -> None:
    with pytest.raises(BookingError) as refused:
        book(schedule, when)
    assert refused.value.code == code
    assert not Booking.objects.exists() and not Slot.objects.filter(booked__gt=0).exists()


def test_reschedule_moves_the_seat_and_keeps_the_code(schedule: Schedule) -> None:
    booking = book(schedule, at(1, 9))
    moved = booking_reschedule(booking=booking, starts_at=at(2, 14))
    assert moved.code == booking.code
    assert moved.starts_at == at(2, 14)
    seats = dict(Slot.objects.values_list("starts_at", "booked"))
    assert seats[at(1, 9)] == 0 and seats[at(2, 14)] == 1
    assert Notification.objects.filter(event="appointment_rescheduled").exists()


def test_a_failed_reschedule_keeps_the_old_time(schedule: Schedule) -> None:
    booking = book(schedule, at(1, 9))
    for number in ("11111111", "22222222", "33333333"):
        book(schedule, at(1, 10), number)
    with pytest.raises(BookingError):
        booking_reschedule(booking=booking, starts_at=at(1, 10))
    booking.refresh_from_db()
    assert booking.starts_at == at(1, 9) and booking.state == BookingState.BOOKED
    assert Slot.objects.get(starts_at=at(1, 9)).booked == 1


def test_cancel_frees_the_seat_at_once(schedule: Schedule) -> None:
    for number in ("11111111", "22222222", "33333333"):
        book(schedule, at(1, 9), number)
    booking_cancel(booking=Booking.objects.get(id_number="22222222"))
    book(schedule, at(1, 9), "44444444")
    assert Booking.objects.filter(state=BookingState.BOOKED, starts_at=at(1, 9)).count() == 3
    with pytest.raises(BookingError) as refused:
        booking_cancel(booking=Booking.objects.get(id_number="22222222"))
    assert refused.value.code == "not_active"


def test_the_reminder_goes_once_the_day_before(schedule: Schedule) -> None:
    book(schedule, at(2, 9))
    with clock.frozen(at(1, 8)):
        assert bookings_remind() == 0  # more than a day ahead
    with clock.frozen(at(1, 9, 30)):
        assert bookings_remind() == 1
        assert bookings_remind() == 0
    assert Notification.objects.filter(event="appointment_reminder", channel="email").count() == 1


def test_a_schedule_change_keeps_bookings_and_tells_those_outside_it(schedule: Schedule) -> None:
    kept = book(schedule, at(1, 9), "11111111")
    outside = book(schedule, at(1, 15), "22222222")
    schedule.periods.filter(opens=time(14)).delete()
    assert schedule_changed(schedule=schedule) == 1
    for booking in (kept, outside):
        booking.refresh_from_db()
        assert booking.state == BookingState.BOOKED
    told = Notification.objects.filter(event="appointment_affected", channel="email")
    assert list(told.values_list("reference", flat=True)) == [outside.code]


def test_wrong_holder_data_is_refused(schedule: Schedule) -> None:
    with pytest.raises(BookingError) as refused:
        book(schedule, at(1, 9), "")
    assert refused.value.code == "holder_missing"


def test_rate_limit_per_contact(schedule: Schedule, settings: object) -> None:
    settings.BOOKINGS_PER_CONTACT_PER_HOUR = 2  # type: ignore[attr-defined]
    first = book(schedule, at(1, 9), "11111111", email="misma@example.co")
    booking_cancel(booking=first)
    book(schedule, at(1, 10), "11111111", email="misma@example.co")
    with pytest.raises(BookingError) as refused:
        book(schedule, at(1, 11), "22222222", email="misma@example.co")
    assert refused.value.code == "rate_limited"
    assert clock.now() + timedelta(hours=1) > clock.now()


def test_a_time_at_the_ends_of_the_calendar_is_not_offered(schedule: Schedule) -> None:
    # In the point's zone these are years 0 and 10000, which Python cannot represent.
    for when in (
        datetime(1, 1, 1, tzinfo=ZoneInfo("Asia/Tokyo")),
        datetime(9999, 12, 31, 23, tzinfo=ZoneInfo("Etc/GMT+12")),
    ):
        with pytest.raises(BookingError) as refused:
            book(schedule, when)
        assert refused.value.code == "not_available"


def test_a_closure_added_after_booking_keeps_it_and_tells_the_holder_once(
    schedule: Schedule,
) -> None:
    from ventanilla.appointments.services import bookings_on_closed_days
    from ventanilla.organization.models import EntityClosure

    kept = book(schedule, at(3, 9), "11111111")
    other_day = book(schedule, at(4, 9), "22222222")
    ServicePointClosure.objects.create(
        service_point=schedule.point, date=date(2026, 12, 3), reason="Simulacro de evacuación"
    )
    EntityClosure.objects.create(
        entity=schedule.point.entity, date=date(2026, 12, 4), reason="Jornada institucional"
    )
    assert bookings_on_closed_days() == 2
    assert bookings_on_closed_days() == 0
    for booking in (kept, other_day):
        booking.refresh_from_db()
        assert booking.state == BookingState.BOOKED
    told = Notification.objects.filter(event="appointment_affected", channel="email")
    assert sorted(told.values_list("reference", flat=True)) == sorted([kept.code, other_day.code])
