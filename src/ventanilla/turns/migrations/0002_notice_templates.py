from django.db import migrations

from ventanilla.turns.defaults import ensure_turn_templates


def add_templates(apps, schema_editor):
    ensure_turn_templates(apps.get_model("notifications", "NotificationTemplate"))


class Migration(migrations.Migration):
    dependencies = [
        ("turns", "0001_initial"),
        ("notifications", "0004_events_from_a_registry"),
    ]

    operations = [migrations.RunPython(add_templates, migrations.RunPython.noop)]
