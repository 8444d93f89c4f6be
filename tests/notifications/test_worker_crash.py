"""The honest crash test: the worker, a real `manage.py worker` process, is killed with SIGKILL
while the mail server holds one of its messages; a new worker sends everything, loses nothing,
re-sends the interrupted message with the same Message-ID, and does so seconds after the
lease ends."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection

from tests.notifications.conftest import Inbox, SmtpServer, free_port
from ventanilla.notifications.models import Channel, Event, Notification, State
from ventanilla.notifications.services import Recipient, message_id, notification_queue

LEASE_SECONDS = 5
SMTP_TIMEOUT = 4  # the lease must outlast it
MAILS = 5


class StallingInbox(Inbox):
    """Takes the first message, then holds the answer until released: the worker is then
    between handing the message over and hearing that it was accepted."""

    def __init__(self) -> None:
        super().__init__()
        self.release = threading.Event()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        answer = await super().handle_DATA(server, session, envelope)
        if len(self.received) == 1:
            while not self.release.is_set():
                await asyncio.sleep(0.05)
        return answer


def database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


class Worker:
    def __init__(self, name: str, port: int, log: Path) -> None:
        env = {
            **os.environ,
            "DATABASE_URL": database_url(),
            "DATABASE_POOL_MAX": "0",
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(port),
            "EMAIL_TIMEOUT": str(SMTP_TIMEOUT),
            "NOTIFICATION_LEASE_SECONDS": str(LEASE_SECONDS),
            "NOTIFICATION_SWEEP_SECONDS": "1",
            "SITE_URL": settings.SITE_URL,
            "TASKS_IMMEDIATE": "false",
            "LOG_FORMAT": "text",
            # The test waits on these workers: beside the suite's other processes, a lower
            # priority would only make it slower.
            "WORKER_NICENESS": "0",
        }
        self.log = log.open("a")
        self.process = subprocess.Popen(  # noqa: S603 - our own command, no shell
            [
                sys.executable,
                "manage.py",
                "worker",
                "--no-reload",
                "--no-startup-delay",
                "--interval",
                "0.2",
                "--worker-id",
                name,
            ],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def kill(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)
        self.log.close()


def wait_for(condition: Any, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


@pytest.fixture
def stalling_smtp() -> Iterator[tuple[SmtpServer, StallingInbox]]:
    inbox = StallingInbox()
    server = SmtpServer(free_port(), inbox)
    server.start()
    yield server, inbox
    inbox.release.set()
    server.stop()


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_while_sending_loses_no_mail_and_its_successor_resends_it_in_seconds(
    stalling_smtp: tuple[SmtpServer, StallingInbox], settings: Any, tmp_path: Path
) -> None:
    server, inbox = stalling_smtp
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "mail"]}
    }
    rows = notification_queue(
        event=Event.GUEST_CODE,
        recipients=[
            Recipient(channel=Channel.EMAIL, address=f"persona{n}@example.co") for n in range(MAILS)
        ],
        context={"code": "482913"},
    )
    log = tmp_path / "worker.log"
    first = Worker("crash-first", server.port, log)
    second = None
    try:
        wait_for(lambda: len(inbox.received) == 1, 20, "the first message to reach the server")
        first.kill()  # SIGKILL: no except, no finally, nothing recorded
        killed_at = time.time()
        inbox.release.set()
        [interrupted_id] = inbox.message_ids()
        interrupted = Notification.objects.get(
            pk=int(re.findall(r"<notification\.(\d+)@", interrupted_id)[0])
        )
        assert interrupted.state == State.PENDING and interrupted.attempts == 1
        assert interrupted.next_attempt_at is not None
        lease_ends = interrupted.next_attempt_at.timestamp()

        second = Worker("crash-second", server.port, log)
        sent = Notification.objects.filter(pk__in=[r.pk for r in rows], state=State.SENT)
        wait_for(lambda: sent.count() == MAILS, 25, "every notification to be sent")
    except AssertionError:
        print(log.read_text())  # noqa: T201 - the workers' own account of what happened
        raise
    finally:
        first.kill()
        if second is not None:
            second.kill()

    # None lost: every recipient got its mail, each with the Message-ID of its notification.
    ids = Counter(inbox.message_ids())
    assert set(ids) == {message_id(r.pk) for r in rows}
    assert {to[0] for to, _, _ in inbox.received} == {r.recipient for r in rows}
    # The interrupted one arrived twice, recognisably the same message; no other repeated.
    assert ids[interrupted_id] == 2 and sum(ids.values()) == MAILS + 1
    resent_at = [
        at
        for (_, raw, at), mid in zip(inbox.received, inbox.message_ids(), strict=True)
        if mid == interrupted_id
    ][1]
    # Not before the lease ended, and within seconds of it.
    assert lease_ends - 0.5 <= resent_at <= lease_ends + 4, (killed_at, lease_ends, resent_at)
    interrupted.refresh_from_db()
    assert (interrupted.state, interrupted.attempts) == (State.SENT, 2)
