"""The submit–accept workflow: an organization submits its period; the body above accepts, returns or reopens it.

Each decision is one service and one transaction: the right to decide, the transition of the
submission (TRANSITIONS below), its event, and what must go with it — an acceptance freezes
the reports through hooks.submission_accepted in the same transaction, so figures are never
accepted without their reports, nor reports frozen for figures that were not accepted.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from organizations.models import Organization
from organizations.permissions import Action, scope_for
from unionportal import transitions
from unionportal.transitions import Transition

from ..models import ReportingPeriod, Submission, SubmissionEvent, SubmissionStatus, Waiver
from ..periods import period_open
from ..quality.selectors import open_count
from ..quality.services import unit_refresh
from . import hooks
from .selectors import children_not_in, tasks_unrecorded

DRAFT, SUBMITTED, RETURNED, ACCEPTED = (
    SubmissionStatus.DRAFT,
    SubmissionStatus.SUBMITTED,
    SubmissionStatus.RETURNED,
    SubmissionStatus.ACCEPTED,
)

# Every move of a submission: from which statuses, to which, and why it is refused otherwise.
SUBMIT = Transition(
    SubmissionEvent.Action.SUBMIT,
    {DRAFT, RETURNED},
    SUBMITTED,
    gettext_lazy("This period has already been submitted."),
    stamp="submitted_at",
)
RETURN = Transition(
    SubmissionEvent.Action.RETURN,
    {SUBMITTED, ACCEPTED},
    RETURNED,
    gettext_lazy("Only submitted or accepted figures can be returned."),
    stamp="decided_at",
    needs_comment=gettext_lazy("Say why the figures are returned: the comment is required."),
)
ACCEPT = Transition(
    SubmissionEvent.Action.ACCEPT,
    {SUBMITTED},
    ACCEPTED,
    gettext_lazy("Only submitted figures can be accepted."),
    stamp="decided_at",
)
REOPEN = Transition(
    SubmissionEvent.Action.REOPEN,
    {ACCEPTED},
    RETURNED,
    gettext_lazy("Only accepted figures can be reopened."),
    stamp="decided_at",
    needs_comment=gettext_lazy("Say why the figures are reopened: the comment is required."),
)
TRANSITIONS = (SUBMIT, RETURN, ACCEPT, REOPEN)


def _require(user, action: Action, organization: Organization, *, strict: bool | None = None) -> None:
    if not scope_for(user).can(action, organization, strict=strict):
        raise PermissionDenied(_("You may not do this for %(name)s.") % {"name": organization.name})


def _reviewer_of(user, organization: Organization) -> None:
    """Only the parent reviews: the right must come from an assignment strictly above the organization."""
    _require(user, Action.REVIEW, organization, strict=True)


def _decide(
    *,
    organization: Organization,
    period: ReportingPeriod,
    by,
    transition: Transition,
    comment: str,
    also: Callable[[Submission], None] | None = None,
) -> Submission:
    """Lock the submission, check the transition (and `also`), perform it and record its event."""
    period = period_open(code=period.code)
    submission, _created = Submission.objects.get_or_create(organization=organization, period=period)
    submission = Submission.objects.select_for_update().select_related("period").get(pk=submission.pk)
    transitions.check(submission, transition, comment=comment)
    if also is not None:
        also(submission)
    transitions.perform(submission, transition, comment=comment)
    SubmissionEvent.objects.create(submission=submission, action=transition.name, by=by, comment=comment)
    return submission


def _tell(hook, submission: Submission, *, by, comment: str) -> None:
    """Fire a follow-up hook once the decision commits; `event_id` tells one decision from the next."""
    event = submission.events.order_by("-at", "-id").only("id").first()
    hook.run_on_commit(
        organization=submission.organization,
        period=submission.period,
        by=by,
        comment=comment,
        event_id=event.pk if event else None,
    )


def _no_child_pending(submission: Submission) -> None:
    pending = children_not_in(submission.organization, submission.period)
    if pending:
        raise ValidationError(
            _("%(count)s bodies below have not submitted yet (%(names)s): wait for them, or waive them with a reason.")
            % {"count": len(pending), "names": ", ".join(c.display_name for c in pending[:5])}
        )


def _no_open_warning(submission: Submission) -> None:
    count = open_count(submission.organization, submission.period)
    if count:
        raise ValidationError(
            ngettext(
                "%(count)s data-quality warning has not been confirmed: confirm it with a short explanation, "
                "or correct the figure, before submitting.",
                "%(count)s data-quality warnings have not been confirmed: confirm each with a short explanation, "
                "or correct the figures, before submitting.",
                count,
            )
            % {"count": count}
        )


TASKS_NAMED = 5  # tasks named in the refusal; the submit page lists them all


def _no_task_unrecorded(submission: Submission) -> None:
    unrecorded = tasks_unrecorded(submission.organization, submission.period)
    if unrecorded:
        named = "; ".join(f"“{t.section.title}” ({t.organization.display_name})" for t in unrecorded[:TASKS_NAMED])
        raise ValidationError(
            ngettext(
                "%(count)s task has no status recorded for this period (%(tasks)s): record what was done about it "
                "on the tasks page before submitting.",
                "%(count)s tasks have no status recorded for this period (%(tasks)s): record what was done about "
                "each on the tasks page before submitting.",
                len(unrecorded),
            )
            % {"count": len(unrecorded), "tasks": named}
        )


def _ready(submission: Submission) -> None:
    _no_child_pending(submission)
    _no_task_unrecorded(submission)
    _no_open_warning(submission)


def submission_submit(*, organization: Organization, period: ReportingPeriod, by, comment: str = "") -> Submission:
    """The organization sends its figures of the period up, once every body below has (or was let off),
    every task it (or a base union it submits for) answers for has a status recorded for the period,
    and each data-quality warning of its grid is confirmed.

    The warnings are brought up to date first, in their own transaction: a refused submission
    still leaves them as they are now, for the confirmation form to list.
    """
    _require(by, Action.ENTER_DATA, organization)
    period = period_open(code=period.code)
    unit_refresh(unit=organization, period=period)
    with transaction.atomic():
        submission = _decide(
            organization=organization, period=period, by=by, transition=SUBMIT, comment=comment, also=_ready
        )
        _tell(hooks.submission_submitted, submission, by=by, comment=comment)
        return submission


@transaction.atomic
def submission_return(*, organization: Organization, period: ReportingPeriod, by, comment: str) -> Submission:
    """The body above sends the figures back for correction, saying why."""
    _reviewer_of(by, organization)
    submission = _decide(organization=organization, period=period, by=by, transition=RETURN, comment=comment)
    _tell(hooks.submission_returned, submission, by=by, comment=comment)
    return submission


@transaction.atomic
def submission_accept(*, organization: Organization, period: ReportingPeriod, by, comment: str = "") -> Submission:
    """The body above accepts the figures, and their reports are frozen in the same transaction."""
    _reviewer_of(by, organization)
    submission = _decide(organization=organization, period=period, by=by, transition=ACCEPT, comment=comment)
    hooks.submission_accepted.run(organization=organization, period=submission.period, by=by)
    return submission


@transaction.atomic
def submission_reopen(*, organization: Organization, period: ReportingPeriod, by, comment: str) -> Submission:
    """The parent unlocks accepted figures for correction; they go back to the organization."""
    _reviewer_of(by, organization)
    submission = _decide(organization=organization, period=period, by=by, transition=REOPEN, comment=comment)
    hooks.submission_reopened.run(organization=organization, period=submission.period, by=by, comment=comment)
    return submission


@transaction.atomic
def waiver_grant(*, organization: Organization, period: ReportingPeriod, reason: str, by) -> Waiver:
    """The body above lets a child off a period (it need not submit), with the reason."""
    _reviewer_of(by, organization)
    if not reason.strip():
        raise ValidationError(_("A waiver needs its reason."))
    waiver, _created = Waiver.objects.get_or_create(
        organization=organization, period=period_open(code=period.code), defaults={"reason": reason.strip(), "by": by}
    )
    return waiver
