from django.db import migrations

from ventanilla.appointments.notices import TEMPLATES
from ventanilla.notifications.defaults import ensure_default_templates


def create(apps, schema_editor):
    ensure_default_templates(apps.get_model("notifications", "NotificationTemplate"), TEMPLATES)


class Migration(migrations.Migration):
    dependencies = [("appointments", "0003_booking_expired")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
