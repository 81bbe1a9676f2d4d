"""The user's own reports: where they stand, how far their figures are ("61/87 CĐCS đã nhập"), their warnings.

A fixed number of queries, each grouped by body and period (GROUP BY over the paths), never
one per base union. Reads only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Case, Count, Exists, F, OuterRef, Prefetch, Q, When
from django.db.models.functions import Left, Length
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from indicators.models import DataValue, QualityWarning, Submission, SubmissionEvent, SubmissionStatus
from indicators.models.submission import LOCKED_STATUSES
from indicators.quality.selectors import open_q
from organizations.models import Level, Organization
from unionportal.templatetags.vn import num

from .items import WARNINGS, Item

if TYPE_CHECKING:
    from .below import Children
    from .selectors import Where

STEP = Organization.steplen


@dataclass
class Own:
    status: dict[tuple[str, str], str] = field(default_factory=dict)  # (reporting body's path, period code)
    returned: list[Submission] = field(default_factory=list)  # each with .returns: its return events, newest first


def own_submissions(where: Where) -> Own:
    """The submissions of the bodies whose reports the user sends (or whose grid they enter figures in)."""
    own = Own()
    reporters = {u.path for u in where.units} | {b.parent_path for b in where.branches}
    if not reporters:
        return own
    returns = Prefetch(
        "events",
        queryset=SubmissionEvent.objects.filter(
            action__in=(SubmissionEvent.Action.RETURN, SubmissionEvent.Action.REOPEN)
        )
        .select_related("by")
        .order_by("-at", "-id"),
        to_attr="returns",
    )
    submissions = (
        Submission.objects.filter(organization__path__in=reporters)
        .filter(Q(period__in=where.saved) | Q(status=SubmissionStatus.RETURNED))
        .select_related("period", "organization__level")
        .prefetch_related(returns)
        .order_by("-period__end_on", "organization__path")
    )
    units = {u.pk for u in where.units}
    for submission in submissions:
        own.status[(submission.organization.path, submission.period.code)] = submission.status
        if submission.status == SubmissionStatus.RETURNED and submission.organization_id in units:
            own.returned.append(submission)
    return own


def _words(done: int, expected: int) -> dict[str, str]:
    return {"done": num(done), "expected": num(expected)}


def unit_progress(where: Where, children: Children) -> dict[tuple[int, str], tuple[str, ...]]:
    """For each body of the user and period: "61/87 CĐCS đã nhập", "21/30 đơn vị cấp dưới đã gửi"."""
    result: dict[tuple[int, str], list[str]] = {}
    for unit, period, done, expected in _branch_coverage(where):
        result.setdefault((unit.pk, period.code), []).append(
            _("%(done)s/%(expected)s base unions have entered figures") % _words(done, expected)
        )
    for unit in where.units:
        below = children.by_parent.get(unit.path, [])
        for period in where.periods if below else ():
            done = sum(1 for c in below if (c.pk, period.pk) in children.sent or (c.pk, period.pk) in children.waived)
            result.setdefault((unit.pk, period.code), []).append(
                _("%(done)s/%(expected)s bodies below have sent their report") % _words(done, len(below))
            )
    entered = _branches_entered(where)
    for branch in where.branches:
        for period in where.periods:
            words = _("figures entered") if (branch.pk, period.pk) in entered else _("no figure entered yet")
            result.setdefault((branch.pk, period.code), []).append(words)
    return {key: tuple(words) for key, words in result.items()}


def _active_on(day) -> Q:
    return Q(
        Q(founded_on__isnull=True) | Q(founded_on__lte=day), Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=day)
    )


def _branch_coverage(where: Where):
    """(unit, period, base unions with a figure in the period, base unions) — one GROUP BY query, as unit_coverage counts."""
    if not where.units or not where.periods:
        return
    right_below = Q(pk__in=[])
    for unit in where.units:
        right_below |= Q(path__startswith=unit.path, depth=unit.depth + 1)
    counts = {}
    for i, period in enumerate(where.periods):
        active = _active_on(period.end_on)
        counts[f"n{i}"] = Count("pk", filter=active)
        if period.pk:
            entered = Exists(DataValue.objects.filter(organization=OuterRef("pk"), period=period))
            counts[f"e{i}"] = Count("pk", filter=active & Q(entered))
    rows = (
        Organization.objects.filter(right_below, level__code=Level.BASE)
        .annotate(parent=Left("path", Length("path") - STEP))
        .values("parent")
        .annotate(**counts)
        .order_by()
    )
    units = {u.path: u for u in where.units}
    for row in rows:
        unit = units.get(row["parent"])
        for i, period in enumerate(where.periods):
            if unit is not None and row[f"n{i}"]:
                yield unit, period, row.get(f"e{i}", 0), row[f"n{i}"]


def _branches_entered(where: Where) -> set[tuple[int, int]]:
    if not where.branches or not where.saved:
        return set()
    return set(
        DataValue.objects.filter(organization__in=[b.pk for b in where.branches], period__in=where.saved)
        .values_list("organization_id", "period_id")
        .distinct()
        .order_by()
    )


def warning_items(where: Where, own: Own) -> list[Item]:
    """For each grid of the user and period not sent yet: its open data-quality warnings, to confirm or correct."""
    grids = where.units + where.branches
    periods = {p.pk: p for p in where.saved} | {s.period_id: s.period for s in own.returned}
    if not grids or not periods:
        return []
    in_grids = Q(organization__in=[g.pk for g in grids])
    for unit in where.units:
        in_grids |= Q(
            organization__path__startswith=unit.path,
            organization__depth=unit.depth + 1,
            organization__level__code=Level.BASE,
        )
    rows = (
        QualityWarning.objects.filter(open_q(), in_grids, period__in=list(periods))
        .annotate(
            grid=Case(
                When(organization__in=[g.pk for g in grids], then=F("organization__path")),
                default=Left("organization__path", Length("organization__path") - STEP),
            )
        )
        .values("grid", "period_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    by_path = {g.path: g for g in grids}
    items = []
    for row in rows:
        grid, period = by_path.get(row["grid"]), periods[row["period_id"]]
        if grid is None:
            continue
        reporter = grid.path if grid in where.units else grid.parent_path
        if own.status.get((reporter, period.code)) in LOCKED_STATUSES:
            continue  # sent: its warnings were confirmed before, or belong to the reviewer now
        items.append(
            Item(
                kind=WARNINGS,
                title=ngettext(
                    "%(name)s, %(period)s: %(count)s data-quality warning to confirm or correct",
                    "%(name)s, %(period)s: %(count)s data-quality warnings to confirm or correct",
                    row["n"],
                )
                % {"name": grid.display_name, "period": period.label.lower(), "count": row["n"]},
                url=reverse("indicators:quality_confirm", args=[period.code, grid.code]),
                tone="warning",
                organization=grid,
                period=period,
                sort=(4, -period.end_on.toordinal(), grid.path),
            )
        )
    return items
