"""How indicators, targets, statuses and reported values read on the pages.

Figures follow the Vietnamese way (2.358; 53,98 %); an indicator's definition is
written out in words from its measure and parameters.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from members.models import BranchRole
from organizations.models import Sector, WorkplaceKind
from unionportal.numbers import round_half_up
from unionportal.templatetags.vn import plain

from ..models import Comparison, Indicator, Measure, SubmissionStatus, TimeRule, UnionFilter, ValueType
from ..models.indicator import FLOW_MEASURES, SHARE_MEASURES
from ..status import LEGEND, Status, TargetValue, coverage_words, rule_words
from ..status import status_label as status_words

register = template.Library()

NBSP = "\u00a0"

# The labels and the order come from the one table of statuses (indicators/status.py: STATUSES).
STATUS_CLASSES = {status: "status-" + status.value.replace("_", "-") for status in Status}
SUBMISSION_CLASSES = {
    SubmissionStatus.DRAFT: "text-bg-light border",
    SubmissionStatus.SUBMITTED: "text-bg-primary",
    SubmissionStatus.RETURNED: "text-bg-warning",
    SubmissionStatus.ACCEPTED: "text-bg-success",
}


# --- figures ---------------------------------------------------------------------------------


def with_unit(text: str, unit: str) -> str:
    return f"{text}{NBSP}{unit}" if unit else text


@register.filter
def figure(value, unit: str = "") -> str:
    """A target or a count with its unit: 80 %, 2.000 đoàn viên; a dash for nothing."""
    if value in (None, ""):
        return "–"
    return with_unit(plain(value), unit)


@register.filter
def actual(measurement, indicator: Indicator) -> str:
    """The actual value: shares with two decimals (53,98 %), counts whole (2.358 đoàn viên)."""
    value = getattr(measurement, "value", measurement)
    if value is None:
        return "–"
    if indicator.measure in SHARE_MEASURES:
        text = number_format(round_half_up(value, 2), decimal_pos=2, use_l10n=True, force_grouping=True)
        return with_unit(text, indicator.unit or "%")
    return with_unit(plain(round_half_up(value, indicator.decimals)), indicator.unit)


@register.filter
def coverage(measurement, indicator: Indicator) -> str:
    """What the figure rests on: "76/87 CĐCS báo cáo"; nothing for a figure read from the registry."""
    return coverage_words(
        getattr(measurement, "reported", None),
        getattr(measurement, "expected", None),
        branches=indicator.units_are_branches,
    )


@register.filter
def unreported_rule(indicator: Indicator) -> str:
    return rule_words(indicator)


@register.filter
def parts(measurement, indicator: Indicator) -> str:
    """What a share or an average is made of: 58 / 68."""
    if measurement.numerator is None or measurement.denominator is None:
        return ""
    if indicator.measure not in (*SHARE_MEASURES, Measure.AVERAGE_PER_BRANCH):
        return ""
    return f"{plain(measurement.numerator)} / {plain(measurement.denominator)}"


# --- targets ---------------------------------------------------------------------------------

COMPARISON_WORDS = {
    Comparison.GT: gettext_lazy("more than %(value)s"),
    Comparison.GTE: gettext_lazy("at least %(value)s"),
    Comparison.LT: gettext_lazy("less than %(value)s"),
    Comparison.LTE: gettext_lazy("at most %(value)s"),
    Comparison.EQ: gettext_lazy("exactly %(value)s"),
}
SOURCE_WORDS = {
    "own": gettext_lazy("the body's own target"),
    "allocated": gettext_lazy("allocated by the body above"),
    "inherited": gettext_lazy("the program's target, for every body"),
}


def target_words(comparison: str, value, value_max, unit: str) -> str:
    if comparison == Comparison.RANGE:
        return _("%(value)s to %(max)s") % {"value": plain(value), "max": figure(value_max, unit)}
    return str(COMPARISON_WORDS[comparison]) % {"value": figure(value, unit)}


@register.filter
def target_text(target, indicator: Indicator) -> str:
    """'more than 80 %', '30 to 35 CĐCS' (in Vietnamese: 'trên 80 %', 'từ 30 đến 35 CĐCS')."""
    if target is None:
        return "–"
    if isinstance(target, Indicator):
        if target.target_value is None:
            return "–"
        return target_words(target.comparison, target.target_value, target.target_value_max, target.unit)
    return target_words(target.comparison, target.value, target.value_max, indicator.unit)


def time_words(time_rule: str, indicator: Indicator, *, yearly: bool = False, year: int | None = None) -> str:
    program = indicator.program
    if yearly:
        return _("for %(year)s") % {"year": year} if year else _("for the year")
    if time_rule == TimeRule.BY_YEAR:
        return _("by the end of %(year)s") % {"year": indicator.target_year or program.end_year}
    if time_rule == TimeRule.CUMULATIVE:
        return _("over %(period)s") % {"period": program.period_label}
    if time_rule == TimeRule.ANNUAL_AVERAGE:
        return _("on average per year over %(period)s") % {"period": program.period_label}
    return _("every year")


@register.simple_tag
def target_time(target, indicator: Indicator, year: int | None = None) -> str:
    """When the target holds: 'every year', 'by the end of 2025', 'over 2018–2023', 'for 2022'."""
    if target is None:
        return ""
    if isinstance(target, Indicator):
        return time_words(target.time_rule, target)
    return time_words(target.time_rule, indicator, yearly=target.yearly, year=year)


@register.filter
def target_source(target: TargetValue | None) -> str:
    return str(SOURCE_WORDS.get(target.source, "")) if target else ""


# --- statuses --------------------------------------------------------------------------------


@register.filter
def status_label(status) -> str:
    return status_words(status)


@register.filter
def status_class(status) -> str:
    return STATUS_CLASSES.get(Status(status), "status-no-data")


@register.simple_tag
def status_choices() -> list[tuple[str, str, str]]:
    """(value, label, css class) of every status, in the order of the legend."""
    return [(status.value, status_words(status), STATUS_CLASSES[status]) for status in LEGEND]


@register.filter
def submission_class(status: str) -> str:
    return SUBMISSION_CLASSES.get(status, "text-bg-light border")


@register.filter
def submission_label(status: str) -> str:
    return str(SubmissionStatus(status).label) if status in SubmissionStatus.values else ""


# --- reported values in the grid ---------------------------------------------------------------


@register.filter
def cell_text(cell) -> str:
    """What the cell's input holds: 2.358 for a number, 1 / 0 for yes / no, the code of a choice."""
    raw = cell.raw
    if raw is None:
        return ""
    if cell.element.is_numeric:
        return plain(raw)
    if cell.element.value_type == ValueType.BOOLEAN:
        return "1" if raw else "0"
    return raw


