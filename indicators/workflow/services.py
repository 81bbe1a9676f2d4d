"""The submit–accept workflow: an organization submits its period; the body above accepts, returns or reopens it."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from organizations.models import Organization
from organizations.permissions import Action, scope_for

from ..models import ReportingPeriod, Submission, SubmissionEvent, SubmissionStatus, Waiver
from .selectors import children_not_in


def submission_for(organization: Organization, period: ReportingPeriod) -> Submission:
    submission, _created = Submission.objects.get_or_create(organization=organization, period=period)
    return submission


def _event(submission: Submission, action: str, by, comment: str = "") -> None:
    SubmissionEvent.objects.create(submission=submission, action=action, by=by, comment=comment)


def _require(user, action: Action, organization: Organization, *, strict: bool | None = None) -> None:
    if not scope_for(user).can(action, organization, strict=strict):
        raise PermissionDenied(_("You may not do this for %(name)s.") % {"name": organization.name})


def _reviewer_of(user, organization: Organization) -> None:
    """Only the parent reviews: the right must come from an assignment strictly above the organization."""
    _require(user, Action.REVIEW, organization, strict=True)


@transaction.atomic
def submission_submit(*, organization: Organization, period: ReportingPeriod, by, comment: str = "") -> Submission:
    _require(by, Action.ENTER_DATA, organization)
    submission = Submission.objects.select_for_update().get(pk=submission_for(organization, period).pk)
    if submission.status not in (SubmissionStatus.DRAFT, SubmissionStatus.RETURNED):
        raise ValidationError(_("This period has already been submitted."))
    pending = children_not_in(organization, period)
    if pending:
        raise ValidationError(
            _("%(count)s bodies below have not submitted yet (%(names)s): wait for them, or waive them with a reason.")
            % {"count": len(pending), "names": ", ".join(c.display_name for c in pending[:5])}
        )
    submission.status = SubmissionStatus.SUBMITTED
    submission.submitted_at = timezone.now()
    submission.save(update_fields=["status", "submitted_at", "updated_at"])
    _event(submission, SubmissionEvent.Action.SUBMIT, by, comment)
    return submission


@transaction.atomic
def submission_return(*, organization: Organization, period: ReportingPeriod, by, comment: str) -> Submission:
    _reviewer_of(by, organization)
    if not comment.strip():
        raise ValidationError(_("Say why the figures are returned: the comment is required."))
    submission = Submission.objects.select_for_update().get(pk=submission_for(organization, period).pk)
    if submission.status not in (SubmissionStatus.SUBMITTED, SubmissionStatus.ACCEPTED):
        raise ValidationError(_("Only submitted or accepted figures can be returned."))
    submission.status = SubmissionStatus.RETURNED
    submission.decided_at = timezone.now()
    submission.save(update_fields=["status", "decided_at", "updated_at"])
    _event(submission, SubmissionEvent.Action.RETURN, by, comment)
    return submission


@transaction.atomic
def submission_accept(*, organization: Organization, period: ReportingPeriod, by, comment: str = "") -> Submission:
    _reviewer_of(by, organization)
    submission = Submission.objects.select_for_update().get(pk=submission_for(organization, period).pk)
    if submission.status != SubmissionStatus.SUBMITTED:
        raise ValidationError(_("Only submitted figures can be accepted."))
    submission.status = SubmissionStatus.ACCEPTED
    submission.decided_at = timezone.now()
    submission.save(update_fields=["status", "decided_at", "updated_at"])
    _event(submission, SubmissionEvent.Action.ACCEPT, by, comment)
    return submission


@transaction.atomic
def submission_reopen(*, organization: Organization, period: ReportingPeriod, by, comment: str) -> Submission:
    """The parent unlocks accepted figures for correction; they go back to the organization."""
    _reviewer_of(by, organization)
    if not comment.strip():
        raise ValidationError(_("Say why the figures are reopened: the comment is required."))
    submission = Submission.objects.select_for_update().get(pk=submission_for(organization, period).pk)
    if submission.status != SubmissionStatus.ACCEPTED:
        raise ValidationError(_("Only accepted figures can be reopened."))
    submission.status = SubmissionStatus.RETURNED
    submission.decided_at = timezone.now()
    submission.save(update_fields=["status", "decided_at", "updated_at"])
    _event(submission, SubmissionEvent.Action.REOPEN, by, comment)
    return submission


@transaction.atomic
def waiver_grant(*, organization: Organization, period: ReportingPeriod, reason: str, by) -> Waiver:
    _reviewer_of(by, organization)
    if not reason.strip():
        raise ValidationError(_("A waiver needs its reason."))
    waiver, _created = Waiver.objects.get_or_create(
        organization=organization, period=period, defaults={"reason": reason.strip(), "by": by}
    )
    return waiver
