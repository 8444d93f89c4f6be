"""Migration operations that do not stop a running deployment.

`CREATE INDEX` locks a table against writes until the index is built: on a table of a million
cases that is filings refused for tens of seconds. On PostgreSQL `AddIndexOnline` builds the
index `CONCURRENTLY` (writes go on; the migration must say `atomic = False`); elsewhere it is a
plain `AddIndex`. A concurrent build that fails leaves an invalid index behind: drop it
(`DROP INDEX CONCURRENTLY name`) and migrate again.
"""

from __future__ import annotations

from typing import Any

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations


class AddIndexOnline(migrations.AddIndex):
    """`AddIndex`, built without blocking writes where the database can."""

    def _on(self, schema_editor: Any) -> migrations.AddIndex:
        """The operation that does the work on `schema_editor`'s database."""
        if schema_editor.connection.vendor == "postgresql":
            return AddIndexConcurrently(self.model_name, self.index)
        return migrations.AddIndex(self.model_name, self.index)

    def database_forwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        self._on(schema_editor).database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        self._on(schema_editor).database_backwards(app_label, schema_editor, from_state, to_state)
