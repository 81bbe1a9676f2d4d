"""The drafted text of a report's sections I–III, written in Vietnamese from its figures.

Pure functions of the immutable ReportData (reports/data.py): no database, no request, so a
frozen version drafts the same text as on the day it was frozen, and the tests compare exact
sentences. The office edits the draft on the report page (reports/narratives.py keeps what was
edited); what is not edited is drafted again from the figures every time the report is shown.

    draft(data)                 -> {"results": "...", "shortcomings": "...", "directions": "..."}
    draft(data, tasks=[...])    -> section I also lists the program's tasks and their results

Hooks for work still to come (issue 12):
- coverage_of(indicator): how many units the indicator's own figure expected and how many
  reported (each figure its own, as reports/coverage.py reads them), and which children are behind.
- UNMET_STATUSES / UNDER_REPORTED_STATUSES: the engine's new statuses join here ("Chưa đủ số
  liệu" is under-reported; "Vượt chỉ tiêu" is met, so it is in neither).
- TaskLine and draft(tasks=...): the tasks with their results (point 8), given by the caller.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils import translation

from indicators.status import LEGEND, NO_TARGET_LABEL, STATUS_INFO

from .data import Figure, IndicatorReport, ReportData

SECTIONS = ("results", "shortcomings", "directions")

# The statuses of an indicator that section II lists as not met, and those it lists as resting
# on too little data. Statuses not named here (achieved, on track, beyond the target) are met.
UNMET_STATUSES = frozenset({"not_achieved", "at_risk"})
UNDER_REPORTED_STATUSES = frozenset({"no_data", "insufficient"})


# How the report writes a status: the one table of statuses (indicators/status.py), in Vietnamese
# whatever the language of the request, as the documents are; read once per process (the table is fixed).
@functools.cache
def _status_words() -> dict[str, str]:
    with translation.override("vi"):
        words = {status.value: str(STATUS_INFO[status.value].label) for status in LEGEND}
        words["no_target"] = str(NO_TARGET_LABEL)
    return words


SYMBOLS = {"gt": "> ", "gte": "≥ ", "lt": "< ", "lte": "≤ ", "eq": ""}
BEHIND_SHOWN = 3  # units furthest behind named per unmet indicator
NAMES_SHOWN = 10  # units named in a list of those that have not reported, then "và N đơn vị khác"
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Coverage:
    """Of the units an indicator's figure is counted over, how many were expected and how many reported,
    and the children behind: (name, units not reported, units expected) each."""

    expected: int
    reported: int
    gaps: tuple[tuple[str, int, int], ...] = ()  # in the report's order

    @property
    def missing(self) -> tuple[str, ...]:
        """The children that have reported none of their units."""
        return tuple(name for name, unreported, expected in self.gaps if unreported == expected)

    @property
    def unreported(self) -> int:
        return self.expected - self.reported

    def behind_words(self) -> str:
        """ "CĐCS A, CĐCS B" when each child is one unit; "LĐLĐ huyện A: 10/90; …" when a child counts many."""
        if all(expected == 1 for _name, _unreported, expected in self.gaps):
            return names([name for name, _unreported, _expected in self.gaps])
        shown = [f"{name}: {vn_number(unreported)}/{vn_number(expected)}" for name, unreported, expected in self.gaps]
        return names(shown, sep="; ")


@dataclass(frozen=True)
class TaskLine:
    """One task of the program for the period, as section I reports it (issue 12 point 8)."""

    section: str  # the program's section of tasks it belongs to
    title: str
    status: str  # as the report writes it, e.g. "Hoàn thành"
    result: str = ""


@dataclass(frozen=True)
class SectionText:
    """One section as the report shows it: the edited text, or else the draft of the figures shown."""

    section: str
    text: str
    draft: str  # the draft of the figures shown
    edited: bool = False
    edited_by: str = ""  # the editor's name as it reads
    edited_at: str = ""  # ISO date and time
    draft_changed: bool = False  # edited from a draft that no longer reads the same: the figures moved
    version: int = 0  # of the edit, for the form's stale-edit check (0: not edited)

    @property
    def paragraphs(self) -> list[dict]:
        """The text as the document sets it: a paragraph per line, a list item for "- …", a gap after a blank line."""
        found, gap = [], False
        for line in self.text.splitlines():
            if not line.strip():
                gap = bool(found)
                continue
            found.append({"text": line.strip(), "item": line.lstrip().startswith(("- ", "+ ", "• ")), "gap": gap})
            gap = False
        return found

    @property
    def edited_on(self) -> datetime.datetime | None:
        return datetime.datetime.fromisoformat(self.edited_at) if self.edited_at else None


# --- numbers and phrases ------------------------------------------------------------------


def vn_number(value: Decimal | int | None) -> str:
    """1.273, 88,37, 90: rounded half up to two decimals, whole numbers without any."""
    if value is None:
        return "–"
    rounded = Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)
    if rounded == rounded.to_integral_value():
        rounded = rounded.quantize(Decimal(1))
    sign = "-" if rounded < 0 else ""
    whole, _, decimals = f"{abs(rounded):f}".partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    return sign + ".".join(groups) + ("," + decimals if decimals else "")


def _amount(value: Decimal | None, indicator: IndicatorReport) -> str:
    """A figure with its unit: 88,37 %; 1.273 đoàn viên."""
    text = vn_number(value)
    return f"{text} {indicator.unit}" if indicator.unit else text


def _difference(value: Decimal, indicator: IndicatorReport) -> str:
    """A gap between two figures: 1,63 điểm phần trăm; 8.627 đoàn viên."""
    unit = "điểm phần trăm" if indicator.is_share else indicator.unit
    text = vn_number(abs(value))
    return f"{text} {unit}" if unit else text


def target_phrase(figure: Figure, indicator: IndicatorReport) -> str:
    """≥ 90 %; 30–35 CĐCS; ≤ 3 %."""
    if figure.target is None:
        return "–"
    if figure.comparison == "range" and figure.target_max is not None:
        span = f"{vn_number(figure.target)}–{vn_number(figure.target_max)}"
        return f"{span} {indicator.unit}" if indicator.unit else span
    return SYMBOLS.get(figure.comparison or "", "") + _amount(figure.target, indicator)


def _shown(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def gap_phrase(figure: Figure, indicator: IndicatorReport) -> str:
    """How far the figure, as shown, is from its target, in the direction the target means."""
    actual, low, high = _shown(figure.actual), _shown(figure.target), figure.target_max
    comparison = figure.comparison
    if comparison == "range" and high is not None:
        high = _shown(high)
        if actual < low:
            return f"còn thiếu {_difference(low - actual, indicator)} so với mức tối thiểu"
        if actual > high:
            return f"vượt {_difference(actual - high, indicator)} so với mức tối đa"
        return "nằm trong khoảng chỉ tiêu"
    if actual == low:
        return "bằng chỉ tiêu"
    if comparison in ("lt", "lte"):
        word = "cao hơn" if actual > low else "thấp hơn"
        return f"{word} mức chỉ tiêu {_difference(actual - low, indicator)}"
    if comparison == "eq":
        return f"chênh lệch {_difference(actual - low, indicator)} so với chỉ tiêu"
    if actual < low:
        return f"còn thiếu {_difference(low - actual, indicator)}"
    return f"vượt {_difference(actual - low, indicator)}"


def status_word(figure: Figure) -> str:
    """The status as the report writes it; a figure without a target is not "no data"."""
    words = _status_words()
    if figure.status == "no_data" and figure.actual is not None:
        return words["no_target"]
    return words.get(figure.status, figure.status)


def subject_of(indicator: IndicatorReport) -> str:
    """What the sentence is about: "Tỷ lệ CĐCS …" for a share, the indicator's name otherwise."""
    name = " ".join(indicator.name.split())
    if not indicator.is_share or name.lower().startswith("tỷ lệ"):
        return name
    first = name.split(" ", 1)[0]
    # An abbreviation (CĐCS, HCSN) keeps its capitals; an ordinary word is lowered after "Tỷ lệ".
    if first.upper() != first:
        name = name[0].lower() + name[1:]
    return f"Tỷ lệ {name}"


