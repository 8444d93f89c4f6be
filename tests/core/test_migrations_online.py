"""The inbox's indexes are built without stopping filings on PostgreSQL."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

INBOX_INDEXES = {
    "0009": "case_open_dependency_due",
    "0010": "case_open_entity_state",
}


# Outside a test transaction, as `migrate` runs them: a concurrent build refuses to run in one.
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("migration", sorted(INBOX_INDEXES))
def test_the_inbox_indexes_are_built_without_locking_out_filings(migration: str) -> None:
    out = StringIO()
    call_command("sqlmigrate", "cases", migration, stdout=out)
    sql = out.getvalue()
    assert f'"{INBOX_INDEXES[migration]}"' in sql
    if connection.vendor == "postgresql":
        # CONCURRENTLY cannot run inside a transaction: the migration must not open one.
        assert "CREATE INDEX CONCURRENTLY" in sql and "BEGIN;" not in sql
    else:
        assert "CONCURRENTLY" not in sql and "CREATE INDEX" in sql
    with connection.cursor() as cursor:
        names = connection.introspection.get_constraints(cursor, "cases_case")
    assert INBOX_INDEXES[migration] in names
