"""Writes of restructuring plans: make a draft, schedule it, apply it, reverse it.

`plan_apply` is the whole reform in one transaction: every operation through the
organizations' services (so the tree's dated records are those of single operations), then
what follows the ended bodies — their users' assignments and the programs scoped to them
pass to the successor. It applies nothing when `plan_check` finds a conflict.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from indicators.models import DataValue, SubmissionEvent, TaskReport
from members.models import Member
from organizations.models import OperationKind, Organization
from organizations.permissions import Action, scope_for

from . import steps
from .checks import plan_check
from .excel import read_operations
from .follow import follow, unfollow
from .models import PlanOperation, PlanState, RestructuringPlan
from .plans import read_plan

OPERATION_FIELDS = ("kind", "codes", "target", "new_code", "new_name", "level", "sector", "successors")


def _require_right(user, scope: Organization) -> None:
    if not scope_for(user).can(Action.RESTRUCTURE, scope, strict=False):
        raise PermissionDenied(_("You may not restructure the bodies under %(name)s.") % {"name": scope.name})


def _require_draft(plan: RestructuringPlan) -> None:
    if plan.state != PlanState.DRAFT:
        raise ValidationError(_("Only a draft plan can be changed."))


@transaction.atomic
def plan_create(
    *, scope: Organization, name: str, effective_date: datetime.date, by, note: str = "", decision: str = ""
) -> RestructuringPlan:
    _require_right(by, scope)
    plan = RestructuringPlan(
        scope=scope, name=name.strip(), effective_date=effective_date, note=note, decision=decision, created_by=by
    )
    plan.full_clean()
    plan.save()
    return plan


@transaction.atomic
def plan_update(*, plan: RestructuringPlan, by, **changes) -> RestructuringPlan:
    plan = RestructuringPlan.objects.select_for_update().get(pk=plan.pk)
    _require_right(by, plan.scope)
    _require_draft(plan)
    for field in set(changes) & {"name", "note", "decision", "effective_date"}:
        setattr(plan, field, changes[field])
    plan.full_clean()
    plan.save()
    return plan


@transaction.atomic
def operations_replace(*, plan: RestructuringPlan, by, operations: list[dict]) -> list[PlanOperation]:
    """The plan's operations as given (the form or the uploaded file), in that order; codes upper-cased."""
    plan = RestructuringPlan.objects.select_for_update().get(pk=plan.pk)
    _require_right(by, plan.scope)
    _require_draft(plan)
    plan.operations.all().delete()
    rows = []
    for order, fields in enumerate(operations, start=1):
        unknown = set(fields) - set(OPERATION_FIELDS)
        if unknown:
            raise ValueError(f"Unknown operation fields: {', '.join(sorted(unknown))}")
        op = PlanOperation(plan=plan, order=order, **fields)
        op.codes = [c.strip().upper() for c in op.codes if c.strip()]
        op.target, op.new_code = op.target.strip().upper(), op.new_code.strip().upper()
        op.successors = {k.strip().upper(): v.strip().upper() for k, v in op.successors.items()}
        op.full_clean(exclude=["plan", "before"])
        rows.append(op)
    return PlanOperation.objects.bulk_create(rows)


@transaction.atomic
def plan_upload(*, plan: RestructuringPlan, by, path) -> list[PlanOperation]:
    """The operations of an uploaded file replace the draft's, all or none (excel.PlanFileError)."""
    return operations_replace(plan=plan, by=by, operations=read_operations(path))


@transaction.atomic
def plan_schedule(*, plan: RestructuringPlan, by) -> RestructuringPlan:
    """A checked plan waits for its date; `apply_due_plans` applies it then (as its author)."""
    plan = RestructuringPlan.objects.select_for_update().get(pk=plan.pk)
    _require_right(by, plan.scope)
    _require_draft(plan)
    conflicts = plan_check(plan, by)
    if conflicts:
        raise ValidationError(conflicts)
    plan.state = PlanState.SCHEDULED
    plan.save(update_fields=["state"])
    return plan


