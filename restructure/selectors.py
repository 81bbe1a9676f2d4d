"""plan_preview: what a plan would do, read before anything changes.

The tree of the bodies involved before and after, side by side, with the base unions and
members each holds; the conflicts; what follows the ended bodies (programs, users); the
periods and submissions the date falls into. Only reads.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q

from indicators.models import ReportingPeriod, Submission, SubmissionStatus, Target
from members.models import Member, MemberStatus
from organizations.models import Assignment, Level, Organization
from programs.models import Program

from .checks import plan_check
from .models import RestructuringPlan
from .plans import Reading, after_parents, read_plan


@dataclass(frozen=True)
class Node:
    code: str
    name: str
    depth: int  # in the table shown, 0 at the top
    branches: int
    members: int
    change: str  # "new", "ended", "moved", "" (unchanged here)


@dataclass(frozen=True)
class Follower:
    what: str  # a program's title, a user's name
    detail: str  # a user's role
    source: str
    heir: str  # "" when nobody takes over


@dataclass(frozen=True)
class Preview:
    before: list[Node]
    after: list[Node]
    conflicts: list[str]
    programs: list[Follower]
    targets: list[Follower]
    users: list[Follower]
    periods: list[ReportingPeriod]
    submissions: list[Submission]


def plan_preview(plan: RestructuringPlan, user=None) -> Preview:
    conflicts = plan_check(plan, user)
    reading = read_plan(plan)
    shown = _shown(reading)
    parents = after_parents(reading)
    before, after = _counts(reading, shown, parents)
    ended = reading.ended()
    moved = {c for c in shown if c in reading.bodies and parents.get(c, "") != reading.parent_code(reading.bodies[c])}
    existing = sorted((reading.bodies[c] for c in shown if c in reading.bodies), key=lambda b: b.path)
    top = min((b.depth for b in existing), default=1)
    return Preview(
        before=[
            Node(b.code, b.name, b.depth - top, *before.get(b.code, (0, 0)), "ended" if b.code in ended else "")
            for b in existing
        ],
        after=[
            Node(code, _after_name(reading, code), depth, *after.get(code, (0, 0)), _change(reading, code, moved))
            for code, depth in _tree_order(shown - set(ended), parents)
        ],
        conflicts=conflicts,
        programs=_programs(reading),
        targets=_targets(reading),
        users=_users(reading),
        periods=list(
            ReportingPeriod.objects.filter(start_on__lte=plan.effective_date, end_on__gte=plan.effective_date)
        ),
        submissions=list(
            Submission.objects.filter(organization__code__in=shown, period__end_on__gte=plan.effective_date)
            .exclude(status=SubmissionStatus.ACCEPTED)
            .select_related("organization", "period")
            .order_by("organization__path", "period__start_on")
        ),
    )


def _shown(reading: Reading) -> set[str]:
    """The bodies the plan acts on or names, the children of those it ends, and their parents."""
    codes = set(reading.acted()) | set(reading.referenced()) | set(reading.created)
    codes |= {c.code for kids in reading.children.values() for c in kids}
    codes |= {reading.parent_code(reading.bodies[c]) for c in reading.acted()}
    return codes - {""}


def _counts(reading: Reading, shown: set[str], parents: dict[str, str]):
    """(base unions, active members) in each shown body's subtree, before and after.

    One query reads the base unions (with their members) under the bodies the plan acts on or
    names. A body shown only as the parent of one it acts on (the country above two merged
    provinces) is counted whole by two aggregates; the plan changes its counts by what those rows do.
    """
    by_path = {reading.bodies[c].path: c for c in shown if c in reading.bodies}
    context = {reading.parent_code(reading.bodies[c]) for c in reading.acted() if c in reading.bodies} & shown
    context -= set(reading.acted()) | set(reading.referenced()) | set(reading.created)
    tight = {path for path, code in by_path.items() if code not in context}
    step = Organization.steplen
    cover = [p for p in tight if not any(p[:end] in tight for end in range(step, len(p), step))]
    inside = Q(pk__in=[])
    for path in cover:
        inside |= Q(path__startswith=path)
    branches = (
        Organization.objects.filter(inside, level__code=Level.BASE)
        .active()
        .annotate(active_members=Count("members", filter=Q(members__status=MemberStatus.ACTIVE)))
        .values_list("code", "path", "active_members")
    )
    before, after = defaultdict(lambda: [0, 0]), defaultdict(lambda: [0, 0])
    ended = reading.ended()
    for code, path, members in branches:
        for depth in range(len(path) // step, 0, -1):
            holder = by_path.get(path[: depth * step])
            if holder:
                before[holder][0] += 1
                before[holder][1] += members
        start, counted = _nearest(path, by_path), code not in ended
        if code in ended:
            start = reading.heir(code)
        seen = set()
        while start and start not in seen:
            seen.add(start)
            after[start][0] += int(counted)
            after[start][1] += members
            start = parents.get(start, "")
    for code in context:
        body = reading.bodies[code]
        whole = [
            Organization.objects.within(body).base().active().count(),
            Member.objects.filter(status=MemberStatus.ACTIVE, branch__path__startswith=body.path).count(),
        ]
        after[code] = [whole[i] - before[code][i] + after[code][i] for i in (0, 1)]
        before[code] = whole
    return {k: tuple(v) for k, v in before.items()}, {k: tuple(v) for k, v in after.items()}


def _nearest(path: str, by_path: dict[str, str]) -> str:
    for depth in range(len(path) // Organization.steplen, 0, -1):
        code = by_path.get(path[: depth * Organization.steplen])
        if code:
            return code
    return ""


def _tree_order(codes: set[str], parents: dict[str, str]) -> list[tuple[str, int]]:
    kids = defaultdict(list)
    for code in codes:
        kids[parents.get(code, "") if parents.get(code, "") in codes else ""].append(code)
    order, stack = [], [(code, 0) for code in sorted(kids[""], reverse=True)]
    while stack:
        code, depth = stack.pop()
        order.append((code, depth))
        stack += [(child, depth + 1) for child in sorted(kids[code], reverse=True) if depth < 50]
    return order


def _after_name(reading: Reading, code: str) -> str:
    renamed = [op.new_name for op in reading.operations if op.kind == "rename" and code in op.codes]
    if renamed:
        return renamed[0]
    if code in reading.created:
        return reading.created[code].new_name
    return reading.bodies[code].name if code in reading.bodies else code


def _change(reading: Reading, code: str, moved: set[str]) -> str:
    if code in reading.created:
        return "new"
    return "moved" if code in moved else ""


def _programs(reading: Reading) -> list[Follower]:
    ended = reading.ended()
    programs = Program.objects.filter(scope__code__in=ended).select_related("scope").order_by("code")
    return [
        Follower(
            str(p),
            p.code,
            p.scope.name,
            _after_name(reading, reading.heir(p.scope.code)) if reading.heir(p.scope.code) else "",
        )
        for p in programs
    ]


def _targets(reading: Reading) -> list[Follower]:
    """The targets of the ended bodies from the plan's year on: to the heir, or kept ("") when it has its own."""
    followers = []
    for code in reading.ended():
        source, heir_code = reading.bodies[code], reading.heir(code)
        heir = reading.bodies.get(heir_code)
        if heir_code and heir is None:  # a body the plan founds has no target of its own yet
            passing, kept = targets_following(source, None, reading.plan.effective_date)[1], []
        else:
            passing, kept = targets_following(source, heir, reading.plan.effective_date)
        to = _after_name(reading, heir_code) if heir_code else ""
        for target, name in [*((t, to) for t in passing), *((t, "") for t in kept)]:
            what = f"{target.indicator.code} {target.indicator.name}"
            followers.append(Follower(what, str(target.year or "—"), source.name, name))
    return followers


def _users(reading: Reading) -> list[Follower]:
    ended = reading.ended()
    assignments = Assignment.objects.filter(organization__code__in=ended).select_related("user", "organization")
    return [
        Follower(
            a.user.get_full_name() or a.user.username,
            a.get_role_display(),
            a.organization.name,
            _after_name(reading, reading.heir(a.organization.code)) if reading.heir(a.organization.code) else "",
        )
        for a in assignments.order_by("organization__path", "user__username")
    ]


def targets_following(source: Organization, heir: Organization | None, day: datetime.date) -> tuple[list, list]:
    """(targets that pass to the heir, targets that stay because the heir has its own)."""
    targets = list(
        Target.objects.filter(Q(year__isnull=True) | Q(year__gte=day.year), organization=source).select_related(
            "indicator"
        )
    )
    if heir is None:
        return [], targets
    taken = set(Target.objects.filter(organization=heir).values_list("indicator_id", "year"))
    passing = [t for t in targets if (t.indicator_id, t.year) not in taken]
    return passing, [t for t in targets if (t.indicator_id, t.year) in taken]
