"""The figures of a report's bodies: their stored parts (the rollups) read in one query, and what has none
(a base union, the base unions below a body) measured live for every indicator at once."""

from __future__ import annotations

import functools
from collections.abc import Callable

from indicators.engine import ZERO, Measurement, Parts, from_parts, measure, start_parts_for_many
from indicators.models import Indicator, ReportingPeriod
from organizations.models import Organization

from .models import Rollup


class RollupReader:
    """Stored parts for (indicator, organization, period), read in one query; live when missing."""

    def __init__(self, indicators, organizations, periods) -> None:
        rows = ()
        if organizations:  # none when the report is a base union's: only the bodies above have rollups
            rows = Rollup.objects.filter(
                indicator__in=indicators, organization__in=organizations, period__in=periods
            ).values_list(
                "indicator_id", "organization_id", "period_id", "numerator", "denominator", "reported", "expected"
            )
        self.rows = {(i, o, p): Parts(n, d, r, e) for i, o, p, n, d, r, e in rows}
        # Live figures (a base union has no rollups) once each: the scorecard and the trend's
        # last point ask for the same one.
        self.live: dict[tuple[int, int, int], Measurement] = {}

    def start_measure_base(
        self, indicators, organization: Organization, periods, children: list[Organization], annual: list
    ) -> Callable[[], None]:
        """What has no rollup, measured for every indicator at once (engine.start_parts_for_many): a base union's
        own figure for each period, and the figures of the base unions below a body for the report's period —
        where measuring each indicator and year on its own took most of a page's queries. Part of it goes on
        a second connection: the function returned waits for it and keeps the figures; meanwhile the caller
        may read what else it needs."""
        finishing: list[Callable[[], None]] = []
        if organization.is_base:
            length = len(organization.path)
            items = [(i, periods) for i in indicators]
            own = start_parts_for_many(items, length=length, within=organization, annual=annual)
            finishing.append(functools.partial(self._keep, indicators, periods, [organization], own))
        # The children it had before a restructuring may be under several bodies now (moved to a successor, or
        # merged away where they were): each depth is measured in one grouped pass, under the lowest body above
        # all of them — or, when that body is above this one (a province, the whole country, for a few
        # branches), under each body they went to, side by side in the same queries.
        scopes: dict[int, list[str]] = {}  # the children's path length -> where they are measured
        by_depth: dict[int, list[Organization]] = {}
        for child in children:
            by_depth.setdefault(len(child.path), []).append(child)
        for length, group in by_depth.items():
            parents = sorted({c.parent_path for c in group})
            head = Organization.common_head(parents)
            scopes[length] = [head] if len(head) >= len(organization.path) else parents
        bodies = Organization.objects.select_related("level")
        paths = {path for where in scopes.values() for path in where} - {organization.path}
        within = {organization.path: organization, **bodies.in_bulk(paths, field_name="path")}
        period = periods[0]
        items = [(i, [period]) for i in indicators]
        for length, group in by_depth.items():
            found = start_parts_for_many(
                items, length=length, within=[within[p] for p in scopes[length]], annual=annual
            )
            finishing.append(functools.partial(self._keep, indicators, [period], group, found))

        def finish() -> None:
            for keep in finishing:
                keep()

        return finish

    def _keep(self, indicators, periods, bodies: list[Organization], found: Callable[[], dict]) -> None:
        """The measurements of these bodies for these periods, from what start_parts_for_many found."""
        series = found()
        for indicator in indicators:
            for period in periods:
                groups = series.get(indicator.pk, {}).get(period.pk, {})
                for body in bodies:
                    measurement = from_parts(indicator, groups.get(body.path, ZERO), period)
                    self.live[(indicator.pk, body.pk, period.pk)] = measurement

    def measurement(self, indicator: Indicator, organization: Organization, period: ReportingPeriod) -> Measurement:
        key = (indicator.pk, organization.pk, period.pk)
        parts = self.rows.get(key)
        if parts is None:
            if key not in self.live:
                self.live[key] = measure(indicator, organization, period)
            return self.live[key]
        return from_parts(indicator, parts or ZERO, period)
