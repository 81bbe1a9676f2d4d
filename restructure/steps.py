"""Each kind of plan operation, written through the organizations' services.

`apply_step` returns the dated records (RestructuringOperation) it wrote; `reverse_step`
undoes one step of an applied plan. Both run inside the plan's transaction.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from organizations import hooks, services
from organizations.models import (
    Level,
    Organization,
    OrganizationStatus,
    RestructuringLink,
    RestructuringOperation,
    Workplace,
)

from .models import PlanOperation, RestructuringPlan
from .models import PlanOperationKind as K


def _get(code: str) -> Organization:
    return Organization.objects.select_related("level").get(code=code)


def apply_step(op: PlanOperation, *, plan: RestructuringPlan, by, taken: set[str]) -> list[RestructuringOperation]:
    """Apply one operation; `taken`: the codes whose place in the tree an operation of their own decides."""
    dated = {"effective_date": plan.effective_date, "by": by, "decision": plan.decision, "note": plan.name}
    if op.kind == K.CREATE:
        body = services.organization_create(
            parent=_get(op.target),
            code=op.new_code,
            name=op.new_name,
            level=Level.objects.get(code=op.level) if op.level else None,
            sector=op.sector,
            founded_on=plan.effective_date,
            by=by,
        )
        record = RestructuringOperation.objects.filter(links__organization=body).latest("id")
        RestructuringOperation.objects.filter(pk=record.pk).update(decision=plan.decision, note=plan.name)
        return [record]
    if op.kind in (K.MERGE_NEW, K.MERGE_INTO):
        sources = [_get(code) for code in op.codes]
        if op.kind == K.MERGE_INTO:
            return [services.branch_merge(sources=sources, into=_get(op.target), **dated)[1]]
        new = services.NewOrganization(code=op.new_code, name=op.new_name, sector=op.sector)
        parent = _get(op.target) if op.target else None
        return [services.branch_merge(sources=sources, new=new, parent=parent, **dated)[1]]
    if op.kind == K.MOVE:
        target = _get(op.target)
        return [services.organization_move(organization=_get(code), new_parent=target, **dated) for code in op.codes]
    records = []
    for code in op.codes:  # each body of a dissolution, a change of level or of sector
        if op.kind == K.DISSOLVE:
            records += _dissolve(op, _get(code), dated=dated, taken=taken)
        else:
            op.before[code] = _describe(op, _get(code), by=by)
    op.save(update_fields=["before"])
    return records


def _dissolve(op: PlanOperation, body: Organization, *, dated: dict, taken: set[str]) -> list:
    """Hand every child to its successor, the workplaces and members to the body's own, then dissolve it."""
    children = list(body.children().active().exclude(level__code=Level.BELOW_BASE).exclude(code__in=taken))
    successors = {
        o.code: o
        for o in Organization.objects.filter(code__in={op.successors.get(c.code) or op.target for c in children})
    }
    moves = [(child, successors[op.successors.get(child.code) or op.target]) for child in children]
    # All the children at once, recorded as one move each (organizations_move).
    records = services.organizations_move(moves=moves, **dated)
    if op.target and body.is_base and body.members.exists():
        # Its members follow it: that is a merger into the successor, recorded as one.
        return [*records, services.branch_merge(sources=[body], into=_get(op.target), **dated)[1]]
    if op.target:
        successor = _get(op.target)
        handed = list(Workplace.objects.filter(upper_union=body).values_list("pk", flat=True))
        op.before[body.code] = {"workplaces": handed}
        if Workplace.objects.filter(pk__in=handed).update(upper_union=successor):
            hooks.registry_changed.run_on_commit(within=[body, successor], changed=[hooks.WORKPLACES])
    return [*records, services.organization_dissolve(organization=body, **dated)]


def _describe(op: PlanOperation, body: Organization, *, by) -> dict:
    """Rename, change the level or the sector: the body keeps its code, its history and its place.

    Returns what the body was, for the reversal."""
    before = {"name": body.name, "level": body.level.code, "sector": body.sector}
    if op.kind == K.RENAME:
        services.organization_update(organization=body, by=by, name=op.new_name)
    elif op.kind == K.CHANGE_SECTOR:
        services.organization_update(organization=body, by=by, sector=op.sector)
    else:
        set_level(body, Level.objects.get(code=op.level), op.sector)
    return before


def set_level(body: Organization, level: Level, sector: str = "") -> None:
    """A change of level (a district federation becoming a regional union) within the bounds of the tree."""
    parent = body.parent()
    lowest_child = body.children().active().order_by("level__rank").select_related("level").first()
    if parent is not None and level.rank <= parent.level.rank:
        raise ValidationError(_("%(name)s must stay below the level of its parent.") % {"name": body.name})
    if lowest_child is not None and level.rank >= lowest_child.level.rank:
        raise ValidationError(_("%(name)s must stay above the level of its children.") % {"name": body.name})
    body.level, body.sector = level, sector if level.code == Level.BASE else ""
    body.full_clean(exclude=["path", "depth", "numchild"])
    body.save(update_fields=["level", "sector", "updated_at"])
    hooks.registry_changed.run_on_commit(within=[parent or body], changed=hooks.EVERYTHING)


def reverse_step(op: PlanOperation, *, plan: RestructuringPlan, by, day: datetime.date) -> list[RestructuringOperation]:
    """Undo one applied operation (never a merger: its members cannot be told apart again)."""
    dated = {
        "effective_date": day,
        "by": by,
        "decision": plan.decision,
        "note": _("Reversal of %(name)s") % {"name": plan.name},
    }
    if op.kind == K.CREATE:
        return [services.organization_dissolve(organization=_get(op.new_code), **dated)]
    records = []
    for code in op.codes:
        body, before = _get(code), op.before.get(code, {})
        if op.kind == K.RENAME:
            services.organization_update(organization=body, by=by, name=before["name"])
        elif op.kind == K.CHANGE_SECTOR:
            services.organization_update(organization=body, by=by, sector=before["sector"])
        elif op.kind == K.CHANGE_LEVEL:
            set_level(body, Level.objects.get(code=before["level"]), before["sector"])
        elif op.kind == K.DISSOLVE:
            Organization.objects.within(body).filter(dissolved_on=plan.effective_date).update(
                status=OrganizationStatus.ACTIVE, dissolved_on=None
            )
            Workplace.objects.filter(pk__in=before.get("workplaces", [])).update(upper_union=body)
            hooks.registry_changed.run_on_commit(within=[body], changed=hooks.EVERYTHING)
    for link in _moves_of(plan, op):
        records.append(
            services.organization_move(organization=link.organization, new_parent=link.previous_parent, **dated)
        )
    return records


def _moves_of(plan: RestructuringPlan, op: PlanOperation) -> list[RestructuringLink]:
    """The moves the plan recorded for this operation: its bodies (a move) or their children (a dissolution)."""
    links = RestructuringLink.objects.filter(operation__in=plan.records.all(), new_parent__isnull=False)
    if op.kind == K.MOVE:
        links = links.filter(organization__code__in=op.codes)
    else:
        links = links.filter(previous_parent__code__in=op.codes)
    return list(links.select_related("organization", "previous_parent").filter(operation__kind="move"))
