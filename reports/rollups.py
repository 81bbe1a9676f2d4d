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
from operator import attrgetter

from django.db import OperationalError, connection, transaction
from django.db.models import Max, Q

from indicators.engine import ZERO, Parts, annual_periods, parts_by_period
from indicators.engine.admitted import Admitted, admitted_series
from indicators.models import Indicator, Measure, ReportingPeriod
from organizations.hooks import BRANCHES, MEMBERS, WORKPLACES
from organizations.models import Level, Organization
from unionportal import generations
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


_pk = attrgetter("pk")  # indicators and periods sorted by id: two writers lock rows in the same order


@dataclass(frozen=True)
class RefreshResult:
    indicators: int
    periods: int
    rows: int


def _base_rank() -> int:
    return Level.objects.get(code=Level.BASE).rank


def _group_length() -> int:
    """The length of the paths the rows are grouped by: those of the deepest bodies with rollups."""
    depth = Organization.objects.filter(level__rank__lt=_base_rank()).aggregate(d=Max("depth"))["d"] or 1
    return depth * Organization.steplen


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
    pass_up: bool = True,
    touched: Iterable[Organization] | None = None,
) -> RefreshResult:
    """Recompute the rollups of these indicators and periods in the subtree of `within` (everywhere when None).

    Its queries do not multiply by the periods: each indicator's parts for every period come from
    one grouped pass (indicators.engine.series), and the rows are written in batches. Without
    `pass_up`, the bodies above are left as they are (their rows already count this subtree).
    A sealed rollup (reports.history: a period before a restructuring of its body) is never written.
    `touched`: the bodies in the subtree whose own figures changed (the rows typed in a grid), when the
    caller knows them; only their cached dashboards and those above them are computed afresh, not
    their siblings' (by default, every dashboard of the subtree).
    """
    # Sorted: two refreshes lock the same rows in the same order, so they queue rather than deadlock.
    indicators = sorted(
        indicators if indicators is not None else Indicator.objects.exclude(measure=Measure.QUALITATIVE),
        key=_pk,
    )
    periods = sorted(periods if periods is not None else ReportingPeriod.objects.all(), key=_pk)
    if not indicators or not periods:
        return RefreshResult(len(indicators), len(periods), 0)
    _refreshing()
    length = _group_length()
    rows = list(stored_organizations(within).values_list("path", "pk", "restructured_on"))
    stored = {path: pk for path, pk, _day in rows}
    restructured = {pk: day for _path, pk, day in rows if day}
    ancestors = list(within.ancestors().order_by("depth")) if within is not None and pass_up else []
    existing: dict[tuple[int, int, int], Parts] = {}
    if within is not None:
        existing = _lock(indicators, periods, [within, *ancestors])
    _give_memory()
    annual, cache = annual_periods(), {}
    objects: list[Rollup] = []
    for indicator in indicators:
        series = parts_by_period(indicator, periods, length=length, within=within, annual=annual, cache=cache)
        changes = {}
        for period in periods:
            totals = _sum_up(series.get(period.pk, {}), stored)
            changes[period.pk] = {org_id: totals.get(org_id, ZERO) for org_id in stored.values()}
        if within is not None and ancestors:
            _pass_up(indicator, periods, within, ancestors, changes, existing, (annual, cache))
        objects += [_rollup(indicator, pid, org_id, p) for pid, parts in changes.items() for org_id, p in parts.items()]
    restructured.update({a.pk: a.restructured_on for a in ancestors if a.restructured_on})
    rows = _write(_unsealed(objects, indicators, periods, restructured))
    # The cached dashboards of the subtree (or only of the bodies touched in it) and of those above
    # them are computed afresh; everywhere: every one.
    generations.bump_after_commit(
        within=_touched_paths(within, touched),
        programs={indicator.program_id for indicator in indicators},
        everything=within is None,
        steplen=Organization.steplen,
    )
    return RefreshResult(len(indicators), len(periods), rows)


def _touched_paths(within: Organization | None, touched: Iterable[Organization] | None) -> list[str]:
    """Where the figures moved: the touched bodies that lie in `within`, or the whole of `within`."""
    if within is None:
        return []
    paths = sorted({body.path for body in touched or () if body.path.startswith(within.path)})
    return paths or [within.path]