def names(items: Sequence[str], limit: int = NAMES_SHOWN, *, sep: str = ", ") -> str:
    """A, B, C; beyond the limit: "A, B, … và 5 đơn vị khác"."""
    if len(items) <= limit:
        return sep.join(items)
    return f"{sep.join(items[:limit])} và {len(items) - limit} đơn vị khác"


# --- what the sections say of one indicator -----------------------------------------------


def indicator_sentence(indicator: IndicatorReport) -> str:
    """Tỷ lệ CĐCS … đạt 88,37 %, chỉ tiêu ≥ 90 %, còn thiếu 1,63 điểm phần trăm: Không đạt."""
    figure = indicator.figure
    subject = subject_of(indicator)
    if figure.actual is None:
        target = f" (chỉ tiêu {target_phrase(figure, indicator)})" if figure.target is not None else ""
        return f"{subject}{target}: {status_word(figure)}."
    reached = f"{subject} đạt {_amount(figure.actual, indicator)}"
    if figure.target is None:
        return f"{reached}: {status_word(figure)}."
    target = target_phrase(figure, indicator)
    return f"{reached}, chỉ tiêu {target}, {gap_phrase(figure, indicator)}: {status_word(figure)}."


def _gap(child: Figure) -> tuple[int, int] | None:
    """(units not reported, units expected) of a child behind; None for a child that is not."""
    if child.has_coverage:
        return (child.expected - child.reported, child.expected) if child.reported < child.expected else None
    return (1, 1) if child.actual is None else None


