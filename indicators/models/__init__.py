from .data import DataElement, DataElementRule, DataValue, Frequency, RuleOperator, ValueType
from .indicator import AllocationRule, Comparison, Indicator, Measure, Target, TimeRule, UnionFilter
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

__all__ = [
    "AllocationRule",
    "Comparison",
    "DataElement",
    "DataElementRule",
    "DataValue",
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
    "TimeRule",
    "UnionFilter",
    "ValueType",
    "Waiver",
]
