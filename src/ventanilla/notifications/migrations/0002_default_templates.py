"""Default notification texts (in ventanilla.notifications.defaults)."""

from django.db import migrations

from ventanilla.notifications.defaults import ensure_default_templates


def create(apps, schema_editor):
    ensure_default_templates(apps.get_model("notifications", "NotificationTemplate"))


class Migration(migrations.Migration):
    dependencies = [("notifications", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
