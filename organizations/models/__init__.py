from .assignment import Assignment, Role
from .organization import Level, Organization, OrganizationStatus, Sector
from .restructuring import OperationKind, RestructuringLink, RestructuringOperation
from .workplace import ENTERPRISE_KINDS, Workplace, WorkplaceKind

__all__ = [
    "ENTERPRISE_KINDS",
    "Assignment",
    "Level",
    "OperationKind",
    "Organization",
    "OrganizationStatus",
    "RestructuringLink",
    "RestructuringOperation",
    "Role",
    "Sector",
    "Workplace",
    "WorkplaceKind",
]
