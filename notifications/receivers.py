"""The lower apps' hooks, said as events: each receiver publishes one (events.publish, on commit).

Registered in notifications/apps.py; docs/architecture.md lists them.
"""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse

from imports.models import ImportJob, ImportStatus
from indicators.models import SubmissionEvent
from organizations.models import Organization
from reports.models import ReportFile, ReportFileStatus

from . import events
from .events import Event, publish


def _grid(organization: Organization, period) -> str:
    return reverse("indicators:grid", kwargs={"period": period.code, "code": organization.code})


def submitted(*, organization: Organization, period, by, comment: str = "", event_id: int | None = None) -> None:
    """indicators.submission_submitted: the reviewers above are asked to decide."""
    parent = organization.parent() or organization
    path = reverse("indicators:review", kwargs={"period": period.code, "code": parent.code})
    publish(
        Event(
            events.SUBMITTED,
            organization,
            path,
            period=period,
            actor=by,
            comment=comment,
            extra={"key": f"submission-event:{event_id}"} if event_id else {},
        )
    )


def returned(*, organization: Organization, period, by, comment: str = "", event_id: int | None = None) -> None:
    """indicators.submission_returned: the staff of the body are told why."""
    publish(
        Event(
            events.RETURNED,
            organization,
            _grid(organization, period),
            period=period,
            actor=by,
            comment=comment,
            extra={"key": f"submission-event:{event_id}"} if event_id else {},
        )
    )


def accepted(*, organization: Organization, period, by) -> None:
    """indicators.submission_accepted, a `run` hook inside the acceptance's transaction.

    Nothing here may undo an acceptance: the event is worked out and published once it has
    committed, and a failure then is only logged (robust).
    """
    transaction.on_commit(lambda: _accepted(organization, period, by), robust=True)


def _accepted(organization: Organization, period, by) -> None:
    event = (
        SubmissionEvent.objects.filter(
            submission__organization=organization,
            submission__period=period,
            action=SubmissionEvent.Action.ACCEPT,
        )
        .order_by("-at", "-id")
        .only("id", "comment")
        .first()
    )
    publish(
        Event(
            events.ACCEPTED,
            organization,
            _grid(organization, period),
            period=period,
            actor=by,
            comment=event.comment if event else "",
            extra={"key": f"submission-event:{event.pk}"} if event else {},
        )
    )


def _home_of(user) -> Organization | None:
    """The body a personal event is filed under: the top of the user's first assignment."""
    assignment = user.assignments.select_related("organization").order_by("organization__path").first()
    return assignment.organization if assignment else None


def import_finished(*, job_id: int, succeeded: bool) -> None:
    """imports.job_finished: its user is told that the file was imported, or why not."""
    job = ImportJob.objects.select_related("user").filter(pk=job_id).first()
    if job is None:
        return
    done = succeeded and job.status == ImportStatus.DONE
    publish(
        Event(
            events.IMPORT_DONE if done else events.IMPORT_FAILED,
            _home_of(job.user),
            reverse("imports:job", kwargs={"pk": job.pk}),
            user=job.user,
            extra={"key": f"import-job:{job.pk}", "name": job.original_name},
        )
    )


def report_file_finished(*, report_file_id: int, succeeded: bool) -> None:
    """reports.file_finished: whoever asked for the file is told that it is ready, or that it failed."""
    report_file = (
        ReportFile.objects.select_related("organization", "program", "period", "requested_by")
        .filter(pk=report_file_id)
        .first()
    )
    if report_file is None or report_file.requested_by is None:
        return
    done = succeeded and report_file.status == ReportFileStatus.DONE
    path = reverse(
        "reports:document",
        kwargs={
            "code": report_file.organization.code,
            "program": report_file.program.code,
            "period": report_file.period.code,
        },
    )
    name = f"{report_file.program.code} · {report_file.period.label} ({report_file.format.upper()})"
    publish(
        Event(
            events.REPORT_DONE if done else events.REPORT_FAILED,
            report_file.organization,
            f"{path}?kind={report_file.kind}#files",
            period=report_file.period,
            user=report_file.requested_by,
            extra={"key": f"report-file:{report_file.pk}", "name": name},
        )
    )
