"""A pattern index so `path LIKE 'prefix%'` (every subtree query) uses an index on PostgreSQL.

The unique index on path follows the database collation, which PostgreSQL cannot
use for LIKE unless the collation is C; varchar_pattern_ops can. SQLite needs nothing.
"""

from django.db import migrations

INDEXES = [
    ("organizations_organization", "path", "org_path_prefix_idx"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, column, name in INDEXES:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({column} varchar_pattern_ops)")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for _table, _column, name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("organizations", "0002_levels")]

    operations = [migrations.RunPython(create, drop)]
