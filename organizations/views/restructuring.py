"""Move, merge, split and dissolve: each a form, then a confirmation page, then the service."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from unionportal.web import add_service_errors

from .. import services
from ..forms import DissolveForm, MergeForm, MoveForm, SplitForm
from ..lookups import get_organization_for_user
from ..models import Organization, Workplace
from ..permissions import Action, scope_for
from ..selectors import ancestors_in_scope, organizations_for_user


def _confirm_or_perform(
    request,
    *,
    form,
    organization: Organization,
    title: str,
    summary: Callable[[dict], list[str]],
    perform: Callable[[dict], Organization],
    success: str,
):
    """Step 1 shows the form; step 2 shows what will happen; step 3 (confirm=1) does it."""
    context = {"form": form, "organization": organization, "title": title}
    context["trail"] = ancestors_in_scope(request.user, organization)
    if request.method == "POST" and not request.POST.get("back") and form.is_valid():
        if request.POST.get("confirm") == "1":
            try:
                result = perform(form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, success)
                return redirect("organizations:detail", code=result.code)
        else:
            context["summary"] = summary(form.cleaned_data)
            return render(request, "organizations/restructure_confirm.html", context)
    return render(request, "organizations/restructure_form.html", context)


def _date(value) -> str:
    return value.strftime("%d/%m/%Y")


@require_http_methods(["GET", "POST"])
def organization_dissolve(request, code: str):
    organization = get_organization_for_user(request.user, code, Action.RESTRUCTURE)
    if not organization.is_active:
        messages.error(request, _("This body is no longer active."))
        return redirect("organizations:detail", code=code)
    form = DissolveForm(request.POST or None)

    def summary(data):
        return [
            _("Dissolve %(name)s (%(code)s) from %(date)s.")
            % {"name": organization.name, "code": organization.code, "date": _date(data["effective_date"])},
            _("The body stays on record, shown as “Dissolved”; its workplaces become workplaces without a union."),
        ]

    def perform(data):
        services.organization_dissolve(organization=organization, by=request.user, **data)
        return organization

    return _confirm_or_perform(
        request,
        form=form,
        organization=organization,
        title=_("Dissolve %(name)s") % {"name": organization.name},
        summary=summary,
        perform=perform,
        success=_("%(name)s has been dissolved.") % {"name": organization.name},
    )


@require_http_methods(["GET", "POST"])
def organization_move(request, code: str):
    organization = get_organization_for_user(request.user, code, Action.RESTRUCTURE)
    scope = scope_for(request.user)
    current_parent = organization.parent()
    # Only bodies above its level, active, where the user may restructure, and not inside it.
    parents = (
        organizations_for_user(request.user)
        .active()
        .filter(level__rank__lt=organization.level.rank)
        .exclude(path__startswith=organization.path)
        .exclude(pk=current_parent.pk if current_parent else None)
    )
    allowed = [p.pk for p in parents if scope.can(Action.EDIT_REGISTRY, p)]
    form = MoveForm(request.POST or None, parents=parents.filter(pk__in=allowed))

    def summary(data):
        return [
            _("Move %(name)s from %(old)s to %(new)s, from %(date)s.")
            % {
                "name": organization.name,
                "old": current_parent.name if current_parent else "—",
                "new": data["new_parent"].name,
                "date": _date(data["effective_date"]),
            },
            _("Every body under %(name)s moves with it.") % {"name": organization.name},
        ]

    def perform(data):
        services.organization_move(organization=organization, by=request.user, **data)
        return organization

    return _confirm_or_perform(
        request,
        form=form,
        organization=organization,
        title=_("Move %(name)s to another parent") % {"name": organization.name},
        summary=summary,
        perform=perform,
        success=_("%(name)s has been moved.") % {"name": organization.name},
    )


@require_http_methods(["GET", "POST"])
def organization_merge(request, code: str):
    """Merge children of `code` (e.g. two CĐCS of one district) into a new or an existing one."""
    parent = get_organization_for_user(request.user, code)
    # Merging acts on the bodies below `code`, so the right is needed there, not on `code` itself.
    if not scope_for(request.user).can(Action.RESTRUCTURE, parent, strict=False):
        raise PermissionDenied(_("You may not restructure the bodies under %(name)s.") % {"name": parent.name})
    candidates = Organization.objects.filter(path__startswith=parent.path, depth=parent.depth + 1).active()
    form = MergeForm(request.POST or None, candidates=candidates.select_related("level"))

    def summary(data):
        names = ", ".join(f"{s.name} ({s.code})" for s in data["sources"])
        if data["mode"] == MergeForm.EXISTING:
            target = f"{data['into'].name} ({data['into'].code})"
        else:
            target = _("the new body %(name)s (%(code)s)") % {"name": data["new_name"], "code": data["new_code"]}
        return [
            _("Merge %(names)s into %(target)s, from %(date)s.")
            % {"names": names, "target": target, "date": _date(data["effective_date"])},
            _(
                "The former bodies stay on record, marked “Merged”; their workplaces and the units below them pass to the merged body."
            ),
        ]

    def perform(data):
        common = {
            "sources": list(data["sources"]),
            "effective_date": data["effective_date"],
            "decision": data["decision"],
            "note": data["note"],
            "by": request.user,
        }
        if data["mode"] == MergeForm.EXISTING:
            target, _operation = services.branch_merge(into=data["into"], **common)
        else:
            target, _operation = services.branch_merge(
                new=services.NewOrganization(code=data["new_code"], name=data["new_name"], sector=data["new_sector"]),
                parent=parent,
                **common,
            )
        return target

    return _confirm_or_perform(
        request,
        form=form,
        organization=parent,
        title=_("Merge bodies under %(name)s") % {"name": parent.name},
        summary=summary,
        perform=perform,
        success=_("The merger is done."),
    )


@require_http_methods(["GET", "POST"])
def organization_split(request, code: str):
    organization = get_organization_for_user(request.user, code, Action.RESTRUCTURE)
    workplaces = list(Workplace.objects.filter(branch=organization))
    form = SplitForm(request.POST or None, source=organization, workplaces=workplaces)

    def summary(data):
        parts = form.parts()
        lines = [
            _("Split %(name)s into %(count)s bodies, from %(date)s:")
            % {"name": organization.name, "count": len(parts), "date": _date(data["effective_date"])}
        ]
        lines += [f"{i}. {name} ({code})" for i, (code, name) in enumerate(parts, start=1)]
        mapping = form.workplace_mapping()
        lines += [
            _("Workplace %(workplace)s goes to %(name)s.") % {"workplace": w.name, "name": parts[mapping[w.code]][1]}
            for w in workplaces
        ]
        return lines

    def perform(data):
        results, _operation = services.branch_split(
            source=organization,
            into=[
                services.NewOrganization(code=code, name=name, sector=organization.sector)
                for code, name in form.parts()
            ],
            workplaces=form.workplace_mapping(),
            effective_date=data["effective_date"],
            decision=data["decision"],
            note=data["note"],
            by=request.user,
        )
        return organization

    return _confirm_or_perform(
        request,
        form=form,
        organization=organization,
        title=_("Split %(name)s") % {"name": organization.name},
        summary=summary,
        perform=perform,
        success=_("%(name)s has been split.") % {"name": organization.name},
    )
