"""The gap-free series of an entity: filing numbers (`in`) and issued documents (`out`), one
counter row per entity, year and series (ADR 0006)."""

from __future__ import annotations

from django.db import connection

from ventanilla.cases.models import FilingCounter


def counter_next(*, entity_id: int, year: int, series: str) -> int:
    """Take the next number of the series, in the caller's transaction: one `UPDATE …
    RETURNING`, which locks the row until the transaction ends, so call it last. The row is
    created the first time (a concurrent first filing waits for it or meets it created)."""
    table = FilingCounter._meta.db_table
    sql = (
        f"UPDATE {table} SET last = last + 1 "  # noqa: S608 - the table name is ours
        "WHERE entity_id = %s AND year = %s AND series = %s RETURNING last"
    )
    for _attempt in range(2):
        with connection.cursor() as cursor:
            cursor.execute(sql, [entity_id, year, series])
            row = cursor.fetchone()
        if row is not None:
            return int(row[0])
        FilingCounter.objects.get_or_create(entity_id=entity_id, year=year, series=series)
    raise RuntimeError("the counter row could not be created")  # pragma: no cover