# The transaction-level lock that keeps count_admitted's additions and the refreshes apart (PostgreSQL): a
# refresh holds it shared — refreshes still run side by side, their rows locked in order (_lock) — and an
# import's addition exclusive, trying only: it never waits, and while it holds it no refresh starts.
ROLLUP_WRITERS = 0x726F6C6C  # "roll"


def _refreshing() -> None:
    """Wait while an import adds its members to the rollups: what this refresh reads includes them."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock_shared(%s)", [ROLLUP_WRITERS])


def _alone() -> bool:
    """No refresh running, and none will start before this transaction ends (PostgreSQL; SQLite has one writer)."""
    if connection.vendor != "postgresql":
        return True
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [ROLLUP_WRITERS])
        return cursor.fetchone()[0]


def _give_memory() -> None:
    """Let this transaction sort in memory: the members' rows of a district (a few hundred thousand)
    spill to disk at PostgreSQL's default 4 MB, which tripled a refresh's time under load."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL work_mem = '64MB'")


def refresh_period(period_id: int) -> RefreshResult:
    """Every rollup of one period: the background job that follows a period's creation."""
    return refresh(periods=[ReportingPeriod.objects.get(pk=period_id)])


def _lock(
    indicators: list[Indicator], periods: list[ReportingPeriod], organizations: list[Organization]
) -> dict[tuple[int, int, int], Parts]:
    """Hold the subtree's and its ancestors' rollups until this refresh commits; return them as they are.

    A subtree refresh reads the figures below, then moves each ancestor by the difference.
    Two refreshes at once (two grid saves in sibling districts) would both start from the
    same province total and the second write would drop the first's change; locked first,
    the second waits, then reads what the first committed (READ COMMITTED: each statement
    sees the latest commits). A no-op on SQLite, whose writers take the whole database.
    {(indicator id, period id, organization id): parts}.
    """
    rows = (
        Rollup.objects.select_for_update()
        .filter(indicator__in=indicators, period__in=periods, organization__in=organizations)
        .order_by("indicator_id", "period_id", "organization_id")
        .values_list("indicator_id", "period_id", "organization_id", "numerator", "denominator", "reported", "expected")
    )
    return {(i, p, o): Parts(n, d, r, e) for i, p, o, n, d, r, e in rows}


def _pass_up(
    indicator: Indicator,
    periods: list[ReportingPeriod],
    within: Organization,
    ancestors: list[Organization],
    changes: dict[int, dict[int, Parts]],
    existing: dict[tuple[int, int, int], Parts],
    shared: tuple[list[tuple[int, int]], dict],
) -> None:
    """Ancestors take the subtree's difference; one never computed gets a full computation of its own
    (one grouped pass over the periods that need it)."""
    unknown: dict[int, list[ReportingPeriod]] = {}
    for period in periods:
        old = existing.get((indicator.pk, period.pk, within.pk))
        new = changes[period.pk].get(within.pk, ZERO)
        for ancestor in ancestors:
            before = existing.get((indicator.pk, period.pk, ancestor.pk))
            if before is not None and old is not None:
                changes[period.pk][ancestor.pk] = before - old + new
            else:
                unknown.setdefault(ancestor.pk, []).append(period)
    for ancestor in ancestors:
        if ancestor.pk not in unknown:
            continue
        length = ancestor.depth * Organization.steplen
        annual, cache = shared
        series = parts_by_period(
            indicator, unknown[ancestor.pk], length=length, within=ancestor, annual=annual, cache=cache
        )
        for period in unknown[ancestor.pk]:
            changes[period.pk][ancestor.pk] = sum(series.get(period.pk, {}).values(), ZERO)


def _unsealed(
    objects: list[Rollup], indicators: list[Indicator], periods: list[ReportingPeriod], restructured: dict
) -> list[Rollup]:
    """The rollups to write: all but those sealed by a restructuring after their period (reports.history).

    Only a body restructured after one of the periods ended can have any (`restructured`: {id: its
    latest restructuring}); without one, no query."""
    bodies = [pk for pk, day in restructured.items() if any(period.end_on < day for period in periods)]
    if not bodies:
        return objects
    keys = set(
        Rollup.objects.filter(
            sealed=True, indicator__in=indicators, period__in=periods, organization__in=bodies
        ).values_list("indicator_id", "organization_id", "period_id")
    )
    return [o for o in objects if (o.indicator_id, o.organization_id, o.period_id) not in keys]


