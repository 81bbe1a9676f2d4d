"""Data quality: the page of warnings in a subtree, a grid's confirmation form, its re-check, its cells as JSON."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from organizations.lookups import get_organization_for_user
from organizations.permissions import Action, scope_for
from organizations.selectors import ancestors_in_scope
from unionportal.web import only_get, only_post, paginate

from ..models import ReportingPeriod
from ..periods import get_period
from . import services
from .forms import ConfirmForm
from .selectors import by_cell, grid_warnings, subtree_warnings
from .texts import describe


def quality_page(request, code: str):
    """“Chất lượng số liệu”: the warnings of an organization's subtree, by period and body, within the user's scope."""
    organization = get_organization_for_user(request.user, code)
    if refused := only_get(request):
        return refused
    scope = scope_for(request.user)
    periods = list(
        ReportingPeriod.objects.filter(quality_warnings__organization__path__startswith=organization.path)
        .distinct()
        .order_by("-end_on", "kind")
    )
    chosen = next((p for p in periods if p.code == request.GET.get("period", "")), None)
    show_all = request.GET.get("show") == "all"
    warnings = subtree_warnings(scope, organization, period=chosen, open_only=not show_all)
    return render(
        request,
        "indicators/quality/page.html",
        {
            "organization": organization,
            "periods": periods,
            "chosen": chosen,
            "show_all": show_all,
            "page": paginate(request, warnings),
            "trail": ancestors_in_scope(request.user, organization),
        },
    )


def _back(request, default: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


def confirm(request, period: str, code: str):
    """The confirmation form of a grid's warnings: GET lists them; POST confirms those given an explanation."""
    unit = get_organization_for_user(request.user, code, Action.ENTER_DATA if request.method == "POST" else Action.VIEW)
    period = get_period(period)
    warnings = grid_warnings(unit, period)
    form = ConfirmForm(request.POST or None, warnings=warnings)
    if request.method == "POST":
        if form.is_valid():
            try:
                done = services.warnings_confirm(unit=unit, period=period, comments=form.comments(), by=request.user)
            except ValidationError as refusal:
                form.show(refusal)
            else:
                messages.success(
                    request,
                    ngettext("%(count)s warning confirmed.", "%(count)s warnings confirmed.", done) % {"count": done},
                )
                return redirect(_back(request, request.path))
        messages.error(request, _("Nothing was confirmed: see the explanations marked below."))
    elif request.method != "GET":
        return only_get(request)
    return render(
        request,
        "indicators/quality/confirm.html",
        {
            "unit": unit,
            "period": period,
            "form": form,
            "confirmed": [w for w in warnings if w.is_confirmed],
            "may_confirm": scope_for(request.user).can(Action.ENTER_DATA, unit),
            "next": request.GET.get("next", ""),
        },
    )


def recheck(request, period: str, code: str):
    """Check the grid's figures again (the registry may have changed since they were saved)."""
    unit = get_organization_for_user(request.user, code, Action.ENTER_DATA)
    if refused := only_post(request):
        return refused
    period = get_period(period)
    services.unit_refresh(unit=unit, period=period)
    messages.success(request, _("The figures have been checked again."))
    return redirect(_back(request, request.path.replace("recheck/", "confirm/")))


def cells(request, period: str, code: str):
    """The warnings of a grid's cells as JSON, for the grid's script: {"cells": {"<row id>-<element id>": […]}}."""
    unit = get_organization_for_user(request.user, code)
    if refused := only_get(request):
        return refused
    found = by_cell(grid_warnings(unit, get_period(period)))
    return JsonResponse(
        {
            "cells": {
                key: [
                    {"rule": w.rule.name, "text": describe(w), "confirmed": w.is_confirmed, "id": w.pk}
                    for w in warnings
                ]
                for key, warnings in found.items()
            },
            "open": sum(1 for warnings in found.values() for w in warnings if not w.is_confirmed),
        }
    )
