"""Writes of the qualitative tasks: a body's status and result for a period, and its evidence files.

Each is one action in one transaction, refused whole: the right to enter data at the body,
the body answering for the task, the program in force in the period, the lock of the body's
figures (a submitted or accepted period locks its tasks too; a returned one reopens them),
and every check of the input. A file is stored under MEDIA_ROOT with a random name only
once all of that has passed, and removed again if the row cannot be written.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from organizations.models import Organization
from organizations.permissions import Action, scope_for
from programs.models import ProgramSection
from unionportal import generations
from unionportal.concurrency import check_version

from ..models import ReportingPeriod, TaskEvidence, TaskReport, TaskStatus
from ..models.task import EVIDENCE_MAX_FILES, RESULT_MAX_CHARS
from ..periods import period_open
from .evidence import check_evidence
from .selectors import CLOSED, SUBMITTED, task_lock


def _check_task(
    section: ProgramSection, organization: Organization, period: ReportingPeriod, by, today: datetime.date | None
) -> None:
    """The right, the responsibility, the program's years and the lock: the same for every write."""
    if not scope_for(by).can(Action.ENTER_DATA, organization):
        raise PermissionDenied(_("You may not record the tasks of %(name)s.") % {"name": organization.name})
    if not section.responsible.filter(pk=organization.pk).exists():
        raise ValidationError(
            _("%(name)s is not responsible for the task “%(task)s”.")
            % {"name": organization.name, "task": section.title}
        )
    program = section.program
    if not program.start_year <= period.year <= program.end_year:
        raise ValidationError(
            _("Program %(code)s is not in force in %(year)s.") % {"code": program.code, "year": period.year}
        )
    reason = task_lock(organization, period, today=today)
    if reason == CLOSED:
        raise ValidationError(_("This period has not started yet: it is closed for entry."))
    if reason == SUBMITTED:
        raise ValidationError(
            _(
                "The figures and tasks of this period have been submitted and are locked: the body above must return them first."
            )
        )


@transaction.atomic
def task_report_save(
    *,
    section: ProgramSection,
    organization: Organization,
    period: ReportingPeriod,
    status: str,
    result: str,
    by,
    expected_version: int | None = None,
    today: datetime.date | None = None,
) -> TaskReport:
    """Record the body's status and result for the task in the period (a new version when it changes)."""
    period = period_open(code=period.code)
    _check_task(section, organization, period, by, today)
    if status not in TaskStatus.values:
        raise ValidationError(
            {"status": _("Choose a status: %(choices)s.") % {"choices": ", ".join(map(str, TaskStatus.labels))}}
        )
    result = (result or "").strip()
    if len(result) > RESULT_MAX_CHARS:
        raise ValidationError(
            {
                "result": _(
                    "The result is %(count)s characters long; keep it to %(max)s and attach the details as evidence."
                )
                % {"count": len(result), "max": RESULT_MAX_CHARS}
            }
        )
    current = (
        TaskReport.objects.select_for_update().filter(section=section, organization=organization, period=period).first()
    )
    check_version(current, expected_version, message=_("Someone else saved this task after you opened the page."))
    if current is None:
        current = TaskReport(section=section, organization=organization, period=period, updated_by=by)
    elif current.status == status and current.result == result:
        return current
    else:
        current.version += 1
    current.status, current.result, current.updated_by, current.updated_at = status, result, by, timezone.now()
    current.full_clean()
    current.save()
    generations.bump_after_commit(everything=True)  # the dashboards count the tasks' statuses
    return current


@transaction.atomic
def task_evidence_add(
    *,
    section: ProgramSection,
    organization: Organization,
    period: ReportingPeriod,
    upload,
    by,
    today: datetime.date | None = None,
) -> TaskEvidence:
    """Attach one evidence file to the body's record of the task, once its type, size and the
    count per record are checked. Nothing is written, on disk or in the database, when refused."""
    period = period_open(code=period.code)
    _check_task(section, organization, period, by, today)
    report = (
        TaskReport.objects.select_for_update().filter(section=section, organization=organization, period=period).first()
    )
    if report is None:
        raise ValidationError(_("Record the task's status first, then attach its evidence."))
    if report.evidence.count() >= EVIDENCE_MAX_FILES:
        raise ValidationError(
            _("This task already has %(max)s evidence files, the most it may have: remove one before adding another.")
            % {"max": EVIDENCE_MAX_FILES}
        )
    checked = check_evidence(upload)
    evidence = TaskEvidence(
        report=report,
        original_name=checked.name,
        kind=checked.kind,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=by,
        uploaded_at=timezone.now(),
    )
    evidence.file.save("evidence", upload, save=False)
    try:
        evidence.full_clean()
        evidence.save()
    except Exception:
        evidence.file.storage.delete(evidence.file.name)
        raise
    return evidence


@transaction.atomic
def task_evidence_delete(*, evidence: TaskEvidence, by, today: datetime.date | None = None) -> None:
    """Remove an evidence file while the period is open to the body; the file goes once this commits."""
    report = evidence.report
    _check_task(report.section, report.organization, report.period, by, today)
    storage, name = evidence.file.storage, evidence.file.name
    evidence.delete()
    transaction.on_commit(lambda: storage.delete(name))
