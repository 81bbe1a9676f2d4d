"""The standard catalogue of reported data elements (indicators/catalogue)."""

from django.db import migrations


def load(apps, schema_editor):
    from indicators.catalogue import sync

    sync(
        apps.get_model("indicators", "DataElement"),
        apps.get_model("indicators", "DataElementRule"),
        apps.get_model("organizations", "Level"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0004_target_constraints"),
        ("organizations", "0002_levels"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
