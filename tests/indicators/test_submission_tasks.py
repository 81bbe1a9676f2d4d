"""Tasks are part of the submission: a body submits its period once every task it answers for has a status."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from indicators.models import Submission, SubmissionEvent, SubmissionStatus, TaskStatus
from indicators.workflow.selectors import tasks_unrecorded
from indicators.workflow.services import submission_submit
from programs.models import ProgramSection
from tests import builders, factories
from tests.indicators.tasks_world import task_world

pytestmark = pytest.mark.django_db


def record(world, organization, by, section=None, status=TaskStatus.IN_PROGRESS):
    return builders.task_status(
        section or world.section, organization, world.period, by, status=status, result="Đã tổ chức 3 hội nghị"
    )


def branch_task(world, cast) -> ProgramSection:
    """A second task that the district's base union answers for: the district submits its figures, and its tasks."""
    section = ProgramSection.objects.create(
        program=world.program, order=2, title="Tổ chức Hội nghị người lao động", responsible_text="Các CĐCS"
    )
    section.responsible.set([cast.branch, cast.sibling_branch])
    return section


def test_a_body_cannot_submit_while_a_task_it_answers_for_has_no_status_and_nothing_is_written(cast):
    world = task_world(cast)
    with pytest.raises(ValidationError) as refusal:
        submission_submit(organization=cast.district, period=world.period, by=cast.owner)
    assert refusal.value.messages == [
        "1 nhiệm vụ chưa ghi nhận tình trạng trong kỳ này (“Tuyên truyền phát triển đoàn viên” (LĐLĐ huyện A)): "
        "hãy ghi nhận kết quả thực hiện ở trang nhiệm vụ trước khi gửi báo cáo."
    ]
    assert not Submission.objects.filter(status=SubmissionStatus.SUBMITTED).exists()
    assert not SubmissionEvent.objects.exists()
    record(world, cast.district, cast.owner)
    assert submission_submit(organization=cast.district, period=world.period, by=cast.owner).status == "submitted"


def test_the_tasks_of_the_base_unions_it_submits_for_count_but_not_those_of_another_district(cast):
    world = task_world(cast)
    second = branch_task(world, cast)
    record(world, cast.district, cast.owner)
    assert [(t.section, t.organization) for t in tasks_unrecorded(cast.district, world.period)] == [
        (second, cast.branch)
    ]
    with pytest.raises(ValidationError, match="Tổ chức Hội nghị người lao động"):
        submission_submit(organization=cast.district, period=world.period, by=cast.owner)
    assert not Submission.objects.filter(status=SubmissionStatus.SUBMITTED).exists()
    record(world, cast.branch, cast.owner, section=second, status=TaskStatus.NOT_STARTED)
    # The sibling district and its branch have recorded nothing: that is for their own submission.
    assert submission_submit(organization=cast.district, period=world.period, by=cast.owner).status == "submitted"


def test_a_program_not_in_force_in_the_period_asks_for_nothing(cast):
    world = task_world(cast)
    world.program.end_year = 2023
    world.program.save(update_fields=["end_year"])
    assert tasks_unrecorded(cast.district, world.period) == []


def test_the_submit_page_lists_each_task_without_status_with_a_link_to_record_it(cast, login):
    world = task_world(cast)
    url = reverse("indicators:submit", args=[world.period.code, cast.district.code])
    page = login(cast.owner).get(url).content.decode()
    tasks_url = reverse("indicators:tasks", args=[world.period.code, cast.district.code])
    assert f'href="{tasks_url}#task-{world.section.pk}"' in page
    assert "1 nhiệm vụ chưa ghi nhận tình trạng trong kỳ này" in page
    assert 'disabled aria-disabled="true"' in page
    record(world, cast.district, cast.owner)
    page = login(cast.owner).get(url).content.decode()
    assert 'id="unrecorded-tasks"' not in page and "aria-disabled" not in page


def test_a_post_while_a_task_has_no_status_says_why_and_submits_nothing(cast, login):
    world = task_world(cast)
    client = login(cast.owner)
    url = reverse("indicators:submit", args=[world.period.code, cast.district.code])
    response = client.post(url, {"comment": ""}, follow=True)
    assert "trước khi gửi báo cáo" in response.content.decode()
    assert not Submission.objects.filter(status=SubmissionStatus.SUBMITTED).exists()


def test_a_dissolved_branch_asks_for_nothing(cast):
    world = task_world(cast)
    record(world, cast.district, cast.owner)
    gone = factories.make_branch(cast.district, code="XP-A-09", name="CĐCS đã giải thể")
    gone.status = "dissolved"
    gone.save(update_fields=["status"])
    branch_task(world, cast).responsible.add(gone)
    assert [t.organization for t in tasks_unrecorded(cast.district, world.period)] == [cast.branch]
