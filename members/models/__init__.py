from .history import MemberRole, MembershipPeriod, Training
from .member import BranchRole, Gender, Member, MemberStatus

__all__ = [
    "BranchRole",
    "Gender",
    "Member",
    "MemberRole",
    "MemberStatus",
    "MembershipPeriod",
    "Training",
]
