"""A GIN index for the inbox's Spanish full-text search, on PostgreSQL only (SQLite searches
with a plain scan of the already normalised text)."""

from django.db import migrations

INDEX = (
    "CREATE INDEX IF NOT EXISTS case_search_fts ON cases_case "
    "USING GIN (to_tsvector('spanish'::regconfig, COALESCE(search_text, '')))"
)


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(INDEX)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS case_search_fts")


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_case_response_draft_case_response_drafted_by_and_more")]
    operations = [migrations.RunPython(create, drop)]
