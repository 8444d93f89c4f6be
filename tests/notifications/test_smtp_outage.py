"""An SMTP outage delays mail but loses none, sends none twice, and never fails a filing."""

from __future__ import annotations

import socket
from datetime import timedelta
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from tests.cases.test_case_file import file_one
from ventanilla.cases.models import Case
from ventanilla.catalog.models import Service
from ventanilla.core import clock
from ventanilla.notifications.models import Notification, State
from ventanilla.notifications.services import notifications_deliver_due


class Inbox:
    def __init__(self) -> None:
        self.received: list[tuple[list[str], bytes]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.received.append((list(envelope.rcpt_tos), envelope.content))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
def smtp(settings: Any) -> Any:
    port = free_port()
    inbox = Inbox()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 3},
        }
    }

    class Server:
        def __init__(self) -> None:
            self.controller: Controller | None = None
            self.inbox = inbox

        def start(self) -> None:
            self.controller = Controller(inbox, hostname="127.0.0.1", port=port)
            self.controller.start()

        def stop(self) -> None:
            if self.controller is not None:
                self.controller.stop()
                self.controller = None

    server = Server()
    yield server
    server.stop()


def test_mail_queued_during_an_outage_arrives_once_when_the_server_is_back(
    reference_service: Service, smtp: Any, django_capture_on_commit_callbacks: Any
) -> None:
    # The server is down: every filing still succeeds.
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            file_one(reference_service)
    assert Case.objects.count() == 3
    pending = Notification.objects.filter(channel="email")
    assert pending.count() == 3
    assert all(n.state == State.PENDING and n.attempts == 1 for n in pending)
    assert all("Connection refused" in n.last_error or "Errno" in n.last_error for n in pending)

    smtp.start()
    # Not before the backoff has passed.
    assert notifications_deliver_due() == 0
    with clock.frozen(clock.now() + timedelta(minutes=2)):
        assert notifications_deliver_due() == 3
        assert notifications_deliver_due() == 0  # nothing is sent twice
    assert sorted(r[0][0] for r in smtp.inbox.received) == ["marta@example.co"] * 3
    assert len(smtp.inbox.received) == 3
    assert Notification.objects.filter(state=State.SENT, channel="email").count() == 3


def test_a_working_server_gets_the_receipt_at_once(
    reference_service: Service, smtp: Any, django_capture_on_commit_callbacks: Any
) -> None:
    smtp.start()
    with django_capture_on_commit_callbacks(execute=True):
        case = file_one(reference_service).case
    assert len(smtp.inbox.received) == 1
    assert case.filing_number.encode() in smtp.inbox.received[0][1]
