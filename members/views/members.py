from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from organizations.lookups import get_organization_for_user
from organizations.models import Level
from organizations.permissions import Action, scope_for
from organizations.selectors import ancestors_in_scope
from unionportal.web import add_service_errors, only_get, show_refusal

from .. import services
from ..forms import MemberCreateForm, MemberEditForm
from ..lookups import get_member_for_user
from ..models import MemberStatus
from ..privacy import masked, masked_birth_date
from ..selectors import branches_for_member_edits, member_history
from .common import trail_to


def list_url(branch) -> str:
    url = reverse("members:list")
    return f"{url}?under={branch.code}" if branch else url


def member_detail(request, card_number: str):
    member = get_member_for_user(request.user, card_number)
    if refused := only_get(request):
        return refused
    can_edit = scope_for(request.user).can(Action.EDIT_MEMBERS, member.branch)
    return render(
        request,
        "members/detail.html",
        {
            "member": member,
            "trail": trail_to(request.user, member),
            "history": member_history(member),
            "can_edit": can_edit,
            "can_change": can_edit and member.status == MemberStatus.ACTIVE,
            # Personal data (Decree 13/2023/NĐ-CP): the full number only for those who keep the records.
            "citizen_id": member.citizen_id if can_edit else masked(member.citizen_id),
            "date_of_birth": member.date_of_birth.strftime("%d/%m/%Y")
            if can_edit and member.date_of_birth
            else masked_birth_date(member.date_of_birth),
        },
    )


@require_http_methods(["GET", "POST"])
def member_create(request):
    """Admit a member; ?branch=CODE chooses the base union beforehand."""
    code = request.GET.get("branch", "").strip()
    branch = None
    if code:
        branch = get_organization_for_user(request.user, code, Action.EDIT_MEMBERS)
        if branch.level.code != Level.BASE or not branch.is_active:
            messages.error(request, _("Members are added to an active base union: choose one."))
            return redirect(request.path)
    elif not scope_for(request.user).can_anywhere(Action.EDIT_MEMBERS):
        raise PermissionDenied
    branches = branches_for_member_edits(request.user)
    form = MemberCreateForm(
        request.POST or None, branches=branches, initial={"branch": branch.code if branch else None}
    )
    if request.method == "POST" and form.is_valid():
        try:
            member = services.member_create(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(name)s has been added to %(branch)s.") % {"name": member.full_name, "branch": member.branch.name},
            )
            return redirect("members:detail", card_number=member.card_number)
    return render(
        request,
        "members/form.html",
        {
            "form": form,
            "title": _("Add a member"),
            "branch": branch,
            "trail": [*ancestors_in_scope(request.user, branch), branch] if branch else [],
            "cancel_url": list_url(branch),
        },
    )


@require_http_methods(["GET", "POST"])
def member_edit(request, card_number: str):
    member = get_member_for_user(request.user, card_number, Action.EDIT_MEMBERS)
    form = MemberEditForm(request.POST or None, member=member)
    if request.method == "POST" and form.is_valid():
        try:
            services.member_update(member=member, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("members:detail", card_number=member.card_number)
    return render(
        request,
        "members/form.html",
        {
            "form": form,
            "member": member,
            "trail": trail_to(request.user, member),
            "title": _("Edit the details of %(name)s") % {"name": member.full_name},
            "subtitle": _("Where the member belongs, their role and trainings change through their own forms."),
        },
    )
