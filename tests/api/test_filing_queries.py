"""What one filing through the API costs the database, counted, so that a change that adds a
query per filing fails here instead of in the load harness. Issue 20 aims for fewer than 8.

Everything that is the same for every filing of a service — the API client, the service with
its entity and parsed published version, the consent text, the entity's calendar, the
localities, the owning dependency, whether a rule assigns its cases — is remembered
(`core.memo`), so a filing reads one row (its idempotency key) and writes its own."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.api.test_cases_api import body, call_centre, post  # noqa: F401

# Each attached document adds its stored file's record (written before the transaction, so a
# failed filing can clean it up) and its row on the case.
PER_DOCUMENT = ('INSERT INTO "cases_pendingfile"', 'INSERT INTO "cases_casedocument"')
# The idempotency key; the savepoint (a test runs inside a transaction; in production this is
# the transaction's BEGIN and COMMIT); the counter, last; the case, its first route event and
# the receipt's outbox row, which the worker's outbox loop finds by itself.
EXPECTED = [
    "SELECT",
    "SAVEPOINT",
    "UPDATE cases_filingcounter",
    'INSERT INTO "cases_case"',
    'INSERT INTO "cases_timelineevent"',
    'INSERT INTO "notifications_notification"',
    "RELEASE SAVEPOINT",
]


def test_a_filing_through_the_api_reads_one_row_and_writes_its_own(
    client: Client,
    call_centre: str,  # noqa: F811
    settings: Any,
) -> None:
    # The queue as in production: the receipt is its outbox row alone, no task row with it.
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "mail"]}
    }
    assert post(client, call_centre, body(idempotency_key="warm-up")).status_code == 201
    with CaptureQueriesContext(connection) as queries:
        response = post(client, call_centre, body(idempotency_key="counted"))
    assert response.status_code == 201
    statements = [q["sql"] for q in queries.captured_queries]
    shown = "\n".join(sql[:120] for sql in statements)
    per_document = [sql for sql in statements if sql.startswith(PER_DOCUMENT)]
    assert len(per_document) == 2, shown  # the one document of the body
    own = [sql for sql in statements if not sql.startswith(PER_DOCUMENT)]
    assert len(own) == len(EXPECTED) < 8, shown
    for sql, expected in zip(own, EXPECTED, strict=True):
        assert sql.startswith(expected), shown
    assert "idempotency_key" in own[0], shown
