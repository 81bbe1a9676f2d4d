"""Section I's tasks: in the report data, the JSON, a frozen version, the PDF and the workbook."""

from __future__ import annotations

import io

import openpyxl
import pytest
from pypdf import PdfReader

from indicators.models import TaskStatus
from indicators.tasks.services import task_evidence_add, task_report_save
from indicators.workflow import services as workflow
from reports.data import build_report
from reports.models import FrozenReport
from reports.renderers.pdf import render_pdf
from reports.renderers.xlsx import render_xlsx
from reports.snapshots import from_snapshot, to_snapshot
from tests import builders
from tests.indicators.tasks_world import pdf_bytes, task_world, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    world = task_world(cast)
    result = "Tổ chức 12 buổi tuyên truyền <b>cho 600 lượt</b> CNVCLĐ"
    builders.task_status(world.section, cast.district, world.period, cast.owner, status=TaskStatus.DONE, result=result)
    task_evidence_add(
        section=world.section,
        organization=cast.district,
        period=world.period,
        upload=upload("Biên bản hội nghị.pdf", pdf_bytes()),
        by=cast.owner,
    )
    return world


def test_the_province_report_lists_each_body_and_the_counts(cast, world):
    data = build_report(cast.province, world.program, world.period)
    [task] = data.tasks
    assert (task.order, task.title) == (1, "Tuyên truyền phát triển đoàn viên")
    assert [(line.organization, line.status, line.evidence) for line in task.lines] == [
        ("XP-A", "done", ("Biên bản hội nghị.pdf",)),
        ("XP-B", "not_reported", ()),
    ]
    assert task.counts == {"not_started": 0, "in_progress": 0, "done": 1, "not_done": 0, "not_reported": 1}
    assert task.summary == "Hoàn thành: 1; Chưa báo cáo: 1"
    assert data.to_json()["tasks"] == [
        {
            "order": 1,
            "title": "Tuyên truyền phát triển đoàn viên",
            "counts": {"not_started": 0, "in_progress": 0, "done": 1, "not_done": 0, "not_reported": 1},
            "bodies": [
                {
                    "organization": "XP-A",
                    "status": "done",
                    "result": "Tổ chức 12 buổi tuyên truyền <b>cho 600 lượt</b> CNVCLĐ",
                    "evidence": ["Biên bản hội nghị.pdf"],
                },
                {"organization": "XP-B", "status": "not_reported", "result": "", "evidence": []},
            ],
        }
    ]


def test_a_district_report_has_only_its_own_record(cast, world):
    [task] = build_report(cast.district, world.program, world.period).tasks
    assert [line.organization for line in task.lines] == ["XP-A"]


def test_a_frozen_version_keeps_the_tasks_as_they_were_when_accepted(cast, world):
    workflow.submission_submit(organization=cast.district, period=world.period, by=cast.owner)
    workflow.submission_accept(organization=cast.district, period=world.period, by=cast.provincial)
    frozen = FrozenReport.objects.latest_for(cast.district, world.program, world.period)
    assert from_snapshot(frozen.data).tasks == build_report(cast.district, world.program, world.period).tasks
    workflow.submission_reopen(organization=cast.district, period=world.period, by=cast.provincial, comment="Sửa")
    task_report_save(
        section=world.section,
        organization=cast.district,
        period=world.period,
        status="in_progress",
        result="",
        by=cast.owner,
    )
    frozen.refresh_from_db()
    assert from_snapshot(frozen.data).tasks[0].lines[0].status == "done"


def test_a_snapshot_round_trips_the_tasks_and_an_old_one_has_none(cast, world):
    data = build_report(cast.province, world.program, world.period)
    assert from_snapshot(to_snapshot(data)).tasks == data.tasks
    old = to_snapshot(data)
    del old["tasks"]
    assert from_snapshot(old).tasks == ()


def test_the_pdf_shows_the_tasks_with_their_results_as_text(cast, world):
    data = build_report(cast.province, world.program, world.period)
    reader = PdfReader(io.BytesIO(render_pdf(data, charts=False)))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    for words in (
        "Kết quả thực hiện các nhiệm vụ, giải pháp",
        "Tuyên truyền phát triển đoàn viên",
        "Hoàn thành",
        "Chưa báo cáo",
        "<b>cho 600 lượt</b>",  # typed markup is shown as typed
        "Biên bản hội nghị.pdf",
    ):
        assert words in text, words


def test_the_workbook_has_a_tasks_sheet(cast, world, tmp_path):
    data = build_report(cast.province, world.program, world.period)
    target = tmp_path / "report.xlsx"
    render_xlsx(data, cast.province, [], world.period, target)
    book = openpyxl.load_workbook(target)
    assert "Nhiệm vụ" in book.sheetnames
    rows = [[c.value for c in row] for row in book["Nhiệm vụ"].iter_rows(min_row=7)]
    assert rows == [
        [
            1,
            "Tuyên truyền phát triển đoàn viên",
            "XP-A",
            "LĐLĐ huyện A",
            "Hoàn thành",
            "Tổ chức 12 buổi tuyên truyền <b>cho 600 lượt</b> CNVCLĐ",
            "Biên bản hội nghị.pdf",
        ],
        [1, "Tuyên truyền phát triển đoàn viên", "XP-B", "LĐLĐ huyện B", "Chưa báo cáo", None, None],
    ]


def _task_counts(page: str) -> list[list[str]]:
    """The rows of the dashboard's task table: the task, then the count of each status."""
    table = page.split('id="task-counts"', 1)[1].split("</table>", 1)[0]
    rows = []
    for row in table.split("<tr")[2:]:  # past the header
        cells = [cell.split(">", 1)[1].split("</td>", 1)[0].strip() for cell in row.split("<td")[1:]]
        rows.append(cells)
    return rows


def test_the_province_dashboard_rolls_up_the_task_statuses_of_its_subtree(cast, world, login):
    from django.urls import reverse

    from programs.models import ProgramSection

    second = ProgramSection.objects.create(program=world.program, order=2, title="Kiểm tra tài chính")
    second.responsible.set([cast.district, cast.sibling, cast.province])
    for body, by, status in (
        (cast.sibling, cast.outsider, TaskStatus.NOT_STARTED),
        (cast.province, cast.provincial, TaskStatus.IN_PROGRESS),
    ):
        builders.task_status(second, body, world.period, by, status=status)
    url = reverse("reports:dashboard", args=[cast.province.code, world.program.code, world.period.code])
    page = login(cast.provincial).get(url, {"live": 1}).content.decode()
    # Columns: not started, in progress, done, not done, not reported.
    assert _task_counts(page) == [
        ["1. Tuyên truyền phát triển đoàn viên", "0", "0", "1", "0", "1"],
        ["2. Kiểm tra tài chính", "1", "1", "0", "0", "1"],
        ["Tất cả nhiệm vụ", "1", "1", "1", "0", "2"],
    ]
    assert reverse("indicators:tasks", args=[world.period.code, cast.province.code]) in page
    # The district sees its own subtree only.
    url = reverse("reports:dashboard", args=[cast.district.code, world.program.code, world.period.code])
    page = login(cast.owner).get(url, {"live": 1}).content.decode()
    assert _task_counts(page) == [
        ["1. Tuyên truyền phát triển đoàn viên", "0", "0", "1", "0", "0"],
        ["2. Kiểm tra tài chính", "0", "0", "0", "0", "1"],
        ["Tất cả nhiệm vụ", "0", "0", "1", "0", "1"],
    ]
