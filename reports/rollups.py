"""Refreshing the precomputed rollups (reports/models/rollup.py), as an explicit step.

The writes that change figures say so through hooks, after their transaction commits, and
the receivers here hand the refresh to the job runner (unionportal.jobs):
organizations.registry_changed (an import, a restructuring, a branch or workplace saved:
the registry's measures in the subtrees that changed), and the figures and periods of
indicators (the indicators using the figures saved, in the reporting unit's subtree; every
rollup of a period opened). `refresh()` itself recomputes what it is asked. A full refresh groups every
indicator's rows once by the path prefix of the deepest stored level and adds the
groups up the tree in memory; a subtree refresh recomputes the subtree the same way
and passes the difference on to its ancestors, whose parts are sums.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max, Q

from indicators.engine import ZERO, Parts, parts_by_prefix
from indicators.models import Indicator, Measure, ReportingPeriod
from organizations.hooks import BRANCHES, MEMBERS, WORKPLACES
from organizations.models import Level, Organization
from unionportal.jobs import run_in_background

from .models import Rollup

# The registry's measures each kind of change can move, so a refresh recomputes only those.
MEASURES_BY_CHANGE = {
    MEMBERS: (Measure.MEMBERS_STOCK, Measure.MEMBERS_JOINED, Measure.MEMBERS_LEFT, Measure.PEOPLE_TRAINED_SHARE),
    BRANCHES: (
        Measure.BRANCHES_ACTIVE,
        Measure.BRANCHES_FOUNDED,
        Measure.BRANCHES_DISSOLVED,
        Measure.ORGANIZATIONS_SHARE,
        Measure.ORGANIZATIONS_COUNT,
        Measure.AVERAGE_PER_BRANCH,
        Measure.WORKPLACES_UNIONIZED_SHARE,
        Measure.WORKPLACES_COUNT,
    ),
    WORKPLACES: (Measure.WORKPLACES_UNIONIZED_SHARE, Measure.WORKPLACES_COUNT),
}


@dataclass(frozen=True)
class RefreshResult:
    indicators: int
    periods: int
    rows: int


def _base_rank() -> int:
    return Level.objects.get(code=Level.BASE).rank


def stored_organizations(within: Organization | None = None):
    """The bodies that have rollups: those above the base level."""
    queryset = Organization.objects.filter(level__rank__lt=_base_rank())
    if within is not None:
        queryset = queryset.filter(path__startswith=within.path)
    return queryset


def indicators_using(*, element_ids: Iterable[int] = ()):
    """Indicators whose figures depend on these reported elements."""
    condition = Q(pk__in=[])
    element_ids = list(element_ids)
    if element_ids:
        condition |= (
            Q(element_id__in=element_ids) | Q(denominator_id__in=element_ids) | Q(eligibility_id__in=element_ids)
        )
    return Indicator.objects.filter(condition).exclude(measure=Measure.QUALITATIVE)


def _sum_up(groups: dict[str, Parts], stored: dict[str, int]) -> dict[int, Parts]:
    """Each stored organization's parts: the sum of the groups whose key lies in its subtree."""
    steplen = Organization.steplen
    totals: dict[int, Parts] = {}
    for key, parts in groups.items():
        for end in range(steplen, len(key) + 1, steplen):
            org_id = stored.get(key[:end])
            if org_id is not None:
                totals[org_id] = totals.get(org_id, ZERO) + parts
    return totals


@transaction.atomic
def refresh(
    *,
    within: Organization | None = None,
    indicators: Iterable[Indicator] | None = None,
    periods: Iterable[ReportingPeriod] | None = None,
) -> RefreshResult:
    # Sorted: two refreshes lock the same rows in the same order, so they queue rather than deadlock.
    indicators = sorted(
        indicators if indicators is not None else Indicator.objects.exclude(measure=Measure.QUALITATIVE),
        key=lambda indicator: indicator.pk,
    )
    periods = sorted(periods if periods is not None else ReportingPeriod.objects.all(), key=lambda period: period.pk)
    if not indicators or not periods:
        return RefreshResult(len(indicators), len(periods), 0)
    depth = Organization.objects.filter(level__rank__lt=_base_rank()).aggregate(d=Max("depth"))["d"] or 1
    length = depth * Organization.steplen
    stored = dict(stored_organizations(within).values_list("path", "pk"))
    ancestors = list(within.ancestors()) if within is not None else []
    if within is not None:
        _lock(indicators, periods, [within, *ancestors])
    rows = 0
    for indicator in indicators:
        for period in periods:
            groups = parts_by_prefix(indicator, period, length=length, within=within)
            totals = _sum_up(groups, stored)
            changes = {org_id: totals.get(org_id, ZERO) for org_id in stored.values()}
            if within is not None and ancestors:
                changes.update(_ancestor_parts(indicator, period, within, ancestors, changes.get(within.pk, ZERO)))
            rows += _write(indicator, period, changes)
    return RefreshResult(len(indicators), len(periods), rows)


def refresh_period(period_id: int) -> RefreshResult:
    """Every rollup of one period: the background job that follows a period's creation."""
    return refresh(periods=[ReportingPeriod.objects.get(pk=period_id)])


