"""The allocation of an indicator's targets: the parent sets each child's target, in one form."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from organizations.models import Organization, OrganizationStatus
from organizations.permissions import Action, scope_for
from programs.lookups import get_chosen_organization
from unionportal.web import add_service_errors

from ..lookups import get_indicator_for_user
from ..models import Measure, Target
from . import services
from .forms import AllocationForm
from .selectors import allocation_check


def _allocation_year(request, program) -> int | None:
    """?year=YYYY for one year's targets; empty for the targets of the whole term."""
    text = request.GET.get("year", "").strip()
    if not text:
        return None
    try:
        year = int(text)
    except ValueError:
        raise Http404(_("This year is outside the program."))
    if year not in program.years:
        raise Http404(_("This year is outside the program."))
    return year


@require_http_methods(["GET", "POST"])
def indicator_allocate(request, code: str, indicator: str):
    """Phân bổ chỉ tiêu: the parent sets each child's target for the term or one year, in one form."""
    indicator = get_indicator_for_user(request.user, code, indicator)
    program = indicator.program
    parent = get_chosen_organization(request.user, program, request.GET.get("org", ""))
    if not scope_for(request.user).can(Action.MANAGE_PROGRAMS, parent):
        raise PermissionDenied(_("You may not allocate the targets of %(name)s.") % {"name": parent.name})
    if indicator.measure == Measure.QUALITATIVE:
        raise Http404(_("A task without a figure has no target to allocate."))
    year = _allocation_year(request, program)
    children = list(
        Organization.objects.filter(
            path__startswith=parent.path, depth=parent.depth + 1, status=OrganizationStatus.ACTIVE
        ).order_by("code")
    )
    current = {
        t.organization_id: t for t in Target.objects.filter(indicator=indicator, organization__in=children, year=year)
    }
    form = AllocationForm(request.POST or None, indicator=indicator, children=children, current=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.targets_allocate(
                indicator=indicator,
                parent=parent,
                year=year,
                allocations=[
                    services.Allocation(organization=child, value=value, value_max=value_max)
                    for child, value, value_max in form.allocations()
                ],
                by=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The targets have been allocated."))
            return redirect(f"{request.path}?{request.GET.urlencode()}")
    check = allocation_check(indicator=indicator, parent=parent, year=year)
    own = Target.objects.filter(indicator=indicator, organization=parent, year=year).first()
    return render(
        request,
        "indicators/allocate.html",
        {
            "program": program,
            "indicator": indicator,
            "parent": parent,
            "year": year,
            "years": list(program.years),
            "form": form,
            "check": check,
            # What the parent itself must reach: its own target for that year or term, or the program's.
            "parent_target": own or (indicator if parent.pk == program.scope_id else None),
            "detail_url": f"{reverse('indicators:detail', args=[program.code, indicator.code])}?org={parent.code}",
        },
    )
