from django.db import migrations

from ventanilla.surveys.notices import ensure_turn_templates, remove_turn_templates


def forward(apps, schema_editor):
    ensure_turn_templates(apps.get_model("notifications", "NotificationTemplate"))


def backward(apps, schema_editor):
    remove_turn_templates(apps.get_model("notifications", "NotificationTemplate"))


class Migration(migrations.Migration):
    dependencies = [
        ("surveys", "0003_invitation_after_a_turn"),
        ("notifications", "0004_events_from_a_registry"),
    ]

    operations = [migrations.RunPython(forward, backward)]
