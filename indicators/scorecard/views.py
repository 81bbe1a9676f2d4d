"""The program's page (its document and every indicator's target, actual and status) and an indicator's page."""

from django.db.models import Prefetch
from django.shortcuts import render
from django.utils import timezone

from organizations.models import Organization
from organizations.permissions import Action, scope_for
from programs.lookups import get_chosen_organization, get_program_for_user
from programs.selectors import organization_choices
from unionportal.web import only_get

from .. import engine
from ..lookups import get_indicator_for_user
from ..models import AllocationRule, Measure
from ..periods import choose_period, program_periods
from ..status import evaluate, target_for
from ..targets.selectors import allocation_check, allocation_year, target_table
from .selectors import children_scores, scorecard, status_counts


def program_detail(request, code: str):
    """The program document and every numeric target with its actual and status, for one organization and period."""
    program = get_program_for_user(request.user, code)
    if refused := only_get(request):
        return refused
    today = timezone.localdate()
    organization = get_chosen_organization(request.user, program, request.GET.get("org", ""))
    periods = program_periods(program, today=today)
    period = choose_period(periods, request.GET.get("period", ""))
    scores = scorecard(program, organization, period, today=today) if period else []
    sections = program.sections.prefetch_related(
        Prefetch("responsible", queryset=Organization.objects.order_by("path"))
    ).order_by("order", "id")
    scope = scope_for(request.user)
    return render(
        request,
        "indicators/program.html",
        {
            "program": program,
            "organization": organization,
            "organizations": organization_choices(request.user, program, organization),
            "period": period,
            "periods": periods,
            "scores": scores,
            "counts": status_counts(scores),
            "bases": list(program.bases.order_by("order", "id")),
            "sections": list(sections),
            "milestones": list(program.milestones.order_by("year", "due_on", "id")),
            "can_manage": scope.can(Action.MANAGE_PROGRAMS, program.scope),
            "today": today,
        },
    )


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
                    allocation_check(indicator=indicator, parent=organization, year=year)
                    if indicator.allocation != AllocationRule.NONE and not organization.is_base
                    else None
                ),
            }
        )
    return render(request, "indicators/detail.html", context)
