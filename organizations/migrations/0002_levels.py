"""The five levels of DOMAIN.md, as rows: a new kind of body is data, not a migration."""

from django.db import migrations

LEVELS = [
    (0, "national", "Trung ương"),
    (1, "provincial", "Tỉnh, thành phố, ngành trung ương"),
    (2, "upper", "Cấp trên trực tiếp cơ sở"),
    (3, "base", "Công đoàn cơ sở"),
    (4, "below_base", "Dưới cơ sở (công đoàn bộ phận, tổ công đoàn)"),
]


def create_levels(apps, schema_editor):
    Level = apps.get_model("organizations", "Level")
    for rank, code, name in LEVELS:
        Level.objects.update_or_create(code=code, defaults={"rank": rank, "name": name})


class Migration(migrations.Migration):
    dependencies = [("organizations", "0001_initial")]

    operations = [migrations.RunPython(create_levels, migrations.RunPython.noop)]
