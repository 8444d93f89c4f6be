"""The demo's enrolment campaign falls in the next January, or this one while it lasts."""

from __future__ import annotations

from datetime import date

import pytest

from ventanilla.demo.appointments import campaign_days


@pytest.mark.parametrize(
    ("today", "first"),
    [
        (date(2026, 11, 30), date(2027, 1, 5)),
        (date(2027, 1, 1), date(2027, 1, 5)),
        (date(2027, 1, 10), date(2027, 1, 5)),
        (date(2027, 1, 11), date(2028, 1, 5)),
        (date(2027, 7, 1), date(2028, 1, 5)),
    ],
)
def test_the_campaign_is_the_next_january(today: date, first: date) -> None:
    assert campaign_days(today) == (first, first.replace(day=10))
