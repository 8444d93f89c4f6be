"""The whole demo: organisations, catalogue and a history of cases, loaded twice."""

from __future__ import annotations

import pytest

from ventanilla.demo.load import demo_load


@pytest.mark.django_db(transaction=True)
def test_the_full_demo_loads_catalogue_and_history_and_a_second_run_writes_nothing() -> None:
    from ventanilla.cases.models import Case
    from ventanilla.cases.timeline import verify_chain
    from ventanilla.cases.upkeep import information_requests_upkeep
    from ventanilla.catalog.models import Service
    from ventanilla.notifications.models import Notification, State

    first = demo_load()
    assert first["catalog services"].created == Service.objects.count() >= 1
    cases = Case.objects.count()
    assert first["cases (history)"].created == cases > 50
    states = set(Case.objects.values_list("sla_state", flat=True))
    assert {"closed", "paused"} <= states
    assert all(verify_chain(c, c.timeline.order_by("sequence")) is None for c in Case.objects.all())
    # The worker's first round finds nothing due: no demo case lapses or is reminded at once,
    # and no mail about the past history goes out.
    assert information_requests_upkeep() == (0, 0)
    assert not Notification.objects.filter(state=State.PENDING).exists()
    # Turns at the 20 support centres and the first school of each locality, two queues each.
    assert first["turn queues"].created == 80
    second = demo_load()
    assert sum(t.created + t.updated for t in second.values()) == 0
    assert Case.objects.count() == cases
