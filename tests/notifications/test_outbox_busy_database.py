"""On the embedded default (SQLite) the whole database has one write lock, and filings that
never let up can keep it from the worker's outbox past its timeout. That round is waited out: a
warning without a traceback, nothing claimed, and the mail goes at the next round. Any other
failure stays an error with its traceback."""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection

from ventanilla.core.management.commands.worker import _loop
from ventanilla.notifications import services
from ventanilla.notifications.models import Channel, Event, Notification, State
from ventanilla.notifications.services import (
    Recipient,
    notification_queue,
    notifications_deliver_next,
)

pytestmark = pytest.mark.django_db(transaction=True)
WORKER_LOG = "ventanilla.core.management.commands.worker"


@pytest.fixture(autouse=True)
def _database_queue(settings: Any) -> None:
    """As in production: a notification waits in the outbox for the worker's loop."""
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "mail"]}
    }


@pytest.fixture
def short_busy_wait() -> Iterator[None]:
    """Connections that wait 0.2 s for a lock instead of 20 s."""
    options = connection.settings_dict["OPTIONS"]
    saved = options.get("timeout")
    connection.close()
    options["timeout"] = 0.2
    yield
    connection.close()
    if saved is None:
        options.pop("timeout")
    else:
        options["timeout"] = saved


def _two_rounds(monkeypatch: pytest.MonkeyPatch, before: Any) -> list[int]:
    """Run the outbox's loop for two rounds, calling `before(round)` ahead of each real
    delivery. Returns what each round delivered (-1 for a round that raised)."""
    done: list[int] = []
    stop = threading.Event()

    def round_() -> int:
        try:
            before(len(done))
            done.append(notifications_deliver_next())
        except Exception:
            done.append(-1)
            raise
        finally:
            if len(done) == 2:
                stop.set()
        return done[-1]

    monkeypatch.setattr(services, "_test_round", round_, raising=False)
    _loop("ventanilla.notifications.services._test_round", 0.05, stop)
    return done


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's database-wide write lock")
def test_a_round_kept_from_the_write_lock_is_a_warning_and_the_mail_goes_next_round(
    short_busy_wait: None, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    notification_queue(
        event=Event.CASE_FILED,
        recipients=[Recipient(channel=Channel.EMAIL, address="ana@example.co")],
        context={"code": "482913", "filing_number": "SED-2026-000001"},
    )
    # Another process's filing holds the write lock through the first round only.
    writer = sqlite3.connect(connection.settings_dict["NAME"], isolation_level=None)

    def hold_then_release(round_: int) -> None:
        writer.execute("BEGIN IMMEDIATE" if round_ == 0 else "ROLLBACK")

    caplog.set_level(logging.WARNING, logger=WORKER_LOG)
    try:
        done = _two_rounds(monkeypatch, hold_then_release)
    finally:
        writer.close()
    assert done == [-1, 1]
    records = [r for r in caplog.records if r.name == WORKER_LOG]
    assert [r.levelname for r in records] == ["WARNING"]
    assert records[0].exc_info is None
    assert "_test_round" in records[0].getMessage()
    assert "database is locked" in records[0].getMessage()
    # The busy round claimed nothing: the one attempt is the round that sent it.
    row = Notification.objects.get()
    assert (row.state, row.attempts) == (State.SENT, 1)


def test_any_other_database_failure_stays_an_error_with_its_traceback(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(round_: int) -> None:
        if round_ == 0:
            with connection.cursor() as cursor:
                cursor.execute("SELECT * FROM a_table_nobody_made")

    caplog.set_level(logging.WARNING, logger=WORKER_LOG)
    done = _two_rounds(monkeypatch, broken)
    assert done == [-1, 0]  # the loop went on
    records = [r for r in caplog.records if r.name == WORKER_LOG]
    assert [r.levelname for r in records] == ["ERROR"]
    assert records[0].exc_info is not None
