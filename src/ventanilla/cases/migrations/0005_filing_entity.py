"""Number uniqueness belongs to the entity that numbered the filing, which a transfer for lack
of competence does not change."""

import django.db.models.deletion
from django.db import migrations, models


def copy_entity(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    Case.objects.update(filing_entity=models.F("entity"))


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0004_inbox_open_index"),
        ("organization", "0001_initial"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="case", name="case_unique_sequence"),
        migrations.AddField(
            model_name="case",
            name="filing_entity",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="organization.entity",
                verbose_name="entidad que radicó",
            ),
        ),
        migrations.RunPython(copy_entity, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="case",
            name="filing_entity",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="organization.entity",
                verbose_name="entidad que radicó",
            ),
        ),
        migrations.AddConstraint(
            model_name="case",
            constraint=models.UniqueConstraint(
                fields=("filing_entity", "year", "sequence"), name="case_unique_sequence"
            ),
        ),
    ]
