from .report import FrozenReport, ReportKind, ReportNarrative
from .report_file import ReportFile, ReportFileStatus, ReportFormat
from .rollup import Rollup

__all__ = ["FrozenReport", "ReportFile", "ReportFileStatus", "ReportFormat", "ReportKind", "ReportNarrative", "Rollup"]
