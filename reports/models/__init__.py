from .history import ScopeSeal, TreeSeal
from .report import SECTION_TEXT_MAX, EditedSection, FrozenReport, NarrativeSection, ReportKind, ReportNarrative
from .report_file import ReportFile, ReportFileStatus, ReportFormat
from .rollup import Rollup

__all__ = [
    "SECTION_TEXT_MAX",
    "EditedSection",
    "FrozenReport",
    "NarrativeSection",
    "ReportFile",
    "ReportFileStatus",
    "ReportFormat",
    "ReportKind",
    "ReportNarrative",
    "Rollup",
    "ScopeSeal",
    "TreeSeal",
]
