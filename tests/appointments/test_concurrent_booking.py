"""Capacity is exact under concurrency (issue 17, acceptance): many people asking for the last
seats at once get exactly the seats there are and a clear refusal otherwise, on PostgreSQL and
on SQLite, because the database decides (one conditional UPDATE per seat, a CHECK, a partial
unique index and, on PostgreSQL, a lock per person), not a read followed by a write.

Each attempt runs in a thread with its own database connection; the threads are released
together by one barrier. On PostgreSQL the pool is widened for the race, so that every thread
holds a connection of its own rather than queueing for one of the pool's ten."""

from __future__ import annotations

import threading
from collections import Counter, deque
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.db import connection, connections

from tests.appointments.conftest import at, holder
from ventanilla.appointments.models import Booking, BookingState, Schedule, Slot
from ventanilla.appointments.services import (
    BookingError,
    booking_create,
    booking_reschedule,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("now")]

ATTEMPTS = 500
# PostgreSQL allows 100 connections; 48 threads leave room for the other test processes.
THREADS = 48


@pytest.fixture(autouse=True)
def wide_pool() -> Iterator[None]:
    """On PostgreSQL with Django's pool, a pool as wide as the race for the test's duration."""
    options = connection.settings_dict.get("OPTIONS", {})
    pool = options.get("pool") if connection.vendor == "postgresql" else None
    if not isinstance(pool, dict):
        yield
        return
    before = dict(pool)
    connection.close()
    connection.close_pool()
    pool["max_size"] = THREADS + 2
    try:
        yield
    finally:
        connection.close()
        connection.close_pool()
        pool.clear()
        pool.update(before)


def race(calls: list[Callable[[], Any]]) -> tuple[list[Any], list[BaseException]]:
    """Run `calls` on THREADS threads released at once; what they returned and raised."""
    pending = deque(calls)
    results: list[Any] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(min(THREADS, len(calls)))

    def worker() -> None:
        try:
            barrier.wait()
            while True:
                try:
                    call = pending.popleft()
                except IndexError:
                    return
                try:
                    results.append(call())
                except BaseException as error:  # collected and checked by the test
                    errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(min(THREADS, len(calls)))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not any(thread.is_alive() for thread in threads), "a thread did not finish"
    return results, errors


def attempt(
    schedule: Schedule, when: datetime, number: str, email: str = ""
) -> Callable[[], Booking]:
    return lambda: booking_create(
        point=schedule.point,
        service=schedule.service,
        starts_at=when,
        holder=holder(number, email=email or f"{number}@example.co"),
    )


def refusal_codes(errors: list[BaseException]) -> Counter[str]:
    """The codes of the refusals; any other exception fails the test with its own message."""
    unexpected = [e for e in errors if not isinstance(e, BookingError)]
    assert not unexpected, f"{len(unexpected)} unexpected errors, first: {unexpected[0]!r}"
    return Counter(e.code for e in errors if isinstance(e, BookingError))


def seats_match_bookings() -> None:
    """Every slot counts exactly its pending and attended bookings, and none is over."""
    held = Counter(
        Booking.objects.exclude(state=BookingState.CANCELLED).values_list("slot_id", flat=True)
    )
    for slot in Slot.objects.all():
        assert slot.booked == held[slot.pk], slot
        assert slot.booked <= slot.capacity, slot


def test_500_people_for_3_seats_get_3_bookings_and_497_clear_refusals(
    schedule: Schedule,
) -> None:
    when = at(2, 9)
    calls = [attempt(schedule, when, f"{70_000_000 + i}") for i in range(ATTEMPTS)]
    booked, errors = race(calls)
    assert len(booked) == 3, connection.vendor
    assert refusal_codes(errors) == {"slot_full": ATTEMPTS - 3}
    assert all(e.message for e in errors if isinstance(e, BookingError))
    slot = Slot.objects.get(point=schedule.point, service=schedule.service, starts_at=when)
    assert (slot.capacity, slot.booked) == (3, 3)
    assert Booking.objects.filter(slot=slot, state=BookingState.BOOKED).count() == 3
    assert len({b.id_number for b in booked}) == 3
    seats_match_bookings()


def test_one_person_racing_for_many_times_of_one_service_gets_one(schedule: Schedule) -> None:
    times = [at(day, 8) + timedelta(minutes=20 * i) for day in (2, 3, 4, 9) for i in range(12)]
    # A different email each time, as someone hoarding under one ID number would try: the
    # per-contact limit does not stop them, the one-per-service rule does.
    calls = [
        attempt(schedule, when, "1012345678", f"p{i}@example.co")
        for i, when in enumerate(times[:THREADS])
    ]
    booked, errors = race(calls)
    assert len(booked) == 1, connection.vendor
    assert refusal_codes(errors) == {"already_booked": THREADS - 1}
    assert Booking.objects.filter(id_number="1012345678", state=BookingState.BOOKED).count() == 1
    seats_match_bookings()


def test_one_person_racing_for_one_seat_many_times_gets_it_once(schedule: Schedule) -> None:
    calls = [attempt(schedule, at(2, 10), "1012345678", f"p{i}@example.co") for i in range(THREADS)]
    booked, errors = race(calls)
    assert len(booked) == 1
    assert refusal_codes(errors) == {"already_booked": THREADS - 1}
    slot = Slot.objects.get(starts_at=at(2, 10))
    assert slot.booked == 1
    seats_match_bookings()


def test_moves_racing_new_bookings_for_the_last_seats_never_overbook(
    schedule: Schedule,
) -> None:
    target = at(3, 9)
    # Half the contenders hold a booking elsewhere and move it to the target time; the other
    # half book it afresh. Three seats: whoever loses keeps what they had.
    movers = [
        booking_create(
            point=schedule.point,
            service=schedule.service,
            starts_at=at(2, 8) + timedelta(minutes=20 * (i % 12)),
            holder=holder(f"{80_000_000 + i}"),
        )
        for i in range(THREADS // 2)
    ]
    calls: list[Callable[[], Any]] = [
        (lambda booking=booking: booking_reschedule(booking=booking, starts_at=target))
        for booking in movers
    ]
    calls += [attempt(schedule, target, f"{90_000_000 + i}") for i in range(THREADS // 2)]
    done, errors = race(calls)
    assert len(done) == 3, connection.vendor
    assert refusal_codes(errors) == {"slot_full": THREADS - 3}
    slot = Slot.objects.get(point=schedule.point, starts_at=target)
    assert slot.booked == 3
    assert Booking.objects.filter(slot=slot, state=BookingState.BOOKED).count() == 3
    # Every mover still has exactly one pending booking: at the target, or where it was.
    for booking in movers:
        booking.refresh_from_db()
        assert booking.state == BookingState.BOOKED
    seats_match_bookings()
