"""With the database as the task queue (production and `make run`), the outbox is the queue: a
notification is one row in its caller's transaction — one commit, no task row — and the
worker's outbox loop sends what is due in batches, over one connection to the mail server,
reading each template once and recording every outcome in one statement."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult

from ventanilla.core import clock
from ventanilla.core.management.commands.worker import _loop
from ventanilla.notifications import services
from ventanilla.notifications.models import Channel, Event, Notification, State
from ventanilla.notifications.services import (
    OUTBOX_BATCH,
    Recipient,
    lease,
    notification_queue,
    notifications_deliver_next,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _database_queue(settings: Any) -> None:
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "mail"]}
    }


def queue(address: str, event: str = Event.CASE_FILED) -> None:
    notification_queue(
        event=event,
        recipients=[Recipient(channel=Channel.EMAIL, address=address)],
        context={"code": "482913", "filing_number": "SED-2026-000001"},
    )


def test_a_notification_is_one_row_in_its_callers_commit() -> None:
    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        queue("ana@example.co")
    statements = [q["sql"].split()[0].upper() for q in queries.captured_queries]
    assert statements.count("INSERT") == 1 and statements[-1] == "COMMIT", statements
    assert statements.count("COMMIT") == 1
    assert Notification.objects.count() == 1
    assert DBTaskResult.objects.count() == 0


def test_a_rolled_back_transaction_leaves_nothing_to_send() -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        queue("ana@example.co")
        raise RuntimeError("the filing failed after its notification was written")
    assert Notification.objects.count() == 0
    assert notifications_deliver_next() == 0


def test_the_loop_sends_a_batch_over_one_connection_in_a_few_statements(
    smtp: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    smtp.start()
    for n in range(OUTBOX_BATCH + 5):
        queue(f"persona{n}@example.co", Event.CASE_FILED if n % 2 else Event.GUEST_CODE)
    opened = []
    real_open = services.mailers.default.__class__.open

    def counting_open(self: Any) -> Any:
        fresh = real_open(self)
        opened.append(fresh)
        return fresh

    monkeypatch.setattr(services.mailers.default.__class__, "open", counting_open)
    with CaptureQueriesContext(connection) as queries:
        assert notifications_deliver_next() == OUTBOX_BATCH
    # One claim (SELECT … FOR UPDATE SKIP LOCKED, one UPDATE), each event's template read once
    # (in Spanish), and the outcomes in one transaction: two commits for fifty messages.
    statements = [q["sql"].split()[0].upper() for q in queries.captured_queries]
    assert statements.count("SELECT") == 3, statements
    assert statements.count("UPDATE") == 1 + OUTBOX_BATCH, statements
    assert statements.count("COMMIT") == 2, statements
    assert opened.count(True) == 1  # one connection for the fifty messages
    assert len(smtp.inbox.received) == OUTBOX_BATCH
    # Then the rest, and nothing twice.
    assert notifications_deliver_next() == 5
    assert notifications_deliver_next() == 0
    received = sorted(to[0] for to, _raw, _at in smtp.inbox.received)
    assert received == sorted(f"persona{n}@example.co" for n in range(OUTBOX_BATCH + 5))
    sent = Notification.objects.filter(state=State.SENT)
    assert sent.count() == OUTBOX_BATCH + 5
    assert all(row.attempts == 1 and row.subject and row.sent_at for row in sent)
    # The guest's code is a secret: sent, then not kept.
    codes = sent.filter(event=Event.GUEST_CODE)
    assert codes.exists() and all(row.body == "" for row in codes)
    filed = sent.filter(event=Event.CASE_FILED)
    assert all("SED-2026-000001" in row.body for row in filed)


def test_one_bad_address_does_not_hold_back_the_others(smtp: Any) -> None:
    smtp.start()
    queue("ana@example.co")
    queue("no es un correo\n")
    queue("luis@example.co")
    assert notifications_deliver_next() == 3
    by_address = {row.recipient: row for row in Notification.objects.all()}
    assert by_address["ana@example.co"].state == State.SENT
    assert by_address["luis@example.co"].state == State.SENT
    refused = by_address["no es un correo\n"]
    assert refused.state == State.PENDING and refused.last_error
    assert refused.next_attempt_at is not None and refused.next_attempt_at > clock.now()
    assert sorted(to[0] for to, _raw, _at in smtp.inbox.received) == [
        "ana@example.co",
        "luis@example.co",
    ]


def test_a_slow_server_gives_back_what_it_could_not_send_before_half_the_lease(
    smtp: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    smtp.start()
    for n in range(4):
        queue(f"persona{n}@example.co")
    real_send = services._send
    # Each message takes a third of the lease: after two, half of it has gone.
    step = int(lease().total_seconds() / 3)
    ticks = iter(range(step, 100 * step, step))

    def slow(row: Notification, *mailer: Any) -> None:
        real_send(row, *mailer)
        slow.now = next(ticks)  # type: ignore[attr-defined]

    slow.now = 0  # type: ignore[attr-defined]
    monkeypatch.setattr(services, "_send", slow)
    monkeypatch.setattr(services.time, "monotonic", lambda: float(slow.now))  # type: ignore[attr-defined]
    assert notifications_deliver_next() == 4
    rows = list(Notification.objects.order_by("pk"))
    assert [row.state for row in rows] == [State.SENT, State.SENT, State.PENDING, State.PENDING]
    # Given back untried: due at once, the attempt not counted, nothing sent twice.
    assert [row.attempts for row in rows[2:]] == [0, 0]
    assert all(row.next_attempt_at <= clock.now() for row in rows[2:])
    monkeypatch.undo()
    assert notifications_deliver_next() == 2
    assert len(smtp.inbox.received) == 4


def test_the_worker_loop_keeps_going_while_there_is_work_then_waits(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[int] = []
    stop = threading.Event()
    answers = iter([50, 50, 3, 0])

    def work() -> int:
        calls.append(1)
        done = next(answers, 0)
        if len(calls) == 4:
            stop.set()
        return done

    monkeypatch.setattr(services, "_test_work", work, raising=False)
    began = time.monotonic()
    _loop("ventanilla.notifications.services._test_work", 60.0, stop)
    # Three rounds with work ran back to back (no minute's wait between them), and the idle
    # round met the stop at once.
    assert len(calls) == 4
    assert time.monotonic() - began < 10


def test_a_stopping_worker_lets_its_outbox_round_finish(
    settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django_tasks_db.management.commands import db_worker

    from ventanilla.core.management.commands.worker import Command

    rounds: list[str] = []
    started = threading.Event()

    def slow_round() -> int:
        rounds.append("began")
        started.set()
        threading.Event().wait(0.3)  # a batch on a slow mail server
        rounds.append("ended")
        return 0

    def queue_runner(self: Any, *args: Any, **options: Any) -> None:
        started.wait(5)  # SIGTERM arrives while the outbox is in the middle of its round

    monkeypatch.setattr(services, "_test_round", slow_round, raising=False)
    settings.WORKER_LOOPS = [("ventanilla.notifications.services._test_round", 60.0)]
    settings.PERIODIC_TASKS = []
    settings.WORKER_NICENESS = 0  # this is the test process: it must keep its priority
    monkeypatch.setattr(db_worker.Command, "handle", queue_runner)
    Command().handle(worker_id="w1", queue_name="*")
    assert rounds == ["began", "ended"]
