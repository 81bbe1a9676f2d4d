"""Many moves in the tree at once: what a dissolution handing its children to successors does.

`organizations_move` is `services.organization_move` for a list of bodies (the same checks, the same
dated records, the same paths), written in bulk; `place_under` rewrites the paths of whole subtrees
with one UPDATE on their prefix (a merger's hand-over uses it too). services.py re-exports it.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils.translation import gettext as _

from . import hooks
from .models import OperationKind, Organization, OrganizationStatus, RestructuringLink, RestructuringOperation


@transaction.atomic
def organizations_move(
    *,
    moves: Sequence[tuple[Organization, Organization]],
    effective_date: datetime.date,
    by=None,
    decision: str = "",
    note: str = "",
) -> list[RestructuringOperation]:
    """Many `organization_move`s at once (a dissolved body handing its children to successors).

    The same checks, the same records (one dated move per body, in the order given) and the same
    paths as the moves one by one, written in bulk: the records with two INSERTs, the paths of every
    subtree moved from one parent with one UPDATE on their prefix.
    """
    if not moves:
        return []
    if len({body.pk for body, _parent in moves}) < len(moves):
        raise ValueError("organizations_move: a body is moved twice")
    fresh = Organization.objects.select_related("level").in_bulk(
        {body.pk for body, _parent in moves} | {parent.pk for _body, parent in moves}
    )
    moves = [(fresh[body.pk], fresh[parent.pk]) for body, parent in moves]
    old_parents = Organization.objects.in_bulk({body.parent_path for body, _parent in moves}, field_name="path")
    for body, new_parent in moves:
        for organization in (body, new_parent):
            if organization.status != OrganizationStatus.ACTIVE:
                raise ValidationError(
                    _("%(name)s is no longer active (%(status)s).")
                    % {"name": organization.name, "status": organization.get_status_display()}
                )
        if body.parent_path == new_parent.path:
            raise ValidationError(_("The body already belongs to %(name)s.") % {"name": new_parent.name})
        if new_parent.path.startswith(body.path):
            raise ValidationError(_("A body cannot be moved into itself or into a body below it."))
        if new_parent.level.rank >= body.level.rank:
            raise ValidationError(_("The new parent must be at a higher level than the body moved."))
    tree_changing(
        bodies=[body for body, _parent in moves], parents=[parent for _body, parent in moves], day=effective_date
    )
    operations = RestructuringOperation.objects.bulk_create(
        RestructuringOperation(
            kind=OperationKind.MOVE, effective_date=effective_date, decision=decision, note=note, performed_by=by
        )
        for _move in moves
    )
    RestructuringLink.objects.bulk_create(
        RestructuringLink(
            operation=operation,
            organization=body,
            role=RestructuringLink.SOURCE,
            previous_parent=old_parents.get(body.parent_path),
            new_parent=new_parent,
        )
        for operation, (body, new_parent) in zip(operations, moves, strict=True)
    )
    place_under(moves)
    hooks.registry_changed.run_on_commit(
        within=[*old_parents.values(), *{parent.pk: parent for _body, parent in moves}.values()],
        changed=hooks.EVERYTHING,
    )
    return operations


def tree_changing(*, bodies: Sequence[Organization], parents: Sequence[Organization], day: datetime.date) -> None:
    """Before a restructuring moves or ends `bodies` (and gives bodies to `parents`): the layers above
    keep the tree of the periods before `day` (hooks.tree_changing), and every body whose parent or
    subtree changes is marked restructured on `day`, so that a report knows without a query when it
    need not look for the tree as it was."""
    hooks.tree_changing.run(bodies=list(bodies), parents=list(parents), effective_date=day)
    paths = {path for o in [*bodies, *parents] for path in Organization.lineage(o.path)}
    Organization.objects.filter(path__in=paths).filter(
        Q(restructured_on__isnull=True) | Q(restructured_on__lt=day)
    ).update(restructured_on=day)


# Pairs of paths per statement on SQLite: two parameters each, well within its 32,766.
SQLITE_PAIRS = 5000


def place_under(moves: Sequence[tuple[Organization, Organization]]) -> None:
    """Make each body (current) the last child of its new parent, in the order given, with its subtree.

    The paths are those treebeard's `move(pos="last-child")` gives one body after the other: the
    new parent's last child's step, plus one for each body placed under it. Every subtree leaving
    one parent for the same depth is rewritten by one UPDATE joining the old prefix to the new.
    """
    steplen = Organization.steplen
    last = {}
    for parent in {parent.pk: parent for _body, parent in moves}.values():
        child = parent.children().order_by("-path").values_list("path", flat=True).first() if parent.numchild else None
        last[parent.pk] = Organization._str2int(child[-steplen:]) if child else 0
    groups: dict[tuple[str, int], list[tuple[str, str]]] = {}
    for body, parent in moves:
        last[parent.pk] += 1
        key = Organization._int2str(last[parent.pk])
        if len(key) > steplen:
            raise ValidationError(_("%(name)s has no room for more bodies below it.") % {"name": parent.name})
        new_path = parent.path + Organization.alphabet[0] * (steplen - len(key)) + key
        groups.setdefault((body.parent_path, parent.depth + 1 - body.depth), []).append((body.path, new_path))
    table = Organization._meta.db_table
    counts: dict[str, int] = {}
    with connection.cursor() as cursor:
        for (old_parent_path, shift), pairs in groups.items():
            length = len(pairs[0][0])
            if connection.vendor == "postgresql":
                cursor.execute(
                    # Each old prefix's subtree is a range of paths (the alphabet sorts below "~", compared
                    # byte by byte): read through the path index, whatever the database's collation.
                    f"UPDATE {table} AS o SET path = m.new || substr(o.path, %s), depth = o.depth + %s "  # noqa: S608
                    "FROM unnest(%s::varchar[], %s::varchar[]) AS m(old, new) "
                    "WHERE o.path ~>=~ m.old AND o.path ~<~ (m.old || '~')",
                    [length + 1, shift, [old for old, _new in pairs], [new for _old, new in pairs]],
                )
            else:  # SQLite (make run, 3.33 or later): the same join, its text comparison is byte by byte
                for start in range(0, len(pairs), SQLITE_PAIRS):
                    some = pairs[start : start + SQLITE_PAIRS]
                    cursor.execute(
                        f"UPDATE {table} AS o SET path = m.new || substr(o.path, %s), depth = o.depth + %s "  # noqa: S608
                        "FROM (SELECT column1 AS old, column2 AS new FROM (VALUES "
                        + ", ".join(["(%s, %s)"] * len(some))
                        + ")) AS m WHERE o.path >= m.old AND o.path < m.old || '~'",
                        [length + 1, shift, *(value for pair in some for value in pair)],
                    )
            counts[old_parent_path] = counts.get(old_parent_path, 0) - len(pairs)
            for _old, new in pairs:
                counts[new[:-steplen]] = counts.get(new[:-steplen], 0) + 1
    for path, change in counts.items():
        if path and change:
            Organization.objects.filter(path=path).update(numchild=F("numchild") + change)
