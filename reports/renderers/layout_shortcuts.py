"""Four of WeasyPrint's questions per box answered with fewer steps, the same answers (WeasyPrint 70).

A district's report lays out about 3,000 boxes in its annex alone (a cell, its line, its text, ×910),
and WeasyPrint asks each of them the same few questions through layers of small functions:

- `strut(style)`, the height and baseline of an empty line in a style, twice or three times per line
  box: WeasyPrint keeps the answer per font configuration under a key it builds each time as the text
  of a tuple of fourteen style values. The answer depends only on the style, and boxes share their
  computed style (a column's cells have one): it is kept on the style itself here, so the key is
  built once per style. A copied style (`style.copy()`) does not carry it over.
- `get_font_description(style)`, the Pango font description of a style, built afresh (seven calls into
  Pango) for each Pango layout WeasyPrint makes, twice per line of text (to lay it out, to draw it).
  Pango copies the description into the layout, nothing else changes it: it is kept on the style too.
- `Box.is_in_normal_flow()`, asked of each box several times as blocks and lines are laid out: five
  methods each reading the style again; here one reading of `float` and `position`.
- `resolve_percentages(box, containing_block)`, once per box and layout pass: 15 calls of
  `resolve_one_percentage` and `percentage`, each finding the unit of a value; here lengths in px and
  percentages, nearly all there is, are read directly, and anything else (calc(), `auto`) goes to
  WeasyPrint's `percentage`.

tests/reports/test_pdf_written_once.py checks that a page and a report are the same file either way.
"""

from __future__ import annotations

from math import inf

import weasyprint
from weasyprint.formatting_structure import boxes
from weasyprint.layout import absolute, block, column, grid, inline, page, percent, table
from weasyprint.layout import float as floats
from weasyprint.text import line_break

SUPPORTED_MAJOR = "70"
weasyprint_strut = line_break.strut
weasyprint_get_font_description = line_break.get_font_description
weasyprint_is_in_normal_flow = boxes.Box.is_in_normal_flow
weasyprint_resolve_percentages = percent.resolve_percentages
# The modules that call these by the name they imported (flex.py calls percent.resolve_percentages).
STRUT_CALLERS = (inline,)
PERCENT_CALLERS = (absolute, block, column, floats, grid, inline, page, percent, table)
# The values of `float` and `position` that take a box out of the normal flow (boxes.py's five methods).
FLOATED = frozenset({"left", "right", "inline-start", "inline-end", "footnote"})
POSITIONED = frozenset({"absolute", "fixed"})
FUNCTIONAL = frozenset({"running()", "note()"})


def strut(style) -> tuple[float, float]:
    try:
        return style.kept_strut
    except AttributeError:
        style.kept_strut = weasyprint_strut(style)
        return style.kept_strut


def get_font_description(style):
    try:
        return style.kept_font_description
    except AttributeError:
        style.kept_font_description = weasyprint_get_font_description(style)
        return style.kept_font_description


def is_in_normal_flow(box) -> bool:
    style = box.style
    position = style["position"]
    return not (style["float"] in FLOATED or position in POSITIONED or position[0] in FUNCTIONAL)


def _used(value, style, refer_to):
    # percentage(): px and % read here, the rest (auto, None, calc()) as WeasyPrint reads it.
    unit = getattr(value, "unit", None)
    if unit == "px":
        return value.value
    if unit == "%":
        return refer_to * value.value / 100
    return percent.percentage(value, style, refer_to)


def resolve_percentages(box, containing_block) -> None:
    """WeasyPrint's resolve_percentages (layout/percent.py), step for step."""
    if isinstance(containing_block, boxes.Box):
        cb_width, cb_height = containing_block.width, containing_block.height
    else:
        cb_width, cb_height = containing_block
    maybe_height = cb_height if isinstance(box, boxes.PageBox) else cb_width
    style = box.style
    box.margin_left = _used(style["margin_left"], style, cb_width)
    box.margin_right = _used(style["margin_right"], style, cb_width)
    box.margin_top = _used(style["margin_top"], style, maybe_height)
    box.margin_bottom = _used(style["margin_bottom"], style, maybe_height)
    box.padding_left = _used(style["padding_left"], style, cb_width)
    box.padding_right = _used(style["padding_right"], style, cb_width)
    box.padding_top = _used(style["padding_top"], style, maybe_height)
    box.padding_bottom = _used(style["padding_bottom"], style, maybe_height)
    box.width = _used(style["width"], style, cb_width)
    box.min_width = _at_least_zero(_used(style["min_width"], style, cb_width))
    box.max_width = _used(style["max_width"], style, cb_width)
    if cb_height == "auto":
        # The containing block's height depends on its content.
        height = style["height"]
        if height == "auto" or percent.check_math(height) or height.unit == "%":
            box.height = "auto"
        else:
            assert height.unit.lower() == "px"  # noqa: S101 - WeasyPrint's own check
            box.height = height.value
        box.min_height = _at_least_zero(_used(style["min_height"], style, 0))
        box.max_height = _used(style["max_height"], style, inf)
    else:
        box.height = _used(style["height"], style, cb_height)
        box.min_height = _at_least_zero(_used(style["min_height"], style, cb_height))
        box.max_height = _used(style["max_height"], style, cb_height)
    collapse = style["border_collapse"] == "collapse"
    for side in ("top", "right", "bottom", "left"):
        name = f"border_{side}_width"
        # A collapsed border's width was set when the table's borders were resolved.
        if not (collapse and hasattr(box, name)):
            setattr(box, name, style[name])
    percent.adjust_box_sizing(box, "width")
    percent.adjust_box_sizing(box, "height")


def _at_least_zero(value):
    return 0 if value == "auto" else value


def install() -> bool:
    """Use the four from now on, if this WeasyPrint is the one they were written against."""
    if weasyprint.__version__.split(".")[0] != SUPPORTED_MAJOR:
        return False
    _use(strut, get_font_description, is_in_normal_flow, resolve_percentages)
    return True


def uninstall() -> None:
    _use(
        weasyprint_strut, weasyprint_get_font_description, weasyprint_is_in_normal_flow, weasyprint_resolve_percentages
    )


def _use(strut_function, description_function, normal_flow_method, percentages_function) -> None:
    for module in STRUT_CALLERS:
        module.strut = strut_function
    line_break.get_font_description = description_function  # Layout.setup's name for it
    boxes.Box.is_in_normal_flow = normal_flow_method
    for module in PERCENT_CALLERS:
        module.resolve_percentages = percentages_function