def _rollup(indicator: Indicator, period_id: int, org_id: int, p: Parts) -> Rollup:
    return Rollup(
        indicator=indicator,
        organization_id=org_id,
        period_id=period_id,
        numerator=p.numerator,
        denominator=p.denominator,
        reported=max(p.reported, 0),
        expected=max(p.expected, 0),
    )


def _write(objects: list[Rollup]) -> int:
    Rollup.objects.bulk_create(
        objects,
        batch_size=1000,
        update_conflicts=True,
        unique_fields=["indicator", "organization", "period"],
        update_fields=["numerator", "denominator", "reported", "expected", "computed_at"],
    )
    return len(objects)


# --- new members counted in, inside the import's transaction ------------------------------------


def count_admitted(*, admitted: Admitted) -> bool:
    """Receiver of members.members_admitted, in the transaction that wrote the members: their figures added
    to the stored rollups of the bodies above them, so that the dashboards show them at the commit, with no
    refresh. True when done; False when it cannot be done exactly — the import then queues the refresh.

    A group's count is COUNT(DISTINCT member) and the new members are not in any other count, so each
    stored figure moves by the new members' own figure (indicators/engine/admitted.py). Not
    done (False) when a refresh is running (its reads may already see these rows, or may not), when a
    rollup to move is locked, missing or sealed in its own group, or when a base union lies above the
    deepest stored level (its own group, whose earlier figure nothing stores).
    """
    if not admitted:
        return True
    measures = MEASURES_BY_CHANGE[MEMBERS]
    indicators = sorted(Indicator.objects.filter(measure__in=measures).select_related("program"), key=_pk)
    periods = sorted(ReportingPeriod.objects.all(), key=_pk)
    if not indicators or not periods:
        return True
    length = _group_length()
    try:
        with transaction.atomic():  # a savepoint: a lock refused leaves the import's transaction usable
            if not _alone():
                return False
            return _add_admitted(indicators, periods, admitted, length)
    except OperationalError as error:
        if getattr(error.__cause__, "pgcode", None) == LOCK_NOT_AVAILABLE:  # a rollup held by another transaction
            return False
        raise


LOCK_NOT_AVAILABLE = "55P03"  # PostgreSQL's error code for SELECT … FOR UPDATE NOWAIT on a locked row


def _add_admitted(indicators: list[Indicator], periods: list[ReportingPeriod], admitted: Admitted, length: int) -> bool:
    series = admitted_series(indicators, periods, admitted, length=length, annual=annual_periods())
    keys = {key for found in series.values() for groups in found.values() for key in groups}
    steplen = Organization.steplen
    prefixes = {key[:end] for key in keys for end in range(steplen, len(key) + 1, steplen)}
    stored = dict(stored_organizations().filter(path__in=prefixes).values_list("path", "pk"))
    if not keys <= stored.keys():
        return False  # a base union above the deepest stored level: its group has no stored figure
    rows = (
        Rollup.objects.select_for_update(nowait=True)
        .filter(indicator__in=indicators, period__in=periods, organization__in=stored.values())
        .order_by("indicator_id", "period_id", "organization_id")
        .values_list(
            "indicator_id", "period_id", "organization_id", "numerator", "denominator", "reported", "expected", "sealed"
        )
    )
    existing = {(i, p, o): (Parts(n, d, r, e), sealed) for i, p, o, n, d, r, e, sealed in rows}
    if len(existing) != len(indicators) * len(periods) * len(stored):
        return False  # never computed somewhere: a refresh computes it whole
    objects = []
    for indicator in indicators:
        trained = indicator.measure == Measure.PEOPLE_TRAINED_SHARE
        for period in periods:
            rollup_of = {org_id: existing[(indicator.pk, period.pk, org_id)] for org_id in stored.values()}
            groups = _groups_added(series[indicator.pk].get(period.pk, {}), rollup_of, stored, trained=trained)
            if groups is None:
                return False
            for org_id, added in _sum_up(groups, stored).items():
                before, sealed = rollup_of[org_id]
                if not sealed and added != ZERO:
                    objects.append(_rollup(indicator, period.pk, org_id, before + added))
    _write(objects)
    # As after the refresh this replaces: every cached dashboard is computed afresh.
    generations.bump_after_commit(everything=True)
    return True


