"""Excel import of workplaces and base unions (CĐCS), and their export.

Files of these kinds are small (a district has a few hundred rows), so committing goes
through the organizations services, row by row, inside one transaction: the same
validation and the same restructuring record as the forms. Validation looks every
referenced code up in bulk first (one query per table) and reports every problem.

The Vietnamese labels of the choice columns are fixed by the file format (see the issue),
not by the interface's translations: they live here as explicit maps.
"""

from .branches import BranchImporter
from .common import SECTORS, WORKPLACE_KINDS, organizations_by_code
from .workplaces import WorkplaceImporter

__all__ = ["SECTORS", "WORKPLACE_KINDS", "BranchImporter", "WorkplaceImporter", "organizations_by_code"]
