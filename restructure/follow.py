"""What follows an ended body to its heir when a plan is applied, and goes back when it is reversed.

Users' assignments, the programs scoped to the body, and its targets for the years from the
plan's date on (a year before stays where it was set: its reports are history). A target the
heir already has for that indicator and year stays with the ended body, as the preview says.
Each move is kept in the plan's `followed`, so a reversal puts back exactly what moved.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db.models import Q
from django.utils import timezone

from indicators.models import Target
from organizations.models import Assignment, Organization
from programs.models import Program


def follow(heirs: dict[str, str], day: datetime.date) -> dict:
    """Users, programs and targets of the ended bodies pass to their heirs; returns what moved.

    In bulk, however many bodies end: one read of each kind for all of them, one write per heir."""
    heirs = {code: heir for code, heir in heirs.items() if heir}
    bodies = {o.code: o for o in Organization.objects.filter(code__in=[*heirs, *heirs.values()])}
    pairs = [(bodies[code], bodies[heir]) for code, heir in heirs.items()]
    sources = [source for source, _target in pairs]
    assignments = defaultdict(list)
    for assignment in Assignment.objects.filter(organization__in=sources).order_by("pk"):
        assignments[assignment.organization_id].append(assignment)
    programs = defaultdict(list)
    for pk, scope in Program.objects.filter(scope__in=sources).order_by("pk").values_list("pk", "scope_id"):
        programs[scope].append(pk)
    targets = defaultdict(list)
    for target in Target.objects.filter(Q(year__isnull=True) | Q(year__gte=day.year), organization__in=sources):
        targets[target.organization_id].append(target)
    taken = defaultdict(set)
    for organization, indicator, year in Target.objects.filter(
        organization__in=[target for _source, target in pairs]
    ).values_list("organization_id", "indicator_id", "year"):
        taken[organization].add((indicator, year))
    moved = {"assignments": [], "programs": [], "targets": []}
    for source, target in pairs:
        moved["assignments"] += [[a.user_id, a.role, source.pk, target.pk] for a in assignments[source.pk]]
        moved["programs"] += [[pk, source.pk, target.pk] for pk in programs[source.pk]]
        passing = [t.pk for t in targets[source.pk] if (t.indicator_id, t.year) not in taken[target.pk]]
        # Two bodies ending into one heir: the first one's target for an indicator and year passes, the other's stays.
        taken[target.pk] |= {(t.indicator_id, t.year) for t in targets[source.pk] if t.pk in passing}
        moved["targets"] += [[pk, source.pk, target.pk] for pk in passing]
        if programs[source.pk]:
            Program.objects.filter(pk__in=programs[source.pk]).update(scope=target, updated_at=timezone.now())
        if passing:
            Target.objects.filter(pk__in=passing).update(organization=target)
    Assignment.objects.filter(pk__in=[a.pk for kept in assignments.values() for a in kept]).delete()
    Assignment.objects.bulk_create(
        [
            Assignment(user_id=user, organization_id=target, role=role)
            for user, role, _s, target in moved["assignments"]
        ],
        ignore_conflicts=True,  # a user already assigned to the heir in that role keeps that assignment
    )
    return moved


def unfollow(moved: dict) -> None:
    """Put back what `follow` moved."""
    for user_id, role, source, target in moved.get("assignments", []):
        Assignment.objects.filter(user_id=user_id, organization_id=target, role=role).delete()
        Assignment.objects.get_or_create(user_id=user_id, organization_id=source, role=role)
    for pk, source, _target in moved.get("programs", []):
        Program.objects.filter(pk=pk).update(scope_id=source, updated_at=timezone.now())
    for pk, source, _target in moved.get("targets", []):
        Target.objects.filter(pk=pk).update(organization_id=source)
