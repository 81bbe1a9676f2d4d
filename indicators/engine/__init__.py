"""The engine: an indicator's actual value for an organization's subtree and a period, computed in SQL.

- specs.py: what each measure counts, as querysets (a `Spec` per measure, from SPEC_BUILDERS);
- window.py: the dates and periods a measurement covers, and the populations measures share;
- compute.py: measuring a subtree, or each child of a body, with one aggregate per part;
- parts.py: the same parts grouped by path or by body, for the rollups and the per-branch tables;
- branch_members.py: the members' counts of every branch for many indicators in one pass (the Excel sheet);
- series.py: those parts for many periods at once, in queries that do not multiply by the periods;
- admitted.py: the members' measures of an import's new members, from what the file holds (no query).

It reads the registry and the reported figures (DataValue rows), never the data-entry code:
entry and workflow sit above it, reports above them (docs/architecture.md).
"""

from .branch_members import members_by_branch, planner
from .compute import NO_DATA, Measurement, measure, measure_children
from .parts import ZERO, Parts, from_parts, measure_by_organization, parts_by_prefix, values_many_by_organization
from .series import annual_periods, parts_by_period, parts_for_many, start_parts_for_many
from .specs import SHAPES, SPEC_BUILDERS, Shape, Spec, spec_for
from .window import Window, window

__all__ = [
    "NO_DATA",
    "SHAPES",
    "SPEC_BUILDERS",
    "ZERO",
    "Measurement",
    "Parts",
    "Shape",
    "Spec",
    "Window",
    "from_parts",
    "measure",
    "measure_by_organization",
    "measure_children",
    "values_many_by_organization",
    "members_by_branch",
    "planner",
    "annual_periods",
    "parts_by_period",
    "parts_for_many",
    "start_parts_for_many",
    "parts_by_prefix",
    "spec_for",
    "window",
]
