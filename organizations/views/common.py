"""Helpers shared by the hierarchy views."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.forms import Form
from django.http import HttpResponseNotAllowed

from ..lookups import get_organization_for_user
from ..models import Organization
from ..selectors import tree_roots

PAGE_SIZE = 50


def resolve_under(request) -> Organization | None:
    """The subtree a list is about: ?under=CODE (404 outside the user's scope), else the user's only root."""
    code = request.GET.get("under", "").strip()
    if code:
        return get_organization_for_user(request.user, code)
    roots = tree_roots(request.user)
    return roots[0] if len(roots) == 1 else None


def paginate(request, queryset, per_page: int = PAGE_SIZE) -> Page:
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def attach_parents(organizations) -> None:
    """Give each organization its parent as `.parent_org`, with one query for the whole page."""
    steplen = Organization.steplen
    paths = {o.path[:-steplen] for o in organizations if o.depth > 1}
    parents = {p.path: p for p in Organization.objects.filter(path__in=paths)}
    for organization in organizations:
        organization.parent_org = parents.get(organization.path[:-steplen])


def add_service_errors(form: Form, error: ValidationError) -> None:
    """Show a service's refusal on the form, on its field when it names one."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


def only_get(request) -> HttpResponseNotAllowed | None:
    """For read-only views that look their object up first, so an outsider's POST is a 404, not a 405."""
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    return None
