"""A responsible body records a task's status and result; the period's workflow locks and reopens it."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from audit.models import AuditEvent
from indicators.models import TaskReport, TaskStatus
from indicators.tasks.selectors import NOT_REPORTED, task_rollups
from indicators.tasks.services import task_report_save
from indicators.workflow import services as workflow
from tests import builders, factories
from tests.indicators.tasks_world import task_world
from unionportal.acting import acting
from unionportal.concurrency import StaleEdit

pytestmark = pytest.mark.django_db


def save(world, organization, by, status=TaskStatus.IN_PROGRESS, result="Đã tổ chức 3 hội nghị", **extra):
    return task_report_save(
        section=world.section,
        organization=organization,
        period=world.period,
        status=status,
        result=result,
        by=by,
        **extra,
    )


def test_a_responsible_body_records_its_status_and_result_and_a_change_is_a_new_version(cast):
    world = task_world(cast)
    report = save(world, cast.district, cast.owner)
    assert (report.status, report.result, report.version) == ("in_progress", "Đã tổ chức 3 hội nghị", 1)
    again = save(world, cast.district, cast.owner, status=TaskStatus.DONE, result="Hoàn thành", expected_version=1)
    assert (again.pk, again.status, again.version) == (report.pk, "done", 2)
    unchanged = save(world, cast.district, cast.owner, status=TaskStatus.DONE, result="Hoàn thành")
    assert unchanged.version == 2


def test_it_refuses_a_save_from_an_older_version(cast):
    world = task_world(cast)
    save(world, cast.district, cast.owner)
    save(world, cast.district, cast.owner, status=TaskStatus.DONE, expected_version=1)
    with pytest.raises(StaleEdit):
        save(world, cast.district, cast.owner, status=TaskStatus.NOT_DONE, expected_version=1)
    assert TaskReport.objects.get().status == "done"


def test_it_refuses_a_status_outside_the_four_and_a_result_too_long(cast):
    world = task_world(cast)
    with translation.override("vi"), pytest.raises(ValidationError, match="Hãy chọn tình trạng: Chưa triển khai"):
        save(world, cast.district, cast.owner, status="half_done")
    with pytest.raises(ValidationError, match="1000"):
        save(world, cast.district, cast.owner, result="x" * 1001)
    assert not TaskReport.objects.exists()


def test_only_the_responsible_bodies_and_users_with_the_right_record(cast):
    world = task_world(cast)
    with pytest.raises(ValidationError):
        save(world, cast.province, cast.provincial)  # the province is not named by the task
    with pytest.raises(PermissionDenied):
        save(world, cast.sibling, cast.owner)  # another district
    with pytest.raises(PermissionDenied):
        save(world, cast.district, cast.colleague)  # read-only
    assert not TaskReport.objects.exists()


def test_a_submitted_period_locks_the_tasks_and_a_returned_one_reopens_them(cast):
    world = task_world(cast)
    save(world, cast.district, cast.owner)
    workflow.submission_submit(organization=cast.district, period=world.period, by=cast.owner)
    with pytest.raises(ValidationError, match="submitted|đã được gửi"):
        save(world, cast.district, cast.owner, status=TaskStatus.DONE)
    workflow.submission_return(organization=cast.district, period=world.period, by=cast.provincial, comment="Bổ sung")
    assert save(world, cast.district, cast.owner, status=TaskStatus.DONE).status == "done"
    workflow.submission_submit(organization=cast.district, period=world.period, by=cast.owner)
    workflow.submission_accept(organization=cast.district, period=world.period, by=cast.provincial)
    with pytest.raises(ValidationError):
        save(world, cast.district, cast.owner, status=TaskStatus.NOT_DONE)
    assert TaskReport.objects.get().status == "done"


def test_a_program_not_in_force_in_the_period_takes_no_task_report(cast):
    world = task_world(cast)
    world.program.end_year = 2023
    world.program.save(update_fields=["end_year"])
    with pytest.raises(ValidationError, match="2024"):
        save(world, cast.district, cast.owner)


def test_the_audit_trail_records_who_changed_what(cast):
    world = task_world(cast)
    with acting(cast.owner, "web:/tasks/2024/XP-A/"):
        report = save(world, cast.district, cast.owner)
        save(world, cast.district, cast.owner, status=TaskStatus.DONE, result="Xong")
    events = list(AuditEvent.objects.filter(table_name="indicators_taskreport").order_by("id"))
    assert [e.action for e in events] == ["create", "update"]
    assert {(e.actor_id, e.subject, e.subject_id, e.organization_id) for e in events} == {
        (cast.owner.pk, "taskreport", report.pk, cast.district.pk)
    }
    assert events[1].before["status"] == "in_progress" and events[1].after["status"] == "done"


def test_the_province_sees_its_districts_statuses_rolled_up(cast, django_assert_max_num_queries):
    world = task_world(cast)
    third = factories.make_organization(cast.province, code="XP-C")
    world.section.responsible.add(third)
    save(world, cast.district, cast.owner, status=TaskStatus.DONE)
    save(world, cast.sibling, cast.outsider, status=TaskStatus.IN_PROGRESS)
    with django_assert_max_num_queries(5):
        rollups = task_rollups(cast.province, world.period)
        counts = rollups[0].counts
        statuses = {b.organization.code: b.status for b in rollups[0].bodies}
    assert counts == {"not_started": 0, "in_progress": 1, "done": 1, "not_done": 0, NOT_REPORTED: 1}
    assert statuses == {"XP-A": "done", "XP-B": "in_progress", "XP-C": NOT_REPORTED}
    # A district sees only itself; the sibling's record is not in its subtree.
    assert [b.organization.code for b in task_rollups(cast.district, world.period)[0].bodies] == ["XP-A"]


def test_one_programs_tasks_are_read_without_joining_the_program(cast):
    """task_rollups(…, program=P): the program at hand, its years checked in Python, not joined in the query;
    the same tasks and bodies as without it; none for a year outside the program's."""
    world = task_world(cast)
    other = task_world(cast, code="P-OTHER")
    save(world, cast.district, cast.owner, status=TaskStatus.DONE)
    everything = task_rollups(cast.province, world.period)
    assert {r.section.program_id for r in everything} == {world.program.pk, other.program.pk}
    with CaptureQueriesContext(connection) as captured:
        ours = task_rollups(cast.province, world.period, program=world.program)
        shown = [
            (r.section.pk, r.section.program.code, [(b.organization.code, b.status) for b in r.bodies]) for r in ours
        ]
    assert not [q for q in captured if 'JOIN "programs_program" ' in q["sql"]]
    assert shown == [
        (r.section.pk, r.section.program.code, [(b.organization.code, b.status) for b in r.bodies])
        for r in everything
        if r.section.program_id == world.program.pk
    ]
    assert dict(shown[0][2])[cast.district.code] == "done"
    outside = builders.period(str(world.program.end_year + 1))
    with CaptureQueriesContext(connection) as captured:
        assert task_rollups(cast.province, outside, program=world.program) == []
    assert len(captured) == 0
    assert task_rollups(cast.province, outside) == []
