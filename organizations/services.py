"""Writes to the hierarchy. Views, admin, imports and commands all call these.

Every operation that changes the tree is recorded as a RestructuringOperation,
so an organization's page can tell what it was part of and what it came from.
Nothing is deleted: dissolved, merged and split organizations stay, marked and dated.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from unionportal.concurrency import check_not_stale

from . import hooks
from .models import (
    Assignment,
    Level,
    OperationKind,
    Organization,
    OrganizationStatus,
    RestructuringLink,
    RestructuringOperation,
    Workplace,
)
from .moves import organizations_move as organizations_move  # re-exported: the many moves of a plan
from .moves import place_under, tree_changing

# Fields of an organization an edit may change; the code is its natural key and stays.
EDITABLE_ORGANIZATION_FIELDS = ("name", "short_name", "sector", "founded_on", "address", "chair_name")
EDITABLE_WORKPLACE_FIELDS = (
    "name",
    "kind",
    "worker_count",
    "female_worker_count",
    "upper_union",
    "branch",
    "address",
    "tax_code",
)


@dataclass(frozen=True)
class NewOrganization:
    """What a merge or a split needs to know to found a new organization."""

    code: str
    name: str
    short_name: str = ""
    sector: str = ""


def _fresh(organization: Organization) -> Organization:
    # treebeard keeps path and numchild in the row; an instance held across a tree
    # change is stale, so every service re-reads before it touches the tree.
    return Organization.objects.select_related("level").get(pk=organization.pk)


def _level_below(parent: Organization) -> Level:
    level = Level.objects.filter(rank__gt=parent.level.rank).order_by("rank").first()
    if level is None:
        raise ValidationError(_("No body can be founded below the lowest level."))
    return level


def _record(
    *, kind: str, effective_date: datetime.date, by, decision: str = "", note: str = ""
) -> RestructuringOperation:
    return RestructuringOperation.objects.create(
        kind=kind, effective_date=effective_date, decision=decision, note=note, performed_by=by
    )


def _require_active(organization: Organization) -> None:
    if organization.status != OrganizationStatus.ACTIVE:
        raise ValidationError(
            _("%(name)s is no longer active (%(status)s).")
            % {"name": organization.name, "status": organization.get_status_display()}
        )


@transaction.atomic
def organization_create(
    *,
    parent: Organization | None,
    code: str,
    name: str,
    level: Level | None = None,
    short_name: str = "",
    sector: str = "",
    founded_on: datetime.date | None = None,
    address: str = "",
    by=None,
    record: bool = True,
) -> Organization:
    """Found an organization under `parent` (or a root when there is none)."""
    code = code.strip().upper()
    if parent is not None:
        parent = _fresh(parent)
        _require_active(parent)
        level = level or _level_below(parent)
        if level.rank <= parent.level.rank:
            raise ValidationError({"level": _("The level must be below the parent's level.")})
    elif level is None:
        raise ValidationError({"level": _("Choose the level of the body.")})

    organization = Organization(
        code=code,
        name=name.strip(),
        short_name=short_name.strip(),
        level=level,
        sector=sector,
        founded_on=founded_on,
        address=address.strip(),
    )
    organization.full_clean(exclude=["path", "depth", "numchild"])
    if parent is None:
        organization = Organization.objects.add_root(instance=organization)
    else:
        organization = Organization.objects.add_child(parent, instance=organization)
    hooks.registry_changed.run_on_commit(within=[parent or organization], changed=[hooks.BRANCHES])
    if record:
        operation = _record(
            kind=OperationKind.CREATE,
            effective_date=founded_on or datetime.date.today(),
            by=by,
        )
        RestructuringLink.objects.create(
            operation=operation,
            organization=organization,
            role=RestructuringLink.RESULT,
            new_parent=parent,
        )
    return organization


@transaction.atomic
def organization_update(*, organization: Organization, by=None, seen: str | None = None, **changes) -> Organization:
    """Change the descriptive fields; `seen` (the version the form opened on) refuses a stale save."""
    unknown = set(changes) - set(EDITABLE_ORGANIZATION_FIELDS)
    if unknown:
        raise ValueError(f"Cannot change {', '.join(sorted(unknown))} through organization_update")
    organization = Organization.objects.select_for_update().select_related("level").get(pk=organization.pk)
    check_not_stale(organization, seen, list(changes))
    changed = [field for field, value in changes.items() if getattr(organization, field) != value]
    for field in changed:
        setattr(organization, field, changes[field])
    if changed:
        organization.full_clean(exclude=["path", "depth", "numchild"])
        organization.save(update_fields=[*changed, "updated_at"])
        if set(changed) - {"chair_name"}:  # who signs the reports moves no figure
            hooks.registry_changed.run_on_commit(within=[organization], changed=[hooks.BRANCHES])
    return organization


@transaction.atomic
def organization_dissolve(
    *,
    organization: Organization,
    effective_date: datetime.date,
    by=None,
    decision: str = "",
    note: str = "",
) -> RestructuringOperation:
    """Dissolve an organization and the units below it (tổ công đoàn, công đoàn bộ phận).

    A body that still has active bodies of its own kind below it (an upper-level
    union with branches) must have them moved, merged or dissolved first.
    """
    organization = _fresh(organization)
    _require_active(organization)
    _check_effective_date(organization, effective_date)
    active_children = Organization.objects.below(organization).active()
    if active_children.exclude(level__code=Level.BELOW_BASE).exists():
        raise ValidationError(
            _("%(count)s active bodies still belong to it: move, merge or dissolve them first.")
            % {"count": active_children.exclude(level__code=Level.BELOW_BASE).count()}
        )
    responsible = Workplace.objects.filter(upper_union=organization).count()
    if responsible:
        # Otherwise those workplaces would hang on a body that no longer exists and drop out of every count.
        raise ValidationError(
            _("%(name)s is still responsible for %(count)s workplaces: hand them to another upper-level union first.")
            % {"name": organization.name, "count": responsible}
        )
    tree_changing(bodies=[organization], parents=[], day=effective_date)
    operation = _record(kind=OperationKind.DISSOLVE, effective_date=effective_date, by=by, decision=decision, note=note)
    parent = organization.parent()
    for unit in [organization, *active_children]:
        RestructuringLink.objects.create(
            operation=operation,
            organization=unit,
            role=RestructuringLink.SOURCE,
            previous_parent=parent if unit.pk == organization.pk else None,
        )
    hooks.branches_dissolved.run(
        branches=[organization, *active_children],
        effective_date=effective_date,
        reason=_("The base union was dissolved (%(decision)s).")
        % {"decision": decision or effective_date.strftime("%d/%m/%Y")},
    )
    Organization.objects.within(organization).active().update(
        status=OrganizationStatus.DISSOLVED, dissolved_on=effective_date
    )
    hooks.registry_changed.run_on_commit(within=[parent or organization], changed=hooks.EVERYTHING)
    return operation


@transaction.atomic
def organization_move(
    *,
    organization: Organization,
    new_parent: Organization,
    effective_date: datetime.date,
    by=None,
    decision: str = "",
    note: str = "",
) -> RestructuringOperation:
    """Put an organization (and everything below it) under another parent."""
    organization = _fresh(organization)
    new_parent = _fresh(new_parent)
    _require_active(organization)
    _require_active(new_parent)
    old_parent = organization.parent()
    if old_parent is not None and old_parent.pk == new_parent.pk:
        raise ValidationError(_("The body already belongs to %(name)s.") % {"name": new_parent.name})
    if new_parent.path.startswith(organization.path):
        raise ValidationError(_("A body cannot be moved into itself or into a body below it."))
    if new_parent.level.rank >= organization.level.rank:
        raise ValidationError(_("The new parent must be at a higher level than the body moved."))
    tree_changing(bodies=[organization], parents=[new_parent], day=effective_date)
    operation = _record(kind=OperationKind.MOVE, effective_date=effective_date, by=by, decision=decision, note=note)
    RestructuringLink.objects.create(
        operation=operation,
        organization=organization,
        role=RestructuringLink.SOURCE,
        previous_parent=old_parent,
        new_parent=new_parent,
    )
    Organization.objects.move(organization, new_parent, pos="last-child")
    hooks.registry_changed.run_on_commit(within=[old_parent or organization, new_parent], changed=hooks.EVERYTHING)
    return operation


@transaction.atomic
def branch_merge(
    *,
    sources: Sequence[Organization],
    effective_date: datetime.date,
    into: Organization | None = None,
    new: NewOrganization | None = None,
    parent: Organization | None = None,
    by=None,
    decision: str = "",
    note: str = "",
) -> tuple[Organization, RestructuringOperation]:
    """Merge several organizations into one: an existing one (`into`) or a new one (`new`).

    The sources stay, marked as merged on the effective date; what hung below them
    and the workplaces they covered pass to the merged organization.
    """
    sources = [_fresh(source) for source in sources]
    if len({s.pk for s in sources}) < (1 if into else 2):
        raise ValidationError(_("Choose at least two bodies to merge."))
    if (into is None) == (new is None):
        raise ValueError("branch_merge needs exactly one of `into` and `new`")
    levels = {s.level_id for s in sources}
    if len(levels) != 1:
        raise ValidationError(_("Only bodies of the same level can be merged."))
    for source in sources:
        _require_active(source)
        _check_effective_date(source, effective_date)

    if into is not None:
        target = _fresh(into)
        _require_active(target)
        if target.pk in {s.pk for s in sources}:
            raise ValidationError(_("The body merged into cannot be one of the bodies merged."))
        if target.level_id not in levels:
            raise ValidationError(_("Only bodies of the same level can be merged."))
        _check_effective_date(target, effective_date)
    else:
        if parent is None:
            parents = {s.parent().pk for s in sources}
            if len(parents) != 1:
                raise ValidationError(_("These bodies have different parents: choose the parent of the new body."))
            parent = sources[0].parent()
        target = organization_create(
            parent=parent,
            code=new.code,
            name=new.name,
            short_name=new.short_name,
            level=sources[0].level,
            sector=new.sector or sources[0].sector,
            founded_on=effective_date,
            by=by,
            record=False,
        )

    handed = [child for source in sources for child in source.children().active()]
    tree_changing(bodies=[*sources, *handed], parents=[target], day=effective_date)
    operation = _record(kind=OperationKind.MERGE, effective_date=effective_date, by=by, decision=decision, note=note)
    # The subtrees that change, not their parents': the refresh passes each change on to the bodies
    # above, and a body without figures of its own (a base union) is refreshed in its upper-level
    # union's. Two provinces merged refresh those two, not the whole country.
    around = [*sources, target]
    for source in sources:
        RestructuringLink.objects.create(
            operation=operation,
            organization=source,
            role=RestructuringLink.SOURCE,
            previous_parent=source.parent(),
            new_parent=target,
        )
    RestructuringLink.objects.create(
        operation=operation, organization=target, role=RestructuringLink.RESULT, new_parent=target.parent()
    )
    _hand_over(sources=sources, target=target, effective_date=effective_date)
    Organization.objects.filter(pk__in=[s.pk for s in sources]).update(
        status=OrganizationStatus.MERGED, dissolved_on=effective_date
    )
    hooks.registry_changed.run_on_commit(within=around, changed=hooks.EVERYTHING)
    return _fresh(target), operation


@transaction.atomic
def branch_split(
    *,
    source: Organization,
    into: Sequence[NewOrganization],
    effective_date: datetime.date,
    workplaces: dict[str, int] | None = None,
    by=None,
    decision: str = "",
    note: str = "",
) -> tuple[list[Organization], RestructuringOperation]:
    """Split one organization into several new ones under the same parent.

    `workplaces` maps a workplace code to the index of the new organization that
    takes it over; unmapped workplaces go to the first.
    """
    source = _fresh(source)
    _require_active(source)
    _check_effective_date(source, effective_date)
    if len(into) < 2:
        raise ValidationError(_("A split needs at least two new bodies."))
    if Organization.objects.below(source).active().exists():
        raise ValidationError(_("Move or dissolve the units below it before splitting this body."))
    tree_changing(bodies=[source], parents=[], day=effective_date)
    parent = source.parent()
    results = [
        organization_create(
            parent=parent,
            code=spec.code,
            name=spec.name,
            short_name=spec.short_name,
            level=source.level,
            sector=spec.sector or source.sector,
            founded_on=effective_date,
            by=by,
            record=False,
        )
        for spec in into
    ]
    operation = _record(kind=OperationKind.SPLIT, effective_date=effective_date, by=by, decision=decision, note=note)
    RestructuringLink.objects.create(
        operation=operation, organization=source, role=RestructuringLink.SOURCE, previous_parent=parent
    )
    for result in results:
        RestructuringLink.objects.create(
            operation=operation, organization=result, role=RestructuringLink.RESULT, new_parent=parent
        )
    mapping = workplaces or {}
    # The workplaces the source covers: where it was founded (a branch) or that it is
    # responsible for (an upper-level union). Every one goes to exactly one result.
    covered = list(Workplace.objects.filter(Q(branch=source) | Q(upper_union=source)))
    unknown = set(mapping) - {w.code for w in covered}
    if unknown:
        raise ValidationError(
            _("Workplaces %(codes)s do not belong to %(name)s.")
            % {"codes": ", ".join(sorted(unknown)), "name": source.name}
        )
    for workplace in covered:
        index = mapping.get(workplace.code, 0)
        if not 0 <= index < len(results):
            raise ValidationError(
                _("Workplace %(code)s is given to a body that does not exist.") % {"code": workplace.code}
            )
        fields = []
        if workplace.branch_id == source.pk:
            workplace.branch = results[index]
            fields.append("branch")
        if workplace.upper_union_id == source.pk:
            workplace.upper_union = results[index]
            fields.append("upper_union")
        workplace.save(update_fields=[*fields, "updated_at"])
    # Members go to the first new organization; single transfers can then place them elsewhere.
    hooks.branches_merged.run(
        branches=[source], into=results[0], effective_date=effective_date, note=_("Split of a base union")
    )
    Organization.objects.filter(pk=source.pk).update(status=OrganizationStatus.SPLIT, dissolved_on=effective_date)
    hooks.registry_changed.run_on_commit(within=[parent or source], changed=hooks.EVERYTHING)
    return [_fresh(r) for r in results], operation


def _hand_over(*, sources: Sequence[Organization], target: Organization, effective_date: datetime.date) -> None:
    """What belonged to merged sources passes to the target: units below them, workplaces and members."""
    hooks.branches_merged.run(
        branches=list(sources), into=target, effective_date=effective_date, note=_("Merger of base unions")
    )
    target = _fresh(target)
    children = [child for source in sources for child in _fresh(source).children().active()]
    place_under([(child, target) for child in children])
    Workplace.objects.filter(branch__in=sources).update(branch=target)
    # Merged upper-level unions hand over the workplaces they are responsible for, too,
    # or those still without a union would drop out of every count of the new body.
    Workplace.objects.filter(upper_union__in=sources).update(upper_union=target)


def _check_effective_date(organization: Organization, effective_date: datetime.date) -> None:
    if organization.founded_on and effective_date < organization.founded_on:
        raise ValidationError(
            _("The effective date %(date)s is before %(name)s was founded.")
            % {"date": effective_date.strftime("%d/%m/%Y"), "name": organization.name}
        )


@transaction.atomic
def workplace_create(*, by=None, **fields) -> Workplace:
    fields["code"] = fields["code"].strip().upper()
    workplace = Workplace(**fields)
    workplace.full_clean()
    workplace.save()
    hooks.registry_changed.run_on_commit(within=_responsible_for(workplace), changed=[hooks.WORKPLACES])
    return workplace


@transaction.atomic
def workplace_update(*, workplace: Workplace, by=None, **changes) -> Workplace:
    unknown = set(changes) - set(EDITABLE_WORKPLACE_FIELDS)
    if unknown:
        raise ValueError(f"Cannot change {', '.join(sorted(unknown))} through workplace_update")
    workplace = Workplace.objects.select_for_update().get(pk=workplace.pk)
    before = _responsible_for(workplace)
    changed = [field for field, value in changes.items() if getattr(workplace, field) != value]
    for field in changed:
        setattr(workplace, field, changes[field])
    if changed:
        workplace.full_clean()
        workplace.save(update_fields=[*changed, "updated_at"])
        hooks.registry_changed.run_on_commit(within=[*before, *_responsible_for(workplace)], changed=[hooks.WORKPLACES])
    return workplace


@transaction.atomic
def workplace_delete(*, workplace: Workplace, by=None) -> None:
    """Remove a workplace entered by mistake (one that closed is kept, with its figures, by editing it)."""
    workplace = Workplace.objects.select_for_update().get(pk=workplace.pk)
    responsible = _responsible_for(workplace)
    workplace.delete()
    hooks.registry_changed.run_on_commit(within=responsible, changed=[hooks.WORKPLACES])


def _responsible_for(workplace: Workplace) -> list[Organization]:
    """The bodies whose figures count the workplace: the union responsible for it and its branch."""
    return [body for body in (workplace.upper_union, workplace.branch) if body is not None]


def assignment_create(*, user, organization: Organization, role: str) -> Assignment:
    assignment, _created = Assignment.objects.get_or_create(user=user, organization=organization, role=role)
    return assignment