def coverage_of(indicator: IndicatorReport, data: ReportData) -> Coverage | None:
    """The units expected for the indicator and those that reported, read from its own figure (a rating
    reported by 76 of 87 branches and a fund by 80 each say their own), with the children behind.

    A figure that carries no coverage (read from the registry, or frozen before coverage was kept) is
    counted from the children's figures: a child with no value has not reported. None when there is
    nothing to count: no units, or children with no figure of their own for it (a share of
    workplaces in a district of branches)."""
    figure = indicator.figure
    branches_only = bool(data.children) and all(child.get("level") == "base" for child in data.children)
    children_count = not (branches_only and not indicator.fits_a_branch)
    gaps = tuple((child.name, *gap) for child in (indicator.children if children_count else ()) if (gap := _gap(child)))
    if figure.has_coverage:
        return Coverage(expected=figure.expected, reported=figure.reported, gaps=gaps) if figure.expected else None
    if not indicator.children or not children_count:
        return None
    return Coverage(expected=len(indicator.children), reported=len(indicator.children) - len(gaps), gaps=gaps)


def _progress(figure: Figure) -> Decimal:
    """How far along a child is: its percentage of its own target, else its figure."""
    if figure.percent_achieved is not None:
        return figure.percent_achieved
    return figure.actual if figure.actual is not None else Decimal(0)


def furthest_behind(indicator: IndicatorReport, limit: int = BEHIND_SHOWN) -> list[Figure]:
    """The children that do not meet their target, furthest from it first (ties by name)."""
    behind = [c for c in indicator.children if c.actual is not None and c.status in UNMET_STATUSES]
    behind.sort(key=lambda c: (_progress(c), c.name))
    return behind[:limit]


def _unit_with_figure(child: Figure, indicator: IndicatorReport) -> str:
    """CĐCS A (50 %); Đông Hà (1.200 đoàn viên, chỉ tiêu 3.960 đoàn viên) when its target is its own."""
    shown = _amount(child.actual, indicator)
    if child.target is not None and child.target != indicator.figure.target:
        shown += f", chỉ tiêu {target_phrase(child, indicator)}"
    return f"{child.name} ({shown})"


# --- the three sections -------------------------------------------------------------------


def group_of(indicator: IndicatorReport) -> str:
    """The group an indicator belongs to in the program: the number its code starts with (4 of 4.1, 1 of 1.2a)."""
    head = indicator.code.split(".", 1)[0]
    digits = "".join(ch for ch in head if ch.isdigit()) if head[:1].isdigit() else ""
    return digits or head


def _groups(indicators: Iterable[IndicatorReport]) -> list[tuple[str, list[IndicatorReport]]]:
    groups: dict[str, list[IndicatorReport]] = {}
    for indicator in indicators:
        groups.setdefault(group_of(indicator), []).append(indicator)
    return list(groups.items())


def _status_counts(figures: Iterable[Figure]) -> str:
    """1 đạt, 2 không đạt: the statuses that occur, in the legend's order."""
    counts: dict[str, int] = {}
    for figure in figures:
        word = status_word(figure)
        counts[word] = counts.get(word, 0) + 1
    ordered = sorted(counts.items(), key=lambda item: _word_rank(item[0]))
    return ", ".join(f"{count} {word.lower()}" for word, count in ordered)


def _word_rank(word: str) -> int:
    words = list(_status_words().values())
    return words.index(word) if word in words else len(words)


def _silent_units(data: ReportData) -> list[str]:
    """The children that have not reported on any indicator they have a figure for."""
    counted = [ind for ind in data.indicators if coverage_of(ind, data) is not None]
    if not counted:
        return []
    silent = set.intersection(*(set(coverage_of(ind, data).missing) for ind in counted))
    return [child["name"] for child in data.children if child["name"] in silent]


def draft_results(data: ReportData, tasks: Sequence[TaskLine] | None = None) -> str:
    """Section I: one paragraph per group of indicators (the summary's counts follow it in the report)."""
    if not data.indicators:
        return "Chương trình chưa có chỉ tiêu tính bằng số liệu."
    lines = ["Kết quả thực hiện các chỉ tiêu theo từng nhóm như sau:"]
    for key, indicators in _groups(data.indicators):
        lines.append("")
        if len(indicators) > 1:
            counts = _status_counts(ind.figure for ind in indicators)
            lines.append(f"Nhóm chỉ tiêu {key} ({len(indicators)} chỉ tiêu: {counts}):")
        lines.extend(f"- {ind.code}. {indicator_sentence(ind)}" for ind in indicators)
    if tasks:
        lines.extend(["", *task_lines(tasks)])
    return "\n".join(lines)


