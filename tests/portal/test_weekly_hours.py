"""Opening hours read as people say them, not one line per period."""

from __future__ import annotations

from datetime import time
from types import SimpleNamespace

from django.utils import translation

from ventanilla.portal.templatetags.portal import weekly_hours


def rows(*periods: tuple[range | list[int], time, time]) -> list[SimpleNamespace]:
    return [
        SimpleNamespace(weekday=day, opens=opens, closes=closes)
        for days, opens, closes in periods
        for day in days
    ]


def test_touching_periods_are_one_and_same_days_are_named_together() -> None:
    hours = rows(
        (range(5), time(6, 30), time(12, 30)),
        (range(5), time(12, 30), time(18)),
        ([5], time(8), time(12)),
    )
    assert weekly_hours(hours) == ["lunes a viernes: 6:30 a 18:00", "sábado: 8:00 a 12:00"]


def test_a_lunch_break_and_a_different_day() -> None:
    hours = rows(
        (range(5), time(7), time(12)),
        (range(5), time(13), time(16)),
        ([3], time(17), time(19)),
        ([5, 6], time(8), time(12)),
    )
    assert weekly_hours(hours) == [
        "lunes a miércoles: 7:00 a 12:00 y 13:00 a 16:00",
        "jueves: 7:00 a 12:00, 13:00 a 16:00 y 17:00 a 19:00",
        "viernes: 7:00 a 12:00 y 13:00 a 16:00",
        "sábado y domingo: 8:00 a 12:00",
    ]
    with translation.override("en"):
        assert weekly_hours(hours)[0] == "Monday to Wednesday: 7:00 to 12:00 and 13:00 to 16:00"
