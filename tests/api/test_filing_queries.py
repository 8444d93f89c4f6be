"""What one filing through the API costs the database, counted, so that a change that adds a
query per filing fails here instead of in the load harness. Issue 20 aims for fewer than 8."""

from __future__ import annotations

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.api.test_cases_api import body, call_centre, post  # noqa: F401

# Reads: the API client's token, the service with its entity, its published version, the
# consent text, the idempotency key, the answer's locality, the owning dependency, the entity's
# closures, the assignment rule. Writes: the stored file's record, the counter (last), the
# case, its document, the route's first event, the receipt's outbox row; and the savepoint's
# two statements.
QUERIES_PER_FILING = 17


def test_a_filing_through_the_api_costs_a_known_number_of_queries(
    client: Client,
    call_centre: str,  # noqa: F811
) -> None:
    assert post(client, call_centre, body(idempotency_key="warm-up")).status_code == 201
    with CaptureQueriesContext(connection) as queries:
        response = post(client, call_centre, body(idempotency_key="counted"))
    assert response.status_code == 201
    statements = [q["sql"].split(" ")[0] for q in queries.captured_queries]
    assert len(statements) <= QUERIES_PER_FILING, "\n".join(
        q["sql"][:120] for q in queries.captured_queries
    )
