"""plan_check: everything that stops a plan from being applied, in words the user reads.

Only reads. `plan_apply` runs it again inside its transaction and applies nothing when it
finds anything; the organizations' services then refuse what remains (levels of a merger …).
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _

from members.models import Member
from organizations.models import Level, OrganizationStatus, Sector, Workplace
from organizations.permissions import Action, scope_for
from reports.models import FrozenReport

from .models import PlanOperationKind as K
from .models import PlanState, RestructuringPlan
from .plans import Reading, after_parents, read_plan

REQUIRED = {
    K.MERGE_NEW: ("codes", "new_code", "new_name"),
    K.MERGE_INTO: ("codes", "target"),
    K.DISSOLVE: ("codes",),
    K.CREATE: ("new_code", "new_name", "target"),
    K.RENAME: ("codes", "new_name"),
    K.CHANGE_LEVEL: ("codes", "level"),
    K.CHANGE_SECTOR: ("codes",),
    K.MOVE: ("codes", "target"),
}


def plan_check(plan: RestructuringPlan, user=None) -> list[str]:
    """The conflicts of a plan (empty: it can be applied), checked for `user` (default: its author)."""
    if plan.state not in (PlanState.DRAFT, PlanState.SCHEDULED):
        return [_("The plan has already been applied.")]
    reading = read_plan(plan)
    if not reading.operations:
        return [_("The plan has no operation.")]
    conflicts = _incomplete(reading) + _unknown(reading)
    if conflicts:
        return conflicts
    return (
        _touched_twice(reading)
        + _outside_scope(reading, user or plan.created_by)
        + _successors_ended(reading)
        + _orphans(reading)
        + _cycles(reading)
        + _frozen_reports(reading)
    )


def _name(reading: Reading, code: str) -> str:
    body = reading.bodies.get(code)
    return f"{body.name} ({code})" if body else code


def _incomplete(reading: Reading) -> list[str]:
    conflicts = []
    levels = set(Level.objects.values_list("code", flat=True))
    for number, op in enumerate(reading.operations, start=1):
        missing = [f for f in REQUIRED[op.kind] if not getattr(op, f)]
        if (op.kind == K.MERGE_NEW and len(op.codes) < 2) or (op.kind == K.RENAME and len(op.codes) > 1):
            missing.append("codes")
        if op.kind == K.CHANGE_LEVEL and op.level and op.level not in levels:
            missing.append("level")
        if op.kind == K.CHANGE_SECTOR and op.sector not in Sector.values:
            missing.append("sector")
        if missing:
            conflicts.append(
                _("Operation %(number)s (%(kind)s) lacks or has a wrong value in: %(fields)s.")
                % {"number": number, "kind": op.get_kind_display(), "fields": ", ".join(dict.fromkeys(missing))}
            )
    return conflicts


def _unknown(reading: Reading) -> list[str]:
    conflicts = []
    named = {c for op in reading.operations for c in [*op.codes, op.target, *op.successors.values()] if c}
    for code in sorted(named - set(reading.bodies) - set(reading.created)):
        conflicts.append(_("No body has the code %(code)s.") % {"code": code})
    for code in sorted(set(reading.created) & set(reading.bodies)):
        conflicts.append(_("The code %(code)s of a new body is already used.") % {"code": code})
    for code in sorted(reading.acted()):
        body = reading.bodies.get(code)
        if body is not None and body.status != OrganizationStatus.ACTIVE:
            conflicts.append(_("%(name)s is no longer active.") % {"name": _name(reading, code)})
    return conflicts


def _touched_twice(reading: Reading) -> list[str]:
    new_codes = [op.new_code for op in reading.operations if op.new_code]
    twice = {code for code, n in reading.acted().items() if n > 1} | {c for c in new_codes if new_codes.count(c) > 1}
    return [
        _("%(name)s is in more than one operation of the plan.") % {"name": _name(reading, code)}
        for code in sorted(twice)
    ]


def _outside_scope(reading: Reading, user) -> list[str]:
    scope = scope_for(user)
    conflicts = []
    for code in sorted(reading.acted()):
        if not scope.can(Action.RESTRUCTURE, reading.bodies[code]):
            conflicts.append(_("%(name)s is outside your registry.") % {"name": _name(reading, code)})
    for code in sorted(set(reading.referenced()) - set(reading.acted()) - set(reading.created)):
        if not scope.can(Action.EDIT_REGISTRY, reading.bodies[code]):
            conflicts.append(_("%(name)s is outside your registry.") % {"name": _name(reading, code)})
    return conflicts


def _successors_ended(reading: Reading) -> list[str]:
    ended = reading.ended()
    return [
        _("%(name)s receives bodies but is itself merged or dissolved by the plan.") % {"name": _name(reading, code)}
        for code in sorted(set(reading.referenced()) & set(ended))
    ]


def _orphans(reading: Reading) -> list[str]:
    """A dissolved body must hand every child, member and workplace it still has to someone."""
    conflicts, placed = [], reading.placed()
    for op in (op for op in reading.operations if op.kind == K.DISSOLVE):
        for code in op.codes:
            for child in reading.children.get(code, []):
                if child.code not in placed and not reading.successor_of(child, op):
                    conflicts.append(
                        _("%(child)s would be left without a parent when %(name)s is dissolved: name its successor.")
                        % {"child": _name(reading, child.code), "name": _name(reading, code)}
                    )
            body = reading.bodies[code]
            members = Member.objects.active().filter(branch=body).count()
            workplaces = Workplace.objects.filter(upper_union=body).count()
            if (members or workplaces) and not op.target:
                conflicts.append(
                    _("%(name)s still has %(members)s members and %(workplaces)s workplaces: name its successor.")
                    % {"name": _name(reading, code), "members": members, "workplaces": workplaces}
                )
    return conflicts


def _cycles(reading: Reading) -> list[str]:
    parents = after_parents(reading)
    moved = {c for op in reading.operations if op.kind == K.MOVE for c in op.codes}
    moved |= {c for kids in reading.children.values() for c in (k.code for k in kids)}
    conflicts = []
    for start in sorted(moved):
        seen, code = {start}, parents.get(start, "")
        while code:
            if code in seen:
                conflicts.append(_("%(name)s would end up below itself (a cycle).") % {"name": _name(reading, start)})
                break
            seen.add(code)
            code = parents.get(code, "")
    return conflicts


def _frozen_reports(reading: Reading) -> list[str]:
    """A report frozen for a period ending on or after the date would no longer match the tree."""
    # The bodies acted on and those that receive: both subtrees change on the date.
    named = set(reading.acted()) | set(reading.referenced())
    touched = [reading.bodies[c] for c in named if c in reading.bodies]
    if not touched:
        return []
    inside = Q()
    for body in touched:
        inside |= Q(organization__path__startswith=body.path)
    frozen = (
        FrozenReport.objects.filter(inside, period__end_on__gte=reading.plan.effective_date)
        .values_list("organization__name", "period__code")
        .distinct()
        .order_by("organization__name", "period__code")
    )
    return [
        _("The effective date %(date)s is before the end of period %(period)s, whose report of %(name)s is frozen.")
        % {"date": reading.plan.effective_date.strftime("%d/%m/%Y"), "period": period, "name": name}
        for name, period in frozen[:50]
    ]