def _groups_added(
    added: dict[str, Parts], rollup_of: dict[int, tuple[Parts, bool]], stored: dict[str, int], *, trained: bool
) -> dict[str, Parts] | None:
    """The new members' parts of each group, as they add to the stored ones (None: not exactly known).

    `rollup_of`: {body id: (its stored parts, sealed)} for one indicator and period."""
    steplen = Organization.steplen
    groups = {}
    for key, parts in added.items():
        before, sealed = rollup_of[stored[key]]
        if sealed:
            # Its group's figure is frozen (a restructuring after the period): so must every one above
            # be, or what the group holds now, which theirs count, is not known.
            above = [stored[key[:end]] for end in range(steplen, len(key), steplen) if key[:end] in stored]
            if not all(rollup_of[org_id][1] for org_id in above):
                return None
            continue
        # `reported` counts the groups with members (_members_parts): one more if this one had none.
        had = before.denominator if trained else before.numerator
        groups[key] = Parts(parts.numerator, parts.denominator, 0 if had else parts.reported, 0)
    return groups


# --- the refreshes the hooks queue --------------------------------------------------------------


def queue_registry_refresh(*, within: list[Organization | None], changed: list[str]) -> None:
    """Receiver of organizations.registry_changed, after the commit: refresh in the background."""
    ids = sorted({0 if organization is None else organization.pk for organization in within})
    # The bodies themselves changed (names, children, a move): every cached dashboard is computed afresh.
    generations.bump_after_commit(everything=True)
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
    """The smallest set of bodies with rollups whose subtrees cover these bodies (three queries, however many)."""
    base_rank = _base_rank()
    organizations = list(Organization.objects.filter(pk__in=organization_ids).values_list("path", "level__rank"))
    # The nearest ancestor above the base level (the path of a body is its ancestors' paths extended).
    steplen = Organization.steplen
    prefixes = {
        path[:end] for path, rank in organizations if rank >= base_rank for end in range(steplen, len(path), steplen)
    }
    stored = set(
        Organization.objects.filter(path__in=prefixes, level__rank__lt=base_rank).values_list("path", flat=True)
    )
    paths = set()
    for path, rank in organizations:
        if rank >= base_rank:
            above = [path[:end] for end in range(steplen, len(path), steplen) if path[:end] in stored]
            path = above[-1] if above else path
        paths.add(path)
    roots = [path for path in sorted(paths) if not any(path.startswith(other) and path != other for other in paths)]
    return list(Organization.objects.filter(path__in=roots).select_related("level").order_by("path"))


def queue_figures_refresh(
    *,
    within: list[Organization],
    element_ids: list[int],
    periods: list[ReportingPeriod],
    bodies: Iterable[Organization] = (),
) -> None:
    """Receiver of indicators.figures_changed, after the commit: refresh in the background."""
    run_in_background(
        refresh_figures,
        sorted({o.pk for o in within}),
        sorted(set(element_ids)),
        sorted({p.pk for p in periods}),
        sorted({o.pk for o in bodies}),
    )


def refresh_figures(
    organization_ids: list[int], element_ids: list[int], period_ids: list[int], body_ids: Iterable[int] = ()
) -> None:
    """The job: the indicators using these figures, in these periods, in the reporting units' subtrees and
    above; the bodies whose figures changed, `body_ids`, are the dashboards to compute afresh (all: none given)."""
    indicators = list(indicators_using(element_ids=element_ids))
    periods = list(ReportingPeriod.objects.filter(pk__in=period_ids))
    bodies = list(Organization.objects.filter(pk__in=body_ids).only("path")) if body_ids else []
    for organization in Organization.objects.filter(pk__in=organization_ids).select_related("level").order_by("path"):
        refresh(within=organization, indicators=indicators, periods=periods, touched=bodies)


def queue_period_refresh(*, period: ReportingPeriod) -> None:
    """Receiver of indicators.period_opened, after the commit: every rollup of the new period, in the background."""
    run_in_background(refresh_period, period.pk)
