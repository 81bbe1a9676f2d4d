"""An indicator's page (definition, targets, actual per child) and the allocation of its targets."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from organizations.models import Organization, OrganizationStatus
from organizations.permissions import Action, scope_for
from programs import services as program_services
from programs.lookups import get_chosen_organization
from programs.selectors import organization_choices
from unionportal.web import add_service_errors, only_get

from .. import engine, services
from ..forms import AllocationForm
from ..lookups import get_indicator_for_user
from ..models import AllocationRule, Measure, Target
from ..periods import choose_period, program_periods
from ..selectors import allocation_year, children_scores, target_table
from ..status import evaluate, target_for


def indicator_detail(request, code: str, indicator: str):
    indicator = get_indicator_for_user(request.user, code, indicator)
    if refused := only_get(request):
        return refused
    program = indicator.program
    today = timezone.localdate()
    organization = get_chosen_organization(request.user, program, request.GET.get("org", ""))
    periods = program_periods(program, today=today)
    period = choose_period(periods, request.GET.get("period", ""))
    scope = scope_for(request.user)
    context = {
        "program": program,
        "indicator": indicator,
        "organization": organization,
        "organizations": organization_choices(request.user, program, organization),
        "period": period,
        "periods": periods,
        "years": list(program.years),
        "targets": target_table(indicator, scope.q("organization__path")),
        "can_allocate": (
            indicator.measure != Measure.QUALITATIVE
            and not organization.is_base
            and scope.can(Action.MANAGE_PROGRAMS, organization)
        ),
    }
    if period is not None:
        target = target_for(indicator, organization, period.year)
        measurement = engine.measure(indicator, organization, period) if period.pk else engine.NO_DATA
        year = allocation_year(indicator, period)
        context.update(
            {
                "target": target,
                "measurement": measurement,
                "status": evaluate(indicator, target, measurement, period, today=today),
                "children": children_scores(indicator, organization, period, today=today),
                "allocation_year": year,
                "allocation": (
                    services.allocation_check(indicator=indicator, parent=organization, year=year)
                    if indicator.allocation != AllocationRule.NONE and not organization.is_base
                    else None
                ),
            }
        )
    return render(request, "indicators/detail.html", context)


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
            program_services.targets_allocate(
                indicator=indicator,
                parent=parent,
                year=year,
                allocations=[
                    program_services.Allocation(organization=child, value=value, value_max=value_max)
                    for child, value, value_max in form.allocations()
                ],
                by=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The targets have been allocated."))
            return redirect(f"{request.path}?{request.GET.urlencode()}")
    check = services.allocation_check(indicator=indicator, parent=parent, year=year)
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
