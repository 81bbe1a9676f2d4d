"""An index on (depth, path) so a body's children (`path LIKE 'prefix%' AND depth = n`) are read
from the index on PostgreSQL: the confederation's 34 provinces, not a scan of 135,000 bodies.

The pattern operator class lets LIKE use it whatever the collation (see 0003). SQLite needs nothing.
"""

from django.db import migrations

NAME = "org_depth_path_idx"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {NAME} ON organizations_organization (depth, path varchar_pattern_ops)"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {NAME}")


class Migration(migrations.Migration):
    dependencies = [("organizations", "0003_path_prefix_index")]

    operations = [migrations.RunPython(create, drop)]
