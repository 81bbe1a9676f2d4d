from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from unionportal.web import add_service_errors, only_get, show_refusal

from .. import hooks, services
from ..forms import OrganizationCreateForm, OrganizationEditForm
from ..lookups import get_organization_for_user
from ..models import Level, Organization, Workplace
from ..permissions import Action, scope_for
from ..selectors import (
    ancestors_in_scope,
    branch_counts_by_sector,
    organization_history,
    tree_children,
    workplace_totals,
)

# A district has close to a hundred branches; its page shows the first ones and links to the full list.
CHILDREN_SHOWN = 25


def organization_detail(request, code: str):
    organization = get_organization_for_user(request.user, code)
    if refused := only_get(request):
        return refused
    scope = scope_for(request.user)
    children = tree_children(organization, include_inactive=True)
    subtree = Organization.objects.within(organization)
    workplaces = Workplace.objects.within(organization)
    context = {
        "organization": organization,
        "trail": ancestors_in_scope(request.user, organization),
        "parent": organization.parent(),
        "children": children[:CHILDREN_SHOWN],
        "children_total": len(children),
        "children_are_branches": all(node.organization.is_base for node in children),
        "history": organization_history(organization),
        "sector_counts": branch_counts_by_sector(subtree.active()),
        "active_branches": subtree.base().active().count(),
        "workplace_totals": workplace_totals(workplaces),
        "enterprises_without_union": workplaces.enterprises().with_at_least(5).without_union().count(),
        "own_workplaces": list(organization.workplaces.all()) if organization.is_base else [],
        "sections": [
            section
            for section in hooks.branch_page_sections.run(organization=organization, user=request.user)
            if section is not None
        ],
        "can_edit": scope.can(Action.EDIT_REGISTRY, organization),
        "can_restructure": organization.is_active and scope.can(Action.RESTRUCTURE, organization),
        "can_add_child": organization.is_active
        and scope.can(Action.EDIT_REGISTRY, organization)
        and organization.level.code != Level.BELOW_BASE,
        "can_merge_children": organization.is_active and scope.can(Action.RESTRUCTURE, organization, strict=False),
    }
    return render(request, "organizations/detail.html", context)


@require_http_methods(["GET", "POST"])
def organization_create(request, code: str):
    """Found an organization under `code`."""
    parent = get_organization_for_user(request.user, code, Action.EDIT_REGISTRY)
    if not parent.is_active:
        messages.error(request, _("No new body can be founded under a body that is no longer active."))
        return redirect("organizations:detail", code=parent.code)
    form = OrganizationCreateForm(request.POST or None, parent=parent)
    if request.method == "POST" and form.is_valid():
        try:
            organization = services.organization_create(parent=parent, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(name)s has been founded.") % {"name": organization.name})
            return redirect("organizations:detail", code=organization.code)
    return render(request, "organizations/form.html", {"form": form, "parent": parent, "title": _("Found a new body")})


@require_http_methods(["GET", "POST"])
def organization_edit(request, code: str):
    organization = get_organization_for_user(request.user, code, Action.EDIT_REGISTRY)
    form = OrganizationEditForm(request.POST or None, organization=organization)
    if request.method == "POST" and form.is_valid():
        try:
            services.organization_update(organization=organization, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("organizations:detail", code=organization.code)
    return render(
        request,
        "organizations/form.html",
        {
            "form": form,
            "organization": organization,
            "title": _("Edit the details of %(name)s") % {"name": organization.name},
        },
    )
