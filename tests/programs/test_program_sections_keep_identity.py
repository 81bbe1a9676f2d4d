"""A program's sections are what bodies report on as tasks: editing the program keeps them."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from indicators.models import TaskReport, TaskStatus
from indicators.tasks.services import task_report_save
from programs.models import ProgramSection
from programs.services import SectionSpec, program_update
from tests import builders
from tests.indicators.tasks_world import task_world

pytestmark = pytest.mark.django_db


def test_editing_a_section_keeps_it_and_the_task_reports_on_it(cast):
    world = task_world(cast)
    builders.task_status(world.section, cast.district, world.period, cast.owner, status=TaskStatus.DONE)
    program_update(
        program=world.program,
        by=cast.provincial,
        sections=[
            SectionSpec(id=world.section.pk, title="Tuyên truyền (sửa lời)", responsible=[cast.district, cast.sibling]),
            SectionSpec(title="Kiểm tra, giám sát", responsible=[cast.district]),
        ],
    )
    sections = list(ProgramSection.objects.filter(program=world.program).order_by("order"))
    assert [(s.pk == world.section.pk, s.title) for s in sections] == [
        (True, "Tuyên truyền (sửa lời)"),
        (False, "Kiểm tra, giám sát"),
    ]
    assert TaskReport.objects.get().section_id == world.section.pk


def test_a_section_with_task_reports_cannot_be_removed_and_nothing_changes(cast):
    world = task_world(cast)
    task_report_save(
        section=world.section,
        organization=cast.district,
        period=world.period,
        status=TaskStatus.DONE,
        result="",
        by=cast.owner,
    )
    with pytest.raises(ValidationError, match="Tuyên truyền phát triển đoàn viên"):
        program_update(program=world.program, by=cast.provincial, sections=[SectionSpec(title="Mới")])
    assert list(ProgramSection.objects.filter(program=world.program).values_list("title", flat=True)) == [
        "Tuyên truyền phát triển đoàn viên"
    ]


def test_a_section_nobody_reported_on_is_removed(cast):
    world = task_world(cast)
    program_update(program=world.program, by=cast.provincial, sections=[SectionSpec(title="Mới")])
    assert list(ProgramSection.objects.filter(program=world.program).values_list("title", flat=True)) == ["Mới"]