@register.filter
def cell_display(cell) -> str:
    """What a read-only cell shows: 2.358, Có / Không, the label of a grade."""
    raw = cell.raw
    if raw is None:
        return ""
    if cell.element.is_numeric:
        return plain(raw)
    if cell.element.value_type == ValueType.BOOLEAN:
        return _("Yes") if raw else _("No")
    return cell.element.choice_label(raw)


@register.filter
def value_display(value) -> str:
    """A DataValue as a read-only cell shows it (for the conflict message)."""
    if value is None or value.raw is None:
        return _("(empty)")
    if value.element.is_numeric:
        return plain(value.raw)
    if value.element.value_type == ValueType.BOOLEAN:
        return _("Yes") if value.raw else _("No")
    return value.element.choice_label(value.raw)


@register.filter
def who(user) -> str:
    """The person who saved a value, family name first; blank when unknown."""
    if user is None:
        return "–"
    full = f"{user.last_name} {user.first_name}".strip()
    return full or user.get_username()


# --- an indicator's definition, in words ----------------------------------------------------------

SUMMARIES = {
    Measure.WORKPLACES_UNIONIZED_SHARE: gettext_lazy(
        "The share of workplaces that have a base union, among the workplaces the organization and the bodies below it are responsible for."
    ),
    Measure.WORKPLACES_COUNT: gettext_lazy(
        "The number of workplaces the organization and the bodies below it are responsible for."
    ),
    Measure.ORGANIZATIONS_SHARE: gettext_lazy(
        "The share of union bodies meeting the condition below for the period, among those that existed on its last day."
    ),
    Measure.ORGANIZATIONS_COUNT: gettext_lazy(
        "The number of union bodies meeting the condition below for the period, among those that existed on its last day."
    ),
    Measure.PEOPLE_TRAINED_SHARE: gettext_lazy(
        "The share of the people holding the roles below on the last day of the period who have been trained."
    ),
    Measure.MEMBERS_STOCK: gettext_lazy("The number of union members on the last day of the period."),
    Measure.MEMBERS_JOINED: gettext_lazy(
        "The number of people who joined the union during the period (transfers between base unions are not counted)."
    ),
    Measure.MEMBERS_LEFT: gettext_lazy(
        "The number of members who left the union during the period (transfers between base unions are not counted)."
    ),
    Measure.BRANCHES_ACTIVE: gettext_lazy("The number of base unions that existed on the last day of the period."),
    Measure.BRANCHES_FOUNDED: gettext_lazy(
        "The number of base unions founded during the period, not counting those formed by merging or splitting others."
    ),
    Measure.BRANCHES_DISSOLVED: gettext_lazy("The number of base unions dissolved during the period."),
    Measure.AVERAGE_PER_BRANCH: gettext_lazy(
        "The reported figure below, added up over the base unions and divided by the number of base unions that existed on the last day of the period."
    ),
    Measure.REPORTED_SUM: gettext_lazy(
        "The reported figure below, added up over the organization and every body below it."
    ),
    Measure.REPORTED_RATIO: gettext_lazy(
        "The reported figure below, added up over the organization and every body below it, as a percentage of the figure it is divided by."
    ),
    Measure.QUALITATIVE: gettext_lazy(
        "A task without a figure: it is followed through its responsible bodies and their reports, not computed."
    ),
}


