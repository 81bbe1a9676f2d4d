"""What follows an ended body to its heir when a plan is applied, and goes back when it is reversed.

Users' assignments, the programs scoped to the body, and its targets for the years from the
plan's date on (a year before stays where it was set: its reports are history). A target the
heir already has for that indicator and year stays with the ended body, as the preview says.
Each move is kept in the plan's `followed`, so a reversal puts back exactly what moved.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from indicators.models import Target
from organizations.models import Assignment, Organization
from programs.models import Program

from .selectors import targets_following


def follow(heirs: dict[str, str], day: datetime.date) -> dict:
    """Users, programs and targets of the ended bodies pass to their heirs; returns what moved."""
    bodies = {o.code: o for o in Organization.objects.filter(code__in=[*heirs, *heirs.values()])}
    moved = {"assignments": [], "programs": [], "targets": []}
    for code, heir in heirs.items():
        if not heir:
            continue
        source, target = bodies[code], bodies[heir]
        for assignment in Assignment.objects.filter(organization=source):
            moved["assignments"].append([assignment.user_id, assignment.role, source.pk, target.pk])
            assignment.delete()
            Assignment.objects.get_or_create(user_id=assignment.user_id, organization=target, role=assignment.role)
        programs = list(Program.objects.filter(scope=source).values_list("pk", flat=True))
        Program.objects.filter(pk__in=programs).update(scope=target, updated_at=timezone.now())
        moved["programs"] += [[pk, source.pk, target.pk] for pk in programs]
        passing, _kept = targets_following(source, target, day)
        Target.objects.filter(pk__in=[t.pk for t in passing]).update(organization=target)
        moved["targets"] += [[t.pk, source.pk, target.pk] for t in passing]
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
