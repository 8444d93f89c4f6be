"""On the embedded default a web process keeps its SQLite connection from one request to the
next: a new one parses the whole schema before its first query (docs/performance.md)."""

from __future__ import annotations

from typing import Any
from wsgiref.util import setup_testing_defaults

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL uses Django's pool"),
]


def serve(path: str) -> str:
    """One request through Django's WSGI handler as gunicorn calls it (unlike the test client,
    it closes old connections when the request starts and ends); its status line."""
    environ: dict[str, Any] = {"PATH_INFO": path, "HTTP_HOST": "localhost"}
    setup_testing_defaults(environ)
    statuses: list[str] = []
    body = WSGIHandler()(environ, lambda status, headers, exc_info=None: statuses.append(status))
    b"".join(body)
    body.close()  # the end of the request, as the server signals it
    return statuses[0]


def test_the_next_request_reuses_the_connection() -> None:
    assert serve("/healthz").startswith("200")  # it reads the database
    first = connection.connection
    assert first is not None  # still open after the request ended
    assert serve("/healthz").startswith("200")
    assert connection.connection is first
