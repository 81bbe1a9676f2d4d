"""The events' values compressed with lz4 instead of PostgreSQL's default pglz.

An import's bulk events (unionportal/bulk_trail.py) hold the values of up to 2,000 new members each,
100-odd KB of JSON that PostgreSQL compresses as it stores it: with pglz 0.59 s of the server's
time for a 100,000-member import, with lz4 0.36 s (BENCHMARKS.md, issue 17 point 1), for a fifth
more space. The rows already stored stay as they are; PostgreSQL reads both. A server built without
lz4, or another database, keeps its default.
"""

from django.db import migrations

COLUMNS = ("before", "after")


def compress_with_lz4(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'")
        if not (cursor.fetchone() or [False])[0]:
            return
        for column in COLUMNS:
            cursor.execute(f'ALTER TABLE audit_auditevent ALTER COLUMN "{column}" SET COMPRESSION lz4')


def compress_as_before(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for column in COLUMNS:
            cursor.execute(f'ALTER TABLE audit_auditevent ALTER COLUMN "{column}" SET COMPRESSION DEFAULT')


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_bulk_events")]

    operations = [migrations.RunPython(compress_with_lz4, compress_as_before)]
