"""Position and estimated wait on a citizen's ticket; waiting and service figures on known
data (the same on SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.db import connection

from tests.turns.conftest import BOGOTA, MORNING, Turns
from ventanilla.core import clock
from ventanilla.turns.models import Ticket
from ventanilla.turns.selectors import (
    display_board,
    figures_service,
    figures_waiting,
    percentile_90,
    ticket_position,
)
from ventanilla.turns.services import (
    ticket_call_next,
    ticket_finish,
    ticket_issue,
    ticket_start,
)

pytestmark = pytest.mark.django_db


def at(minutes: float) -> datetime:
    return MORNING + timedelta(minutes=minutes)


def serve(t: Turns, *, issued: float, called: float, minutes: float, desk: str = "1") -> Ticket:
    """One ticket issued, called, served for `minutes` and finished."""
    with clock.frozen(at(issued)):
        ticket_issue(point=t.point, service=t.places, channel="kiosk")
    with clock.frozen(at(called)):
        ticket = ticket_call_next(point=t.point, desk=desk, actor=t.official)
        assert ticket is not None
        ticket_start(ticket=ticket, actor=t.official)
    with clock.frozen(at(called + minutes)):
        return ticket_finish(ticket=ticket, actor=t.official)


def test_no_estimate_without_recent_service_times(turns: Turns) -> None:
    with clock.frozen(at(0)):
        first = ticket_issue(point=turns.point, service=turns.places, channel="kiosk")
        second = ticket_issue(point=turns.point, service=turns.places, channel="kiosk")
        assert ticket_position(first) is not None
        position = ticket_position(second)
    assert position is not None and (position.ahead, position.minutes) == (1, None)


def test_estimate_from_recent_service_times_and_desks_rounded_up(turns: Turns) -> None:
    serve(turns, issued=0, called=1, minutes=6, desk="1")
    serve(turns, issued=2, called=8, minutes=8, desk="1")  # average 7 minutes
    with clock.frozen(at(20)):
        waiting = [
            ticket_issue(point=turns.point, service=turns.places, channel="kiosk") for _ in range(4)
        ]
        last = ticket_position(waiting[-1])
        first = ticket_position(waiting[0])
    # Three ahead of the last, one desk serving: (3 + 1) * 7 = 28 minutes → "about 30".
    assert last is not None and (last.ahead, last.minutes) == (3, 30)
    # Nobody ahead: one service, 7 minutes → "about 10".
    assert first is not None and (first.ahead, first.minutes) == (0, 10)
    # A second desk working the queue halves the wait: 14 minutes → "about 15".
    with clock.frozen(at(21)):
        ticket_call_next(point=turns.point, desk="2", actor=turns.other_official)
        moved = ticket_position(Ticket.objects.get(pk=waiting[-1].pk))
    assert moved is not None and (moved.ahead, moved.minutes) == (2, 15)  # (2 + 1) * 7 / 2 = 10.5


def test_a_called_ticket_has_no_position(turns: Turns) -> None:
    with clock.frozen(at(0)):
        ticket_issue(point=turns.point, service=turns.places, channel="kiosk")
        called = ticket_call_next(point=turns.point, desk="1", actor=turns.official)
    assert called is not None and ticket_position(called) is None


def test_display_shows_the_latest_called_first(turns: Turns) -> None:
    with clock.frozen(at(0)):
        for _ in range(3):
            ticket_issue(point=turns.point, service=turns.places, channel="kiosk")
    for n, minute in ((1, 1), (2, 2)):
        with clock.frozen(at(minute)):
            ticket_call_next(point=turns.point, desk=str(n), actor=turns.official)
    with clock.frozen(at(3)):
        board = display_board(point=turns.point)
    assert [(t.code, t.desk) for t in board] == [("A-002", "2"), ("A-001", "1")]


def test_percentile_matches_percentile_cont() -> None:
    assert percentile_90([10.0]) == 10.0
    assert percentile_90([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]) == pytest.approx(9.1)


def test_figures_per_point_service_and_hour(turns: Turns) -> None:
    # 08:00-09:00: waits of 1, 6 and 11 minutes; services of 5, 5 and 20 minutes.
    serve(turns, issued=0, called=1, minutes=5)
    serve(turns, issued=2, called=8, minutes=5)
    serve(turns, issued=3, called=14, minutes=20)
    # 10:00: one more, a 3-minute wait and a 4-minute service.
    serve(turns, issued=120, called=123, minutes=4)
    start, end = MORNING.replace(hour=0), MORNING.replace(hour=23)
    waiting = figures_waiting(start=start, end=end, tz=BOGOTA)
    assert [(f.hour, f.count) for f in waiting] == [(8, 3), (10, 1)], connection.vendor
    eight = waiting[0]
    assert (eight.point_id, eight.service_id) == (turns.point.pk, turns.places.pk)
    assert eight.average_seconds == pytest.approx(6 * 60, abs=1)
    assert eight.p90_seconds == pytest.approx(percentile_90([60, 360, 660]), abs=1)
    service = figures_service(start=start, end=end, tz=BOGOTA)
    assert [(f.hour, f.count) for f in service] == [(8, 3), (10, 1)]
    assert service[0].average_seconds == pytest.approx(10 * 60, abs=1)
    assert service[0].p90_seconds == pytest.approx(17 * 60, abs=1)  # 5, 5, 20 → 17
    assert service[1].average_seconds == pytest.approx(4 * 60, abs=1)
    # Narrowed to another service: nothing; to a period before: nothing.
    assert figures_waiting(start=start, end=end, services=[turns.certificates]) == []
    assert figures_service(start=start - timedelta(days=2), end=start) == []
