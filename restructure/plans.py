"""What a plan's operations say, read together: the codes they name, what ends, who succeeds whom.

Pure reading of the plan and of the tree as it is; checks.py, selectors.py and services.py
all start from a `Reading`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from organizations.models import Level, Organization

from .models import PlanOperation, RestructuringPlan
from .models import PlanOperationKind as K

MERGES = (K.MERGE_NEW, K.MERGE_INTO)
# Applying runs the kinds in this order: new bodies first (they may be parents and successors),
# bodies leaving the tree last, the descriptive changes at the end.
ORDER = (K.CREATE, K.CHANGE_LEVEL, K.MERGE_NEW, K.MERGE_INTO, K.MOVE, K.DISSOLVE, K.RENAME, K.CHANGE_SECTOR)


@dataclass
class Reading:
    plan: RestructuringPlan
    operations: list[PlanOperation]
    bodies: dict[str, Organization]  # every existing body the plan names, and its ancestors, by code
    created: dict[str, PlanOperation] = field(default_factory=dict)  # codes the plan founds
    children: dict[str, list[Organization]] = field(default_factory=dict)  # active children of ended bodies
    _codes_by_path: dict[str, str] = field(default_factory=dict, repr=False)  # the bodies' codes by path

    def acted(self) -> Counter:
        """How many operations act on each code (a body may be the target of many, acted on once)."""
        return Counter(code for op in self.operations for code in op.codes)

    def placed(self) -> set[str]:
        """Codes whose place in the tree an operation of their own decides (moved, merged, dissolved)."""
        return {code for op in self.operations if op.kind in (*MERGES, K.DISSOLVE, K.MOVE) for code in op.codes}

    def ended(self) -> dict[str, PlanOperation]:
        return {code: op for op in self.operations if op.kind in (*MERGES, K.DISSOLVE) for code in op.codes}

    def referenced(self) -> dict[str, PlanOperation]:
        """Bodies the plan hands something to: targets, parents, successors."""
        named = {}
        for op in self.operations:
            for code in [op.target, *op.successors.values()]:
                if code:
                    named.setdefault(code, op)
        return named

    def heir(self, code: str) -> str:
        """Who takes over what an ended body leaves (its programs, its users): '' if nobody."""
        op = self.ended().get(code)
        if op is None:
            return ""
        return op.new_code if op.kind == K.MERGE_NEW else op.target

    def successor_of(self, child: Organization, op: PlanOperation) -> str:
        return op.successors.get(child.code) or op.target

    def parent_code(self, body: Organization) -> str:
        if len(self._codes_by_path) != len(self.bodies):  # read_plan adds bodies after the first reading
            self._codes_by_path = {b.path: b.code for b in self.bodies.values()}
        return self._codes_by_path.get(body.parent_path, "")


def read_plan(plan: RestructuringPlan) -> Reading:
    operations = sorted(plan.operations.all(), key=lambda op: (ORDER.index(op.kind), op.order, op.pk or 0))
    created = {op.new_code: op for op in operations if op.kind in (K.CREATE, K.MERGE_NEW) and op.new_code}
    codes = {c for op in operations for c in [*op.codes, op.target, *op.successors, *op.successors.values()] if c}
    found = {o.code: o for o in Organization.objects.filter(code__in=codes | set(created)).select_related("level")}
    reading = Reading(plan=plan, operations=operations, bodies=found, created=created)
    ended = [found[c] for c in reading.ended() if c in found]
    for body in ended:
        reading.children[body.code] = list(
            body.children().active().exclude(level__code=Level.BELOW_BASE).select_related("level")
        )
    everyone = [*found.values(), *(c for kids in reading.children.values() for c in kids)]
    paths = {b.path[: i * Organization.steplen] for b in everyone for i in range(1, b.depth)}
    for above in Organization.objects.filter(path__in=paths).select_related("level"):
        reading.bodies.setdefault(above.code, above)
    for child in everyone:
        reading.bodies.setdefault(child.code, child)
    return reading


def after_parents(reading: Reading) -> dict[str, str]:
    """Each body's parent once the plan is applied, for the bodies whose parent is known to it."""
    parents = {code: reading.parent_code(body) for code, body in reading.bodies.items()}
    for op in reading.operations:
        if op.kind == K.CREATE:
            parents[op.new_code] = op.target
        elif op.kind == K.MERGE_NEW:
            first = reading.bodies.get(op.codes[0]) if op.codes else None
            parents[op.new_code] = op.target or (reading.parent_code(first) if first else "")
        elif op.kind == K.MOVE:
            parents.update(dict.fromkeys(op.codes, op.target))
    for op in reading.operations:
        if op.kind in MERGES:
            heir = reading.heir(op.codes[0]) if op.codes else ""
            for code in op.codes:
                for child in (c for c in reading.bodies.values() if parents.get(c.code) == code):
                    parents[child.code] = heir
        elif op.kind == K.DISSOLVE:
            for code in op.codes:
                for child in reading.children.get(code, []):
                    if parents.get(child.code) == code:
                        parents[child.code] = reading.successor_of(child, op)
    return parents
