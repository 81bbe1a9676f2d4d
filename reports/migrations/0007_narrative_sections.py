# Sections I–III become drafts written from the figures, edited per section (EditedSection);
# the free texts the office had written are kept as edited sections.

import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def texts_to_sections(apps, schema_editor):
    narrative_model = apps.get_model("reports", "ReportNarrative")
    section_model = apps.get_model("reports", "EditedSection")
    for narrative in narrative_model.objects.all():
        shortcomings = "\n\n".join(
            f"{title}:\n{text.strip()}"
            for title, text in (("Hạn chế", narrative.limitations), ("Nguyên nhân", narrative.causes))
            if text.strip()
        )
        texts = {
            "results": narrative.results.strip(),
            "shortcomings": shortcomings,
            "directions": narrative.tasks_ahead.strip(),
        }
        for section, text in texts.items():
            if text:
                section_model.objects.create(
                    organization_id=narrative.organization_id,
                    program_id=narrative.program_id,
                    period_id=narrative.period_id,
                    kind=narrative.kind,
                    section=section,
                    text=text,
                    edited_by_id=narrative.updated_by_id,
                )


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0005_catalogue"),
        ("organizations", "0004_depth_path_index"),
        ("programs", "0001_initial"),
        ("reports", "0006_report_word_format"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="frozenreport",
            name="texts",
            field=models.JSONField(blank=True, default=dict, verbose_name="texts"),
        ),
        migrations.CreateModel(
            name="EditedSection",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("periodic", "Periodic report (six-monthly or annual)"),
                            ("mid_term", "Mid-term review (sơ kết)"),
                            ("final", "Final review (tổng kết)"),
                        ],
                        default="periodic",
                        max_length=16,
                        verbose_name="kind of report",
                    ),
                ),
                (
                    "section",
                    models.CharField(
                        choices=[
                            ("results", "I. Results"),
                            ("shortcomings", "II. Shortcomings and causes"),
                            ("directions", "III. Directions and tasks ahead"),
                        ],
                        max_length=16,
                        verbose_name="section",
                    ),
                ),
                (
                    "text",
                    models.TextField(
                        validators=[django.core.validators.MaxLengthValidator(20000)], verbose_name="text"
                    ),
                ),
                ("draft", models.TextField(blank=True, verbose_name="draft it was edited from")),
                ("version", models.PositiveIntegerField(default=1)),
                ("edited_at", models.DateTimeField(auto_now=True, verbose_name="edited at")),
                (
                    "edited_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "organization",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to="organizations.organization"
                    ),
                ),
                (
                    "period",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to="indicators.reportingperiod"
                    ),
                ),
                (
                    "program",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="+", to="programs.program"
                    ),
                ),
            ],
            options={
                "verbose_name": "edited section of a report",
                "verbose_name_plural": "edited sections of reports",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("organization", "program", "period", "kind", "section"),
                        name="one_edit_per_report_section",
                    )
                ],
            },
        ),
        migrations.RunPython(texts_to_sections, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name="reportnarrative",
            name="causes",
        ),
        migrations.RemoveField(
            model_name="reportnarrative",
            name="limitations",
        ),
        migrations.RemoveField(
            model_name="reportnarrative",
            name="results",
        ),
        migrations.RemoveField(
            model_name="reportnarrative",
            name="tasks_ahead",
        ),
    ]
