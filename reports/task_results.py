"""The program's qualitative tasks in the report data (section I): what each responsible body recorded.

For every task of the program that a body of the report's subtree answers for: each such
body's status, result and the names of its evidence files for the period, and the counts per
status. Part of ReportData, so a frozen version keeps the tasks as they were when accepted.
"""

from __future__ import annotations

from dataclasses import dataclass

from indicators.models import ReportingPeriod
from indicators.tasks.selectors import COUNTED, task_rollups
from organizations.models import Organization
from programs.models import Program

# The statuses as an official document writes them (Vietnamese whatever the interface language).
TASK_STATUS_WORDS = {
    "not_started": "Chưa triển khai",
    "in_progress": "Đang triển khai",
    "done": "Hoàn thành",
    "not_done": "Không thực hiện",
    "not_reported": "Chưa báo cáo",
}


@dataclass(frozen=True)
class TaskLine:
    """One responsible body's record of a task."""

    organization: str  # code
    name: str
    status: str  # a TaskStatus value, or "not_reported"
    result: str
    evidence: tuple[str, ...]  # the files' names

    @property
    def status_words(self) -> str:
        return TASK_STATUS_WORDS.get(self.status, self.status)


@dataclass(frozen=True)
class TaskItem:
    order: int
    title: str
    responsible_text: str
    lines: tuple[TaskLine, ...]
    counts: dict  # status -> number of bodies, in the order of COUNTED

    @property
    def summary(self) -> str:
        """ "Hoàn thành: 2; Chưa báo cáo: 1", the statuses some body is in."""
        return "; ".join(f"{TASK_STATUS_WORDS[s]}: {n}" for s, n in self.counts.items() if n)


def build_tasks(
    organization: Organization, program: Program, period: ReportingPeriod, *, subtree=None
) -> tuple[TaskItem, ...]:
    """The tasks of the body's subtree (or of `subtree`, a filter on the bodies' paths: the tree before a restructuring)."""
    items = []
    for rollup in task_rollups(organization, period, program=program, subtree=subtree):
        lines = tuple(
            TaskLine(
                organization=body.organization.code,
                name=body.organization.display_name,
                status=body.status,
                result=body.report.result if body.report else "",
                evidence=tuple(e.original_name for e in body.evidence),
            )
            for body in rollup.bodies
        )
        items.append(
            TaskItem(
                order=rollup.section.order,
                title=rollup.section.title,
                responsible_text=rollup.section.responsible_text,
                lines=lines,
                counts=rollup.counts,
            )
        )
    return tuple(items)


def tasks_from_snapshot(items: list[dict]) -> tuple[TaskItem, ...]:
    """The tasks of a frozen version (none for a version frozen before tasks were reported)."""
    return tuple(
        TaskItem(
            order=item["order"],
            title=item["title"],
            responsible_text=item["responsible_text"],
            lines=tuple(TaskLine(**{**line, "evidence": tuple(line["evidence"])}) for line in item["lines"]),
            # Stored as JSON, whose keys PostgreSQL reorders: back to the order of the columns.
            counts={status: item["counts"].get(status, 0) for status in COUNTED},
        )
        for item in items
    )


def tasks_json(tasks: tuple[TaskItem, ...]) -> list[dict]:
    return [
        {
            "order": item.order,
            "title": item.title,
            "counts": dict(item.counts),
            "bodies": [
                {
                    "organization": line.organization,
                    "status": line.status,
                    "result": line.result,
                    "evidence": list(line.evidence),
                }
                for line in item.lines
            ],
        }
        for item in tasks
    ]
