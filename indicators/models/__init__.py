from .data import DataElement, DataElementRule, DataValue, Frequency, RuleOperator, ValueType
from .indicator import (
    AllocationRule,
    Comparison,
    Direction,
    Indicator,
    Measure,
    Target,
    TimeRule,
    UnionFilter,
    UnreportedRule,
)
from .period import PeriodKind, ReportingPeriod
from .quality import (
    MissingValues,
    PlausibilityRule,
    QualityConfirmation,
    QualityWarning,
    RegistrySource,
    RuleKind,
)
from .submission import Submission, SubmissionEvent, SubmissionStatus, Waiver
from .task import EvidenceKind, TaskEvidence, TaskReport, TaskStatus

__all__ = [
    "AllocationRule",
    "Comparison",
    "DataElement",
    "DataElementRule",
    "DataValue",
    "Direction",
    "EvidenceKind",
    "Frequency",
    "Indicator",
    "Measure",
    "MissingValues",
    "PeriodKind",
    "PlausibilityRule",
    "QualityConfirmation",
    "QualityWarning",
    "RegistrySource",
    "ReportingPeriod",
    "RuleKind",
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
    "UnreportedRule",
    "ValueType",
    "Waiver",
]
