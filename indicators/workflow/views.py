"""The submit–accept workflow: an organization submits its period; its parent reviews the children's."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from organizations.lookups import get_organization_for_user
from organizations.permissions import Action, scope_for
from organizations.selectors import ancestors_in_scope
from unionportal.web import only_get, only_post

from ..models.submission import LOCKED_STATUSES
from ..periods import get_period
from ..quality.forms import ConfirmForm
from ..quality.selectors import grid_warnings, review_quality, unit_coverage
from . import services
from .forms import CommentForm, RequiredCommentForm, WaiverForm
from .selectors import children_not_in, completeness_by_level, review_rows, submission_of, tasks_unrecorded


def submit(request, period: str, code: str):
    """The organization submits its figures of the period to its parent (with an optional comment).

    GET asks first: it says that the figures will be locked, how many base unions have entered
    figures, and lists the tasks with no status recorded and the data-quality warnings still to confirm.
    """
    organization = get_organization_for_user(request.user, code, Action.ENTER_DATA)
    if request.method in ("GET", "HEAD"):
        return _submit_page(request, organization, get_period(period))
    if refused := only_post(request):
        return refused
    period = get_period(period)
    form = CommentForm(request.POST)
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    try:
        services.submission_submit(organization=organization, period=period, by=request.user, comment=comment)
    except ValidationError as refusal:
        messages.error(request, " ".join(refusal.messages))
        return redirect("indicators:submit", period=period.code, code=organization.code)  # what is missing
    else:
        messages.success(
            request,
            _("The figures of %(name)s for %(period)s have been submitted.")
            % {"name": organization.display_name, "period": period.label.lower()},
        )
    return redirect("indicators:grid", period=period.code, code=organization.code)


def _submit_page(request, organization, period):
    """“Gửi báo cáo”: the confirmation before the figures are locked."""
    warnings = grid_warnings(organization, period)
    submission = submission_of(organization, period)
    entered, branches = unit_coverage(organization, period)
    return render(
        request,
        "indicators/submit.html",
        {
            "unit": organization,
            "period": period,
            "submission": submission,
            "locked": submission is not None and submission.is_locked,
            "is_open": period.is_open(timezone.localdate()),
            "pending": children_not_in(organization, period),
            "unrecorded": tasks_unrecorded(organization, period),
            "entered": entered,
            "branches": branches,
            "form": ConfirmForm(warnings=warnings),
            "open_warnings": sum(1 for w in warnings if not w.is_confirmed),
            "confirmed": [w for w in warnings if w.is_confirmed],
            "may_confirm": True,
            "next": request.path,
        },
    )


def review(request, period: str, code: str):
    """The parent's page for one period: each reporting child with its status, history and the decisions."""
    parent = get_organization_for_user(request.user, code)
    if refused := only_get(request):
        return refused
    period = get_period(period)
    today = timezone.localdate()
    scope = scope_for(request.user)
    rows = review_rows(parent, period, today=today)
    reviewable = {row.organization.pk: scope.can(Action.REVIEW, row.organization, strict=True) for row in rows}
    return render(
        request,
        "indicators/review.html",
        {
            "parent": parent,
            "period": period,
            "rows": rows,
            "reviewable": reviewable,
            "can_review": any(reviewable.values()),
            "levels": completeness_by_level(parent, [period], today=today)[period.code],
            "quality": review_quality(parent, [row.organization for row in rows], period),
            "trail": ancestors_in_scope(request.user, parent),
            "locked_statuses": list(LOCKED_STATUSES),
            "today": today,
        },
    )


# Each decision: its form, its one service (and the name it gives the text), what the page says once done.
DECISIONS = {
    "accept": (
        CommentForm,
        services.submission_accept,
        "comment",
        gettext_lazy("The figures of %(name)s have been accepted."),
    ),
    "return": (
        RequiredCommentForm,
        services.submission_return,
        "comment",
        gettext_lazy("The figures of %(name)s have been returned."),
    ),
    "reopen": (
        RequiredCommentForm,
        services.submission_reopen,
        "comment",
        gettext_lazy("The figures of %(name)s have been reopened for correction."),
    ),
    "waive": (WaiverForm, services.waiver_grant, "reason", gettext_lazy("%(name)s has been let off this period.")),
}


def decide(request, period: str, code: str, action: str):
    """Accept, return, reopen or waive one child's submission: only a body above it may."""
    child = get_organization_for_user(request.user, code)
    if not scope_for(request.user).can(Action.REVIEW, child, strict=True):
        raise PermissionDenied(_("Only a body above %(name)s reviews its figures.") % {"name": child.name})
    if refused := only_post(request):
        return refused
    period = get_period(period)
    form_class, service, text_name, done = DECISIONS[action]
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write a comment (or a reason) before you confirm."))
    else:
        text = form.cleaned_data.get("comment") or form.cleaned_data.get("reason") or ""
        try:
            service(organization=child, period=period, by=request.user, **{text_name: text})
        except ValidationError as refusal:
            messages.error(request, " ".join(refusal.messages))
        else:
            messages.success(request, str(done) % {"name": child.display_name})
    parent = child.parent()
    return redirect("indicators:review", period=period.code, code=parent.code if parent else child.code)
