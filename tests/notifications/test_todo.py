"""“Việc cần làm”: each kind of item, scoped like every page, in a fixed number of queries."""

from __future__ import annotations

import datetime
from decimal import Decimal

import time_machine
from django.urls import reverse

from imports.models import ImportJob
from indicators.models import PlausibilityRule, QualityConfirmation, QualityWarning, Waiver
from indicators.workflow import services as workflow
from notifications.models import Reminder
from notifications.todo import items as kinds
from notifications.todo.selectors import todo_for, window_periods
from organizations.models import Role
from reports.models import ReportFile
from tests import builders, factories

from .conftest import NOW, TODAY, entered, more_branches


def of(todo, kind):
    return [item for item in todo.items if item.kind == kind]


def test_the_list_holds_the_periods_due_soon_or_overdue_of_this_year_and_last(db):
    assert [p.code for p in window_periods(TODAY)] == ["2026-H1"]
    assert [p.code for p in window_periods(datetime.date(2026, 12, 20))] == ["2026", "2026-H1"]
    assert [p.code for p in window_periods(datetime.date(2027, 1, 20))] == ["2026"]  # 5 days late


def test_a_district_sees_its_period_to_fill_with_how_many_base_unions_have_entered_figures(cast, half, figure):
    second, third = more_branches(cast.district, 2, "XP-A-N")
    entered(cast.branch, half, figure)
    entered(second, half, figure)
    entered(cast.sibling_branch, half, figure)  # the sibling's figures count for nobody here
    [item] = of(todo_for(cast.owner), kinds.FILL)
    assert (item.organization, item.period.code) == (cast.district, "2026-H1")
    assert item.url == reverse("indicators:grid", args=["2026-H1", "XP-A"])
    assert item.due == datetime.date(2026, 7, 15) and item.days_left == -17 and item.overdue
    assert item.details == ("2/3 CĐCS đã nhập số liệu",)
    assert item.tone == "danger"


def test_a_province_sees_how_many_districts_have_sent_their_report(cast, half):
    workflow.submission_submit(organization=cast.district, period=half, by=cast.owner)
    [item] = of(todo_for(cast.provincial), kinds.FILL)
    assert item.organization == cast.province
    assert "1/2 đơn vị cấp dưới đã gửi báo cáo" in item.details


def test_a_period_already_sent_is_not_to_fill(cast, half):
    workflow.submission_submit(organization=cast.district, period=half, by=cast.owner)
    assert of(todo_for(cast.owner), kinds.FILL) == []


def test_a_returned_report_is_listed_with_the_reviewers_comment_and_not_as_a_period_to_fill(cast, half):
    workflow.submission_submit(organization=cast.district, period=half, by=cast.owner)
    workflow.submission_return(
        organization=cast.district, period=half, by=cast.provincial, comment="Thiếu số đoàn viên nữ của CĐCS A1."
    )
    todo = todo_for(cast.owner)
    [item] = of(todo, kinds.RETURNED)
    assert item.comment == "Thiếu số đoàn viên nữ của CĐCS A1."
    assert item.comment_by == cast.provincial.get_username()
    assert item.url == reverse("indicators:grid", args=["2026-H1", "XP-A"])
    assert of(todo, kinds.FILL) == []
    assert of(todo_for(cast.outsider), kinds.RETURNED) == []  # the sibling district never hears of it


def test_a_report_sent_up_waits_for_the_decision_of_the_body_above_only(cast, half):
    workflow.submission_submit(organization=cast.district, period=half, by=cast.owner)
    [item] = of(todo_for(cast.provincial), kinds.DECIDE)
    assert item.url == reverse("indicators:review", args=["2026-H1", "XP"])
    assert item.details == ("LĐLĐ huyện A",)
    assert of(todo_for(cast.owner), kinds.DECIDE) == []  # staff of the district do not review
    assert of(todo_for(cast.outsider), kinds.DECIDE) == []
    assert of(todo_for(cast.national_officer), kinds.DECIDE) == []  # the province's children report to it
    workflow.submission_accept(organization=cast.district, period=half, by=cast.provincial)
    assert of(todo_for(cast.provincial), kinds.DECIDE) == []


def test_late_bodies_below_are_listed_for_the_reviewer_with_todays_reminders(cast, half):
    Waiver.objects.create(organization=cast.sibling, period=half, reason="Sáp nhập", by=cast.provincial)
    [item] = of(todo_for(cast.provincial), kinds.LATE)
    assert [body.organization for body in item.bodies] == [cast.district]
    assert item.bodies[0].reminded_at is None and item.days_late == 17
    Reminder.objects.create(organization=cast.district, period=half, day=TODAY, by=cast.provincial)
    Reminder.objects.create(
        organization=cast.district, period=half, day=TODAY - datetime.timedelta(days=1), by=cast.provincial
    )
    [item] = of(todo_for(cast.provincial), kinds.LATE)
    assert item.bodies[0].reminded_at is not None
    assert of(todo_for(cast.owner), kinds.LATE) == []  # no right to review: no "Nhắc"


def test_a_body_that_has_sent_is_not_late(cast, half):
    workflow.submission_submit(organization=cast.district, period=half, by=cast.owner)
    [item] = of(todo_for(cast.provincial), kinds.LATE)
    assert [body.organization for body in item.bodies] == [cast.sibling]


