"""The demo's task reports: Quang Bình's own, and Quảng Trị's districts rolled up, in the reports."""

from __future__ import annotations

import pytest

from indicators.models import ReportingPeriod, TaskEvidence
from organizations.models import Organization
from programs.models import Program
from reports.data import build_report
from reports.models import FrozenReport
from reports.snapshots import from_snapshot

pytestmark = pytest.mark.usefixtures("demo")


@pytest.mark.django_db
def test_the_quang_binh_report_of_2024_lists_its_tasks_with_results_and_evidence():
    data = build_report(
        Organization.objects.get(code="HG-QB"),
        Program.objects.get(code="QB-CTR04"),
        ReportingPeriod.objects.get(code="2024"),
    )
    assert [(t.order, [line.status for line in t.lines]) for t in data.tasks] == [
        (1, ["in_progress"]),
        (2, ["not_started"]),
        (3, ["not_reported"]),
    ]
    assert data.tasks[0].lines[0].evidence == ("anh-hoi-nghi-2024.png",)
    assert all(e.file.storage.exists(e.file.name) for e in TaskEvidence.objects.all())


@pytest.mark.django_db
def test_the_accepted_quang_tri_report_of_2023_keeps_its_districts_tasks_rolled_up():
    frozen = FrozenReport.objects.latest_for(
        Organization.objects.get(code="QT"),
        Program.objects.get(code="QT-CTR1823"),
        ReportingPeriod.objects.get(code="2023"),
    )
    first = from_snapshot(frozen.data).tasks[0]
    assert {line.organization: line.status for line in first.lines} == {
        "QT": "done",
        "QT-DH": "done",
        "QT-VL": "in_progress",
        "QT-HL": "not_reported",
    }
    assert first.summary == "Đang triển khai: 1; Hoàn thành: 2; Chưa báo cáo: 1"
