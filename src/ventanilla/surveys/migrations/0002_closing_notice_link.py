from django.db import migrations

from ventanilla.surveys.notices import add_survey_link, remove_survey_link


def forward(apps, schema_editor):
    add_survey_link(apps.get_model("notifications", "NotificationTemplate"))


def backward(apps, schema_editor):
    remove_survey_link(apps.get_model("notifications", "NotificationTemplate"))


class Migration(migrations.Migration):
    dependencies = [
        ("surveys", "0001_initial"),
        ("notifications", "0004_events_from_a_registry"),
    ]

    operations = [migrations.RunPython(forward, backward)]
