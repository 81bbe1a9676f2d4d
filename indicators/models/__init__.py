from .data import DataElement, DataElementRule, DataValue, Frequency, RuleOperator, ValueType
from .indicator import AllocationRule, Comparison, Indicator, Measure, Target, TimeRule, UnionFilter
from .period import PeriodKind, ReportingPeriod
from .submission import Submission, SubmissionEvent, SubmissionStatus, Waiver
from .task import EvidenceKind, TaskEvidence, TaskReport, TaskStatus

__all__ = [
    "AllocationRule",
    "Comparison",
    "DataElement",
    "DataElementRule",
    "DataValue",
    "EvidenceKind",
    "Frequency",
    "Indicator",
    "Measure",
    "PeriodKind",
    "ReportingPeriod",
    "RuleOperator",
    "Submission",
    "SubmissionEvent",
    "SubmissionStatus",
    "Target",
    "TaskEvidence",
    "TaskReport",
    "TaskStatus",
    "TimeRule",
    "UnionFilter",
    "ValueType",
    "Waiver",
]
