from datetime import timedelta

import pytest
from django.test import Client

from ventanilla.core import clock
from ventanilla.core.services import heartbeat_record

pytestmark = pytest.mark.django_db


def test_healthz_reports_worker_down_when_no_heartbeat(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["database"]["ok"] is True
    assert body["worker"] == {"ok": False, "last_seen": None, "age_seconds": None}


def test_healthz_is_ok_with_a_recent_heartbeat(client: Client) -> None:
    heartbeat_record(worker_id="w1", started_at=clock.now())
    body = client.get("/healthz").json()
    assert body["status"] == "ok"
    assert body["worker"]["ok"] is True


def test_healthz_reports_a_stale_heartbeat(client: Client, settings: object) -> None:
    past = clock.now() - timedelta(minutes=10)
    with clock.frozen(past):
        heartbeat_record(worker_id="w1", started_at=past)
    body = client.get("/healthz").json()
    assert body["status"] == "degraded"
    assert body["worker"]["ok"] is False
    assert body["worker"]["age_seconds"] >= 600


def test_healthz_fails_when_the_database_is_unreachable(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.db import DatabaseError
    from django.db.backends.utils import CursorWrapper

    def broken(*args: object, **kwargs: object) -> None:
        raise DatabaseError("connection refused")

    monkeypatch.setattr(CursorWrapper, "execute", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "fail"
