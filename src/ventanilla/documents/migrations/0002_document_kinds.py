"""The default kinds of document (`documents.defaults`)."""

from django.db import migrations

from ventanilla.documents.defaults import KINDS, ensure_document_kinds


def add_kinds(apps, schema_editor):
    ensure_document_kinds(apps.get_model("documents", "DocumentKind"))


def remove_kinds(apps, schema_editor):
    DocumentKind = apps.get_model("documents", "DocumentKind")
    DocumentKind.objects.filter(key__in=[k[0] for k in KINDS]).delete()


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_initial")]

    operations = [migrations.RunPython(add_kinds, remove_kinds)]
