from .report import FrozenReport, ReportKind, ReportNarrative
from .rollup import Rollup

__all__ = ["FrozenReport", "ReportKind", "ReportNarrative", "Rollup"]
