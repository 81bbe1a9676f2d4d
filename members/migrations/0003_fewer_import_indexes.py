"""Fewer indexes for every new member to update (a 100,000-member import: ~0.4 s less of the server).

- membership periods: branch_id alone, which the (branch, start_on, end_on) index already serves;
- members (PostgreSQL): the varchar_pattern_ops copies Django adds beside the unique indexes of
  card_number and citizen_id for LIKE 'prefix%' searches, which nothing makes: searches are
  icontains (UPPER … LIKE '%…%'), which no b-tree serves, and exact lookups use the unique index.
"""

import django.db.models.deletion
from django.db import migrations, models

LIKE_COLUMNS = ("card_number", "citizen_id")


def _like_indexes(schema_editor):
    table = "members_member"
    return [(column, schema_editor._create_index_name(table, [column], suffix="_like")) for column in LIKE_COLUMNS]


def drop_like_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for _column, name in _like_indexes(schema_editor):
        schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(name)}")


def create_like_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column, name in _like_indexes(schema_editor):
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {schema_editor.quote_name(name)} ON members_member ({column} varchar_pattern_ops)"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0002_fewer_indexes"),
        ("organizations", "0006_restructured_on"),
    ]

    operations = [
        migrations.AlterField(
            model_name="membershipperiod",
            name="branch",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="membership_periods",
                to="organizations.organization",
            ),
        ),
        migrations.RunPython(drop_like_indexes, create_like_indexes),
    ]
