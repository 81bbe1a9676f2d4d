"""Migration 0005: the free texts written before sections were drafted are kept as edited sections."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from audit import triggers

BEFORE = [("reports", "0004_job_heartbeat")]
AFTER = [("reports", "0007_narrative_sections")]


@pytest.mark.django_db(transaction=True)
def test_the_texts_written_before_become_edited_sections(cast):
    from tests import builders

    program = builders.program(cast.district, code="XP-CTR")
    period = builders.period("2024")
    executor = MigrationExecutor(connection)
    try:
        executor.migrate(BEFORE)
        old = executor.loader.project_state(BEFORE).apps
        old.get_model("reports", "ReportNarrative").objects.create(
            organization_id=cast.district.pk,
            program_id=program.pk,
            period_id=period.pk,
            kind="periodic",
            results="Kết quả nổi bật.",
            limitations="Chưa đều.",
            causes="",
            tasks_ahead="  Tập trung chỉ tiêu 4.1.  ",
            updated_by_id=cast.owner.pk,
        )
        executor = MigrationExecutor(connection)
        executor.migrate(AFTER)
        new = executor.loader.project_state(AFTER).apps
        rows = new.get_model("reports", "EditedSection").objects.order_by("section")
        assert [(r.section, r.text, r.edited_by_id, r.kind) for r in rows] == [
            ("directions", "Tập trung chỉ tiêu 4.1.", cast.owner.pk, "periodic"),
            ("results", "Kết quả nổi bật.", cast.owner.pk, "periodic"),
            ("shortcomings", "Hạn chế:\nChưa đều.", cast.owner.pk, "periodic"),
        ]
    finally:
        MigrationExecutor(connection).migrate(executor.loader.graph.leaf_nodes())
        if connection.vendor == "sqlite":  # rebuilt tables lost their audit triggers
            triggers.install_sqlite(connection, replace=True)
        else:
            triggers.install_postgresql(connection)
