from django.db import migrations

from ventanilla.notifications.defaults import ensure_default_templates
from ventanilla.places.notices import TEMPLATES


def create(apps, schema_editor):
    ensure_default_templates(apps.get_model("notifications", "NotificationTemplate"), TEMPLATES)


class Migration(migrations.Migration):
    dependencies = [
        ("places", "0001_seasons_offers_applications"),
        ("notifications", "0004_events_from_a_registry"),
    ]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
