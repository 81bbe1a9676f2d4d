"""The dated operations on a member: transfer to another branch, a new role, leaving the union."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from organizations.permissions import Action
from unionportal.web import add_service_errors

from .. import services
from ..forms import LeaveForm, RoleForm, TransferForm
from ..lookups import get_member_for_user
from ..selectors import branches_for_member_edits
from .common import refuse_unless_active, trail_to


def _form_page(request, *, form, member, title: str, subtitle: str, submit: str, danger: bool = False):
    return render(
        request,
        "members/form.html",
        {
            "form": form,
            "member": member,
            "trail": trail_to(request.user, member),
            "title": title,
            "subtitle": subtitle,
            "submit": submit,
            "danger": danger,
            "show_current": True,
        },
    )


@require_http_methods(["GET", "POST"])
def member_transfer(request, card_number: str):
    """Chuyển sinh hoạt: to a base union where the user may edit members."""
    member = get_member_for_user(request.user, card_number, Action.EDIT_MEMBERS)
    if refused := refuse_unless_active(request, member):
        return refused
    branches = branches_for_member_edits(request.user).exclude(pk=member.branch_id).order_by("path")
    form = TransferForm(request.POST or None, branches=branches)
    if request.method == "POST" and form.is_valid():
        try:
            services.member_transfer(member=member, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(name)s now belongs to %(branch)s.")
                % {"name": member.full_name, "branch": form.cleaned_data["to_branch"].name},
            )
            return redirect("members:detail", card_number=member.card_number)
    return _form_page(
        request,
        form=form,
        member=member,
        title=_("Transfer %(name)s to another base union") % {"name": member.full_name},
        subtitle=_(
            "The member's time in %(branch)s ends on the effective date and their time in the new base union starts that day; their role here ends too. The history is kept."
        )
        % {"branch": member.branch.name},
        submit=_("Transfer"),
    )


@require_http_methods(["GET", "POST"])
def member_leave(request, card_number: str):
    member = get_member_for_user(request.user, card_number, Action.EDIT_MEMBERS)
    if refused := refuse_unless_active(request, member):
        return refused
    form = LeaveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.member_mark_left(member=member, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(name)s is no longer an active member.") % {"name": member.full_name})
            return redirect("members:detail", card_number=member.card_number)
    return _form_page(
        request,
        form=form,
        member=member,
        title=_("%(name)s leaves the union") % {"name": member.full_name},
        subtitle=_(
            "The member stays on record with their history; they no longer count as a member from the effective date."
        ),
        submit=_("Record the departure"),
        danger=True,
    )


@require_http_methods(["GET", "POST"])
def member_role(request, card_number: str):
    member = get_member_for_user(request.user, card_number, Action.EDIT_MEMBERS)
    if refused := refuse_unless_active(request, member):
        return refused
    form = RoleForm(request.POST or None, member=member)
    if request.method == "POST" and form.is_valid():
        try:
            services.member_set_role(member=member, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The role of %(name)s has been changed.") % {"name": member.full_name})
            return redirect("members:detail", card_number=member.card_number)
    return _form_page(
        request,
        form=form,
        member=member,
        title=_("Change the role of %(name)s") % {"name": member.full_name},
        subtitle=_("The current role ends on the effective date and the new one starts that day."),
        submit=_("Save"),
    )
