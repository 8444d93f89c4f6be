"""The first data-processing notice (text in ventanilla.accounts.defaults)."""

from django.db import migrations

from ventanilla.accounts.defaults import ensure_first_consent_text


def create(apps, schema_editor):
    ensure_first_consent_text(apps.get_model("accounts", "ConsentText"))


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
