from .program import (
    Milestone,
    MilestoneKind,
    Program,
    ProgramBasis,
    ProgramKind,
    ProgramSection,
    ProgramStatus,
)

__all__ = [
    "Milestone",
    "MilestoneKind",
    "Program",
    "ProgramBasis",
    "ProgramKind",
    "ProgramSection",
    "ProgramStatus",
]