def _lock(indicators: list[Indicator], periods: list[ReportingPeriod], organizations: list[Organization]) -> None:
    """Hold the subtree's and its ancestors' rollups until this refresh commits.

    A subtree refresh reads the figures below, then moves each ancestor by the difference.
    Two refreshes at once (two grid saves in sibling districts) would both start from the
    same province total and the second write would drop the first's change; locked first,
    the second waits, then reads what the first committed (READ COMMITTED: each statement
    sees the latest commits). A no-op on SQLite, whose writers take the whole database.
    """
    list(
        Rollup.objects.select_for_update()
        .filter(indicator__in=indicators, period__in=periods, organization__in=organizations)
        .order_by("indicator_id", "period_id", "organization_id")
        .values_list("pk", flat=True)
    )


def _ancestor_parts(
    indicator: Indicator, period: ReportingPeriod, within: Organization, ancestors: list[Organization], new: Parts
) -> dict[int, Parts]:
    """Ancestors take the subtree's difference; one never computed gets a full computation of its own."""
    existing = {
        r.organization_id: Parts(r.numerator, r.denominator, r.reported, r.expected)
        for r in Rollup.objects.filter(indicator=indicator, period=period, organization__in=[*ancestors, within])
    }
    old = existing.get(within.pk)
    result: dict[int, Parts] = {}
    for ancestor in ancestors:
        if ancestor.pk in existing and old is not None:
            result[ancestor.pk] = existing[ancestor.pk] - old + new
        else:
            length = ancestor.depth * Organization.steplen
            groups = parts_by_prefix(indicator, period, length=length, within=ancestor)
            result[ancestor.pk] = sum(groups.values(), ZERO)
    return result


def _write(indicator: Indicator, period: ReportingPeriod, parts: dict[int, Parts]) -> int:
    objects = [
        Rollup(
            indicator=indicator,
            organization_id=org_id,
            period=period,
            numerator=p.numerator,
            denominator=p.denominator,
            reported=max(p.reported, 0),
            expected=max(p.expected, 0),
        )
        for org_id, p in parts.items()
    ]
    Rollup.objects.bulk_create(
        objects,
        batch_size=1000,
        update_conflicts=True,
        unique_fields=["indicator", "organization", "period"],
        update_fields=["numerator", "denominator", "reported", "expected", "computed_at"],
    )
    return len(objects)


# --- the refreshes the hooks queue --------------------------------------------------------------


def queue_registry_refresh(*, within: list[Organization | None], changed: list[str]) -> None:
    """Receiver of organizations.registry_changed, after the commit: refresh in the background."""
    ids = sorted({0 if organization is None else organization.pk for organization in within})
    run_in_background(refresh_registry, ids, sorted(changed))


def refresh_registry(organization_ids: list[int], changed: list[str]) -> None:
    """The job: the measures `changed` can move, in the subtrees of `organization_ids` (0: everywhere).

    A base union has no rollups of its own: its upper-level union's subtree is refreshed.
    """
    measures = {measure for kind in changed for measure in MEASURES_BY_CHANGE[kind]}
    indicators = list(Indicator.objects.filter(measure__in=measures))
    if not indicators:
        return
    if 0 in organization_ids:
        refresh(indicators=indicators)
        return
    for organization in _stored_roots(organization_ids):
        refresh(within=organization, indicators=indicators)


def _stored_roots(organization_ids: list[int]) -> list[Organization]:
    """The smallest set of bodies with rollups whose subtrees cover these bodies."""
    base_rank = _base_rank()
    paths = set()
    for organization in Organization.objects.filter(pk__in=organization_ids).select_related("level"):
        path = organization.path
        if organization.level.rank >= base_rank:
            # The nearest ancestor above the base level (the path of a body is its ancestors' paths extended).
            ancestors = organization.ancestors().filter(level__rank__lt=base_rank).order_by("-depth")
            path = ancestors.values_list("path", flat=True).first() or path
        paths.add(path)
    roots = [path for path in sorted(paths) if not any(path.startswith(other) and path != other for other in paths)]
    return list(Organization.objects.filter(path__in=roots).order_by("path"))


def queue_figures_refresh(
    *, within: list[Organization], element_ids: list[int], periods: list[ReportingPeriod]
) -> None:
    """Receiver of indicators.figures_changed, after the commit: refresh in the background."""
    run_in_background(
        refresh_figures, sorted({o.pk for o in within}), sorted(set(element_ids)), sorted({p.pk for p in periods})
    )


def refresh_figures(organization_ids: list[int], element_ids: list[int], period_ids: list[int]) -> None:
    """The job: the indicators using these figures, in these periods, in the reporting units' subtrees and above."""
    indicators = list(indicators_using(element_ids=element_ids))
    periods = list(ReportingPeriod.objects.filter(pk__in=period_ids))
    for organization in Organization.objects.filter(pk__in=organization_ids).order_by("path"):
        refresh(within=organization, indicators=indicators, periods=periods)


def queue_period_refresh(*, period: ReportingPeriod) -> None:
    """Receiver of indicators.period_opened, after the commit: every rollup of the new period, in the background."""
    run_in_background(refresh_period, period.pk)