@dataclass(frozen=True)
class Definition:
    summary: str
    facts: list[tuple[str, str]]


def _labels(choices, values) -> str:
    names = dict(choices)
    return ", ".join(str(names.get(v, v)) for v in values)


def _condition(element, min_choice: str) -> str:
    if element.value_type == ValueType.BOOLEAN:
        return _("“%(figure)s” answered “Yes”") % {"figure": element.name}
    if element.value_type == ValueType.CHOICE and min_choice:
        return _("“%(figure)s” graded “%(grade)s” or better") % {
            "figure": element.name,
            "grade": element.choice_label(min_choice),
        }
    return _("“%(figure)s” more than 0") % {"figure": element.name}


@register.simple_tag
def definition(indicator: Indicator) -> Definition:
    """What the indicator counts, in words, from its measure and parameters."""
    m = indicator.measure
    facts: list[tuple[str, str]] = []
    if m in (Measure.ORGANIZATIONS_SHARE, Measure.ORGANIZATIONS_COUNT):
        facts.append((_("Bodies counted"), indicator.level.name if indicator.level_id else _("Base unions")))
    if indicator.workplace_kinds:
        facts.append((_("Types of workplace"), _labels(WorkplaceKind.choices, indicator.workplace_kinds)))
    if indicator.min_workers:
        facts.append((_("Size"), _("at least %(count)s workers") % {"count": plain(indicator.min_workers)}))
    if m == Measure.WORKPLACES_COUNT and indicator.union_filter:
        facts.append((_("Workplaces"), str(UnionFilter(indicator.union_filter).label)))
    if indicator.sectors:
        facts.append((_("Sectors"), _labels(Sector.choices, indicator.sectors)))
    if m == Measure.PEOPLE_TRAINED_SHARE:
        roles = _labels(BranchRole.choices, indicator.roles) if indicator.roles else _("every member")
        facts.append((_("People counted"), roles))
        if indicator.trained_within_program:
            facts.append(
                (
                    _("Trainings counted"),
                    _("since %(year)s, when the program began") % {"year": indicator.program.start_year},
                )
            )
    if indicator.women_only:
        facts.append((_("Members counted"), _("women only")))
    if indicator.element_id:
        if m in (Measure.ORGANIZATIONS_SHARE, Measure.ORGANIZATIONS_COUNT):
            facts.append((_("Condition"), _condition(indicator.element, indicator.min_choice)))
        else:
            facts.append((_("Reported figure"), indicator.element.name))
    if indicator.denominator_id:
        facts.append((_("Divided by"), indicator.denominator.name))
    if indicator.eligibility_id:
        facts.append((_("Only bodies where"), _condition(indicator.eligibility, "")))
    if m in FLOW_MEASURES and indicator.time_rule == TimeRule.CUMULATIVE:
        facts.append(
            (
                _("Period counted"),
                _("from 01/01/%(year)s, the program's first day, to the end of the chosen period")
                % {"year": indicator.program.start_year},
            )
        )
    elif m in FLOW_MEASURES:
        facts.append((_("Period counted"), _("the chosen six months or year")))
    if m in SHARE_MEASURES:
        facts.append((_("Result"), _("a percentage: the part meeting the condition × 100 ÷ all those counted")))
    if indicator.target_value is not None:
        facts.append(
            (
                _("Target of the program"),
                f"{target_text(indicator, indicator)}, {time_words(indicator.time_rule, indicator)}",
            )
        )
    if indicator.baseline_value is not None:
        baseline = figure(indicator.baseline_value, indicator.unit)
        if indicator.baseline_year:
            baseline = f"{baseline} ({indicator.baseline_year})"
        facts.append((_("Baseline"), baseline))
    facts.append((_("Allocation to children"), str(indicator.get_allocation_display())))
    return Definition(summary=str(SUMMARIES[Measure(m)]), facts=facts)