def test_nothing_is_late_before_the_deadline(cast, half):
    with time_machine.travel(datetime.datetime(2026, 7, 10, 9, 0, tzinfo=NOW.tzinfo), tick=False):
        todo = todo_for(cast.provincial)
    assert [i.period.code for i in of(todo, kinds.LATE)] == ["2025"]  # due 15/01/2026, still listed
    fill = [(i.organization, i.period.code, i.days_left) for i in of(todo, kinds.FILL)]
    assert fill == [(cast.province, "2025", -176), (cast.province, "2026-H1", 5)]


def _warning(branch, period):
    rule = PlausibilityRule.objects.create(
        code=f"rule-{branch.code}",
        name="Đoàn viên nữ không quá tổng số",
        kind="fields",
        element=builders.element("members_total"),
        left="members_total",
        operator="lte",
        right="members_total",
    )
    return QualityWarning.objects.create(
        rule=rule, organization=branch, period=period, element=rule.element, value=Decimal(120)
    )


def test_open_data_quality_warnings_of_my_grid_are_to_confirm_until_confirmed(cast, half):
    warning = _warning(cast.branch, half)
    _warning(cast.sibling_branch, half)
    [item] = of(todo_for(cast.owner), kinds.WARNINGS)
    assert item.organization == cast.district
    assert item.url == reverse("indicators:quality_confirm", args=["2026-H1", "XP-A"])
    assert "1" in item.title
    QualityConfirmation.objects.create(
        warning=warning, organization=cast.branch, value=warning.value, comment="Đúng", by=cast.owner
    )
    assert of(todo_for(cast.owner), kinds.WARNINGS) == []


def test_a_branch_officer_enters_the_figures_of_their_branch_in_the_districts_grid(cast, half, figure):
    officer = factories.make_user("chu-tich", organization=cast.branch, role=Role.BRANCH_OFFICER)
    [item] = of(todo_for(officer), kinds.FILL)
    assert item.organization == cast.branch
    assert item.details == ("chưa nhập số liệu nào",)
    entered(cast.branch, half, figure)
    [item] = of(todo_for(officer), kinds.FILL)
    assert item.details == ("đã nhập số liệu",)
    workflow.submission_submit(organization=cast.district, period=half, by=cast.owner)
    assert of(todo_for(officer), kinds.FILL) == []  # the district sent the grid
    workflow.submission_return(organization=cast.district, period=half, by=cast.provincial, comment="Sửa lại")
    [item] = of(todo_for(officer), kinds.FILL)  # returned: the branch may have to correct its figures
    assert item.organization == cast.branch and of(todo_for(officer), kinds.RETURNED) == []


def test_a_viewer_has_nothing_to_fill_or_decide(cast, half):
    todo = todo_for(cast.colleague)
    assert todo.count == 0


def _job(user, status, *, days_ago=0, name="hoi-vien.xlsx"):
    job = ImportJob.objects.create(user=user, kind="members", original_name=name, file="imports/x.xlsx", status=status)
    ImportJob.objects.filter(pk=job.pk).update(created_at=NOW - datetime.timedelta(days=days_ago))
    return job


def test_my_imports_of_the_last_week_that_finished_failed_or_wait_for_me(cast, today):
    done = _job(cast.owner, "done", name="xong.xlsx")
    _job(cast.owner, "invalid", name="loi.xlsx")
    _job(cast.owner, "validating", name="dang-kiem.xlsx")
    _job(cast.owner, "failed", days_ago=9, name="cu.xlsx")
    _job(cast.outsider, "failed", name="cua-nguoi-khac.xlsx")
    items = of(todo_for(cast.owner), kinds.IMPORT)
    assert [i.title.split("«")[1].split("»")[0] for i in items] == ["loi.xlsx", "xong.xlsx"]  # newest first
    assert reverse("imports:job", args=[done.pk]) in [i.url for i in items]
    assert {i.tone for i in items} == {"success", "danger"}


def test_my_report_files_ready_or_failed_in_bodies_i_see(cast, half):
    program = builders.program(cast.district, code="P-A", start=2026, end=2026)
    ready = ReportFile.objects.create(
        organization=cast.district, program=program, period=half, format="pdf", status="done", requested_by=cast.owner
    )
    ReportFile.objects.create(
        organization=cast.district,
        program=program,
        period=half,
        format="xlsx",
        status="failed",
        requested_by=cast.owner,
    )
    ReportFile.objects.create(
        organization=cast.district,
        program=program,
        period=half,
        format="docx",
        status="running",
        requested_by=cast.owner,
    )
    ReportFile.objects.create(
        organization=cast.sibling, program=program, period=half, format="pdf", status="done", requested_by=cast.owner
    )  # a body the user no longer sees
    items = of(todo_for(cast.owner), kinds.REPORT_FILE)
    assert {i.tone for i in items} == {"success", "danger"} and len(items) == 2
    assert reverse("reports:file_download", args=["XP-A", ready.pk]) in [i.url for i in items]


def test_the_outsider_never_sees_the_owners_district(cast, half, figure):
    entered(cast.branch, half, figure)
    _warning(cast.branch, half)
    workflow.submission_submit(organization=cast.sibling, period=half, by=cast.outsider)
    for item in todo_for(cast.outsider).items:
        assert item.organization in (None, cast.sibling, cast.sibling_branch)
        assert "XP-A" not in item.url
    for item in todo_for(cast.owner).items:
        assert item.organization in (None, cast.district, cast.branch)
        assert "XP-B" not in item.url
