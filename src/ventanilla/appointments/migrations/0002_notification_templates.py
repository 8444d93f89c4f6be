from django.db import migrations

from ventanilla.appointments.notices import TEMPLATES
from ventanilla.notifications.defaults import ensure_default_templates


def create(apps, schema_editor):
    ensure_default_templates(apps.get_model("notifications", "NotificationTemplate"), TEMPLATES)


class Migration(migrations.Migration):
    dependencies = [
        ("appointments", "0001_schedules_and_bookings"),
        ("notifications", "0004_events_from_a_registry"),
    ]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
