"""History tabs: the audit trail of a branch, a member, a workplace and a data-entry grid.

Each page reaches its object through the scoped lookup of that object: outside the user's
subtrees it does not exist (404). Personal data in the history is masked exactly as on the
member pages.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import render

from indicators.entry.lookups import get_grid_organization_for_user
from indicators.periods import get_period
from members.lookups import get_member_for_user
from organizations.lookups import get_organization_for_user, get_workplace_for_user
from organizations.permissions import Action, scope_for
from unionportal.web import only_get

from . import selectors
from .presenters import present

PER_PAGE = 50


def _page(request, events, *, show_personal: bool, template: str, context: dict, row: int | None = None):
    page = Paginator(events.select_related(None), PER_PAGE).get_page(request.GET.get("page"))
    context |= {"page": page, "entries": present(page.object_list, show_personal=show_personal, row=row)}
    return render(request, template, context)


def organization_history(request, code: str):
    organization = get_organization_for_user(request.user, code)
    if refused := only_get(request):
        return refused
    scope = scope_for(request.user)
    return _page(
        request,
        selectors.events_at(organization),
        show_personal=scope.can(Action.EDIT_MEMBERS, organization),
        template="audit/organization_history.html",
        context={"organization": organization, "exports": selectors.personal_data_exports(organization, scope)},
    )


def member_history(request, card_number: str):
    member = get_member_for_user(request.user, card_number)
    if refused := only_get(request):
        return refused
    show_personal = scope_for(request.user).can(Action.EDIT_MEMBERS, member.branch)
    return _page(
        request,
        selectors.events_of("member", member.pk),
        show_personal=show_personal,
        template="audit/member_history.html",
        context={"member": member},
        row=member.pk,
    )


def workplace_history(request, code: str):
    workplace = get_workplace_for_user(request.user, code)
    if refused := only_get(request):
        return refused
    return _page(
        request,
        selectors.events_of("workplace", workplace.pk),
        show_personal=False,
        template="audit/workplace_history.html",
        context={"workplace": workplace},
        row=workplace.pk,
    )


def grid_history(request, period: str, code: str):
    organization = get_grid_organization_for_user(request.user, code)
    if refused := only_get(request):
        return refused
    period = get_period(period)
    return _page(
        request,
        selectors.events_of_grid(organization, period),
        show_personal=False,
        template="audit/grid_history.html",
        context={"organization": organization, "period": period},
    )