def task_lines(tasks: Sequence[TaskLine]) -> list[str]:
    """Hook (issue 12 point 8): the tasks of the program and their results, by section of tasks."""
    lines = ["Kết quả thực hiện các nhiệm vụ, giải pháp:"]
    section = None
    for task in tasks:
        if task.section and task.section != section:
            section = task.section
            lines.append(f"{section}:")
        result = f" {task.result.strip()}" if task.result.strip() else ""
        end = "" if result.endswith((".", "!", "?")) else "."
        lines.append(f"- {task.title}: {task.status}.{result}{end if result else ''}")
    return lines


def _unmet(data: ReportData) -> list[IndicatorReport]:
    return [ind for ind in data.indicators if ind.figure.status in UNMET_STATUSES]


def _under_reported(data: ReportData) -> list[tuple[IndicatorReport, Coverage | None]]:
    """The indicators without a figure of their own, or whose figure lacks some units' reports."""
    found = []
    for ind in data.indicators:
        coverage = coverage_of(ind, data)
        no_figure = ind.figure.status in UNDER_REPORTED_STATUSES and ind.figure.actual is None
        if no_figure or ind.figure.status == "insufficient" or (coverage and coverage.unreported):
            found.append((ind, coverage))
    return found


def draft_shortcomings(data: ReportData) -> str:
    """Section II: the unmet indicators with the units furthest behind, then what was not reported."""
    unmet, under, silent = _unmet(data), _under_reported(data), _silent_units(data)
    if not unmet and not under:
        return "Các chỉ tiêu đều đạt hoặc đúng tiến độ; các đơn vị trực thuộc đã báo cáo đầy đủ số liệu."
    paragraphs = []
    if unmet:
        lines = [f"{len(unmet)} chỉ tiêu chưa đạt hoặc có nguy cơ không đạt:"]
        for ind in unmet:
            line = f"- {ind.code}. {indicator_sentence(ind)}"
            if behind := furthest_behind(ind):
                shown = "; ".join(_unit_with_figure(child, ind) for child in behind)
                line += f" Các đơn vị còn xa chỉ tiêu nhất: {shown}."
            lines.append(line)
        paragraphs.append(lines)
    if under:
        lines = [f"{len(under)} chỉ tiêu có đơn vị chưa báo cáo:"]
        for ind, coverage in under:
            if coverage and coverage.unreported:
                count = f"{vn_number(coverage.unreported)}/{vn_number(coverage.expected)}"
                behind = f" ({coverage.behind_words()})" if coverage.gaps else ""
                lines.append(f"- {ind.code}. {subject_of(ind)}: {count} đơn vị chưa báo cáo{behind}.")
            elif ind.figure.actual is not None:  # a figure over too few reports ("Chưa đủ số liệu")
                lines.append(f"- {ind.code}. {indicator_sentence(ind)}")
            else:
                lines.append(f"- {ind.code}. {subject_of(ind)}: chưa có số liệu.")
        paragraphs.append(lines)
    if silent:
        count = f"{len(silent)}/{len(data.children)}"
        paragraphs.append([f"Đơn vị chưa báo cáo số liệu kỳ này ({count}): {names(silent)}."])
    return "\n\n".join("\n".join(lines) for lines in paragraphs)


def draft_directions(data: ReportData) -> str:
    """Section III: one recommendation per unmet indicator, the reports still due, then the program."""
    lines = []
    for ind in _unmet(data):
        figure = ind.figure
        line = f"- {ind.code}. {subject_of(ind)}: phấn đấu đạt chỉ tiêu {target_phrase(figure, ind)}"
        line += f" (hiện đạt {_amount(figure.actual, ind)})"
        behind = furthest_behind(ind)
        if behind:
            line += f", tập trung chỉ đạo {names([child.name for child in behind])}"
        lines.append(line + ".")
    silent = _silent_units(data)
    if silent:
        lines.append(f"- Đôn đốc {len(silent)} đơn vị chưa báo cáo hoàn thành báo cáo số liệu.")
    lines.append("- Tiếp tục triển khai các nhiệm vụ, giải pháp của chương trình; duy trì kết quả các chỉ tiêu đã đạt.")
    return "\n".join(lines)


def draft(data: ReportData, *, tasks: Sequence[TaskLine] | None = None) -> dict[str, str]:
    """The three drafted sections of the report, keyed as SECTIONS."""
    return {
        "results": draft_results(data, tasks),
        "shortcomings": draft_shortcomings(data),
        "directions": draft_directions(data),
    }


def drafted_texts(data: ReportData) -> dict[str, SectionText]:
    """The three sections as drafted, none edited: what a report reads before anyone edits it."""
    return {section: SectionText(section=section, text=text, draft=text) for section, text in draft(data).items()}
