"""A real SMTP server (aiosmtpd, in this process) that a test starts and stops."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from email import message_from_bytes, policy
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from tests.catalog.fixtures import organisation, reference_service  # noqa: F401


class Inbox:
    """What the server received: (recipients, raw message, time it arrived)."""

    def __init__(self) -> None:
        self.received: list[tuple[list[str], bytes, float]] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.lock:
            self.received.append((list(envelope.rcpt_tos), envelope.content, time.time()))
        return "250 OK"

    def message_ids(self) -> list[str]:
        with self.lock:
            return [str(message_from_bytes(raw)["Message-ID"]) for _, raw, _ in self.received]

    def texts(self) -> dict[str, str]:
        """The decoded text of the last message to each recipient."""
        with self.lock:
            return {
                to[0]: message_from_bytes(raw, policy=policy.default).get_body().get_content()
                for to, raw, _ in self.received
            }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class SmtpServer:
    def __init__(self, port: int, inbox: Inbox) -> None:
        self.port = port
        self.inbox = inbox
        self.controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


def smtp_server(settings: Any, inbox: Inbox) -> SmtpServer:
    """A server on a free port, not started, that Django's mailer is pointed at."""
    port = free_port()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 3},
        }
    }
    return SmtpServer(port, inbox)


@pytest.fixture
def smtp(settings: Any) -> Iterator[SmtpServer]:
    server = smtp_server(settings, Inbox())
    yield server
    server.stop()