@transaction.atomic
def plan_apply(*, plan: RestructuringPlan, by) -> RestructuringPlan:
    """Apply every operation of the plan on its date, all or nothing; a plan is applied once."""
    plan = RestructuringPlan.objects.select_for_update().get(pk=plan.pk)
    _require_right(by, plan.scope)
    if plan.state not in (PlanState.DRAFT, PlanState.SCHEDULED):
        raise ValidationError(_("The plan has already been applied."))
    conflicts = plan_check(plan, by)
    if conflicts:
        raise ValidationError(conflicts)
    reading = read_plan(plan)
    taken = reading.placed()
    heirs = {code: reading.heir(code) for code in reading.ended()}
    records = []
    for number, op in enumerate(reading.operations, start=1):
        try:
            records += steps.apply_step(op, plan=plan, by=by, taken=taken)
        except ValidationError as error:
            raise ValidationError(
                [_("Operation %(number)s (%(kind)s):") % {"number": number, "kind": op.get_kind_display()}]
                + error.messages
            ) from error
    plan.records.set(records)
    plan.followed = follow(heirs, plan.effective_date)
    plan.state, plan.applied_by, plan.applied_at = PlanState.APPLIED, by, timezone.now()
    plan.save(update_fields=["state", "applied_by", "applied_at", "followed"])
    return plan


def reversal_refusal(plan: RestructuringPlan) -> str:
    """Why the plan cannot be reversed ('' when it can)."""
    if plan.state != PlanState.APPLIED:
        return _("Only an applied plan can be reversed.")
    if plan.records.filter(kind=OperationKind.MERGE).exists():
        return _(
            "A plan with mergers cannot be reversed: the members of the merged bodies can no longer be told apart."
        )
    touched = set()
    for record in plan.records.prefetch_related("links__organization", "links__new_parent"):
        touched |= {link.organization.path for link in record.links.all()}
        if record.kind in (OperationKind.MOVE, OperationKind.MERGE):  # the new parent's subtree is the new tree
            touched |= {link.new_parent.path for link in record.links.all() if link.new_parent}
    under, since = Q(pk__in=[]), plan.applied_at
    for path in touched:
        under |= Q(path__startswith=path)
    tree = Organization.objects.filter(under)
    entered = [
        (DataValue.objects.filter(updated_at__gt=since, organization__in=tree), "organization__name"),
        (TaskReport.objects.filter(updated_at__gt=since, organization__in=tree), "organization__name"),
        (
            SubmissionEvent.objects.filter(at__gt=since, submission__organization__in=tree),
            "submission__organization__name",
        ),
        (Member.objects.filter(updated_at__gt=since, branch__in=tree), "branch__name"),
    ]
    for rows, name in entered:
        first = rows.values_list(name, flat=True).first()
        if first:
            return _("Data has been entered on the new tree since the plan was applied (%(name)s).") % {"name": first}
    return ""


@transaction.atomic
def plan_reverse(*, plan: RestructuringPlan, by) -> RestructuringPlan:
    """Undo an applied plan by a plan of its own, applied at once; refused once data is entered on the new tree."""
    plan = RestructuringPlan.objects.select_for_update().get(pk=plan.pk)
    _require_right(by, plan.scope)
    refusal = reversal_refusal(plan)
    if refusal:
        raise ValidationError(refusal)
    reversal = RestructuringPlan.objects.create(
        name=_("Reversal of %(name)s") % {"name": plan.name},
        effective_date=plan.effective_date,
        scope=plan.scope,
        created_by=by,
        applied_by=by,
        applied_at=timezone.now(),
        state=PlanState.APPLIED,
        reverses=plan,
    )
    records = []
    for op in reversed(read_plan(plan).operations):
        records += steps.reverse_step(op, plan=plan, by=by, day=plan.effective_date)
    unfollow(plan.followed)
    reversal.records.set(records)
    plan.state = PlanState.REVERSED
    plan.save(update_fields=["state"])
    return reversal
