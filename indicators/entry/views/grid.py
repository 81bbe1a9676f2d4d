"""Data entry: the periods, the grid of one organization for one period, and its cells (htmx)."""

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from organizations.models import Sector
from organizations.permissions import Action, scope_for
from organizations.selectors import tree_roots
from unionportal.concurrency import StaleEdit
from unionportal.web import only_get, only_post

from ...models import SubmissionStatus
from ...periods import get_period, period_calendar
from ...quality.selectors import by_cell, grid_warnings, row_warnings
from ...workflow.selectors import (
    children_not_in,
    completeness_by_level,
    own_submissions,
    reporting_children,
    reporting_unit,
    submission_of,
    submitted_late,
)
from .. import services
from ..lookups import get_element, get_grid_organization_for_user, get_grid_row_for_user
from ..rules import Locked
from ..selectors import grid_cell, grid_for

# Status codes of a cell that was not saved; grid.js lets htmx swap them in, message and all.
REFUSED = 422
CONFLICT = 409

# Branches on one page of a grid: a district of 87 fits on one; the largest (330) takes four.
ROWS_PER_PAGE = 100
# The rows laid out at once: at 1366 × 900 the grid starts below the first screen, and 10 rows fill
# the first screen of a 2560 × 1440 display. The others wait in a <template> until the first ones
# are on screen (grid.js, a frame later), so that a page of 100 is as quick to open as a page of 10.
FIRST_ROWS = 10


def grid_page(request, rows: list):
    """The page of the grid's rows asked for, after the filters (a name or code, a sector).

    Returns the page and the query string of the filters, which the page links keep.
    """
    query = request.GET.get("q", "").strip()[:100]
    sector = request.GET.get("sector", "")
    if query:
        needle = query.casefold()
        rows = [r for r in rows if needle in r.organization.name.casefold() or needle in r.organization.code.casefold()]
    if sector in Sector.values:
        rows = [r for r in rows if r.organization.sector == sector]
    kept = QueryDict(mutable=True)
    if query:
        kept["q"] = query
    if sector in Sector.values:
        kept["sector"] = sector
    return Paginator(rows, ROWS_PER_PAGE).get_page(request.GET.get("page")), kept.urlencode()


def cell_base(period, organization) -> str:
    """The start of every cell's address in a grid; each cell adds its row and element codes."""
    return f"{reverse('indicators:grid', args=[period.code, organization.code])}cell/"


@require_GET
def period_list(request):
    """The reporting calendar of one organization: each period's deadline, its submission and the bodies below."""
    code = request.GET.get("org", "").strip()
    roots = tree_roots(request.user)
    organization = get_grid_organization_for_user(request.user, code) if code else (roots[0] if roots else None)
    context = {"organization": organization, "roots": roots, "today": timezone.localdate()}
    if organization is not None:
        periods = period_calendar(today=context["today"])
        unit = reporting_unit(organization)
        submissions = own_submissions(unit, periods)
        levels_by_period = completeness_by_level(organization, periods, today=context["today"])
        context.update(
            {
                "rows": [
                    {
                        "period": period,
                        "submission": submissions.get(period.code),
                        "late": submitted_late(submissions.get(period.code)),
                        "levels": levels,
                    }
                    for period, levels in zip(periods, levels_by_period.values(), strict=True)
                ],
                "unit_is_self": unit.pk == organization.pk,
                "has_levels": any(levels for levels in levels_by_period.values()),
            }
        )
    return render(request, "indicators/periods.html", context)


def grid(request, period: str, code: str):
    """The data-entry grid: the organization's branches as rows, the period's figures as columns."""
    organization = get_grid_organization_for_user(request.user, code)
    if refused := only_get(request):
        return refused
    period = get_period(period)
    today = timezone.localdate()
    scope = scope_for(request.user)
    unit = reporting_unit(organization)
    unit_visible = scope.sees(unit)
    submission = submission_of(unit, period)
    locked = submission is not None and submission.is_locked
    is_open = period.is_open(today)
    data = grid_for(organization, period)
    page, filters = grid_page(request, data.rows)
    may_enter = scope.can(Action.ENTER_DATA, organization)
    children = reporting_children(organization) if unit.pk == organization.pk else []
    can_submit = (
        unit.pk == organization.pk
        and may_enter
        and is_open
        and (submission is None or submission.status in (SubmissionStatus.DRAFT, SubmissionStatus.RETURNED))
    )
    return render(
        request,
        "indicators/grid.html",
        {
            "organization": organization,
            "period": period,
            "grid": data,
            "page": page,
            "first_rows": page.object_list[:FIRST_ROWS],
            "rest_rows": page.object_list[FIRST_ROWS:],
            "filters": filters,
            "filtered": bool(filters),
            "sectors": Sector.choices,
            "cell_base": cell_base(period, organization),
            "unit": unit if unit_visible else None,
            "submission": submission,
            "late": submitted_late(submission),
            "events": list(submission.events.all()) if submission and unit_visible else [],
            "locked": locked,
            "is_open": is_open,
            "editable": may_enter and is_open and not locked,
            "may_enter": may_enter,
            "can_submit": can_submit,
            "pending": children_not_in(organization, period) if can_submit and children else [],
            "reporting_children": children,
            "can_review_here": bool(children) and scope.can(Action.REVIEW, organization, strict=False),
            "today": today,
            "warnings_by_cell": by_cell(grid_warnings(organization, period)),
        },
    )


def cell(request, period: str, code: str, row: str, element: str):
    """Save one cell (hx-post on change) and answer with the cell, its message and the progress count."""
    organization = get_grid_organization_for_user(request.user, code)
    row_organization = get_grid_row_for_user(request.user, organization, row)
    if refused := only_post(request):
        return refused
    element = get_element(element)
    raw = request.POST.get("value", "")
    try:
        expected = int(request.POST["version"])
    except (KeyError, ValueError):
        expected = None
    status, error, conflict, typed, locked = 200, "", False, None, False
    try:
        services.data_value_save(
            element=element,
            organization=row_organization,
            period=get_period(period),
            raw=raw,
            by=request.user,
            expected_version=expected,
        )
    except Locked:
        status, locked = CONFLICT, True
        error = _("This period is locked: the figures have been submitted, or the period has not started.")
    except StaleEdit:
        status, conflict = CONFLICT, True
    except ValidationError as refusal:
        status, error, typed = REFUSED, " ".join(refusal.messages), raw
    period = get_period(period)  # saved by the first figure written in it
    current = grid_cell(row_organization, element, period)  # the newer value, after a conflict
    data = grid_for(organization, period)
    row_state = next((r for r in data.rows if r.organization.pk == row_organization.pk), None)
    own = data.own if row_organization.pk == organization.pk else None
    return render(
        request,
        "indicators/_cell_response.html",
        {
            "cell": current,
            "organization": organization,
            "period": period,
            "editable": not locked,
            "error": error,
            "conflict": conflict,
            "typed": typed,
            "entered": raw,
            "saved": status == 200,
            "progress": data.progress,
            "row_state": row_state or own,
            "row_cells": (own or row_state).cells if (own or row_state) else [],
            "warnings_by_cell": by_cell(row_warnings(row_organization, period)),
            "cell_base": cell_base(period, organization),
        },
        status=status,
    )
