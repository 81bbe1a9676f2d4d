"""Five of WeasyPrint's questions per box answered with fewer steps, the same answers, and its walk through
a page's boxes without a generator per box (WeasyPrint 70).

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
  WeasyPrint's `percentage`. What does not depend on the containing block (lengths in px, the border
  widths, whether `box-sizing` changes anything) is worked out once per style and kept on it: a
  district's report makes ~4,800 calls over ~210 styles (26 → 13 ms replayed on the same boxes).
- `layout_box_backgrounds(page, box)`, once per box of each page: WeasyPrint looks up the style's
  border image, mask, images, colour and shadow, and the four corners' radii, to find that nearly every
  box paints nothing. Whether a style paints nothing, with square corners, is kept on the style; such
  a box gets WeasyPrint's answer (square corners, no background) at once (25 → 6 ms per report).

tests/reports/test_pdf_written_once.py checks that a page and a report are the same file either way.
"""

from __future__ import annotations

from math import inf

import weasyprint
from weasyprint.draw.color import get_color
from weasyprint.formatting_structure import boxes
from weasyprint.layout import absolute, background, block, column, grid, inline, page, percent, table
from weasyprint.layout import float as floats
from weasyprint.text import line_break

SUPPORTED_MAJOR = "70"
weasyprint_strut = line_break.strut
weasyprint_get_font_description = line_break.get_font_description
weasyprint_is_in_normal_flow = boxes.Box.is_in_normal_flow
weasyprint_resolve_percentages = percent.resolve_percentages
weasyprint_layout_box_backgrounds = background.layout_box_backgrounds
weasyprint_descendants = boxes.Box.descendants
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


# The properties resolve_percentages reads against the containing block's width, and those it reads against
# its width or, for a page, its height (layout/percent.py).
BY_WIDTH = ("margin_left", "margin_right", "padding_left", "padding_right", "width", "min_width", "max_width")
BY_HEIGHT = ("margin_top", "margin_bottom", "padding_top", "padding_bottom")
BORDERS = ("border_top_width", "border_right_width", "border_bottom_width", "border_left_width")


def _percent_plan(style) -> tuple:
    """What resolve_percentages writes for this style whatever the containing block (lengths in px, the
    border widths), and what it has to work out each time (percentages, `auto`, calc())."""
    fixed, by_width, by_height = {}, [], []
    for names, varying in ((BY_WIDTH, by_width), (BY_HEIGHT, by_height)):
        for name in names:
            value = style[name]
            if getattr(value, "unit", None) == "px":
                fixed[name] = value.value
            else:
                varying.append((name, value, name == "min_width"))
    borders = {name: style[name] for name in BORDERS}
    sized = style["box_sizing"] != "content-box"  # adjust_box_sizing changes nothing for content-box
    return fixed, tuple(by_width), tuple(by_height), borders, style["border_collapse"] == "collapse", sized


def resolve_percentages(box, containing_block) -> None:
    """WeasyPrint's resolve_percentages (layout/percent.py), step for step; what does not depend on the
    containing block is worked out once per style (kept on it, as `strut` above)."""
    if isinstance(containing_block, boxes.Box):
        cb_width, cb_height = containing_block.width, containing_block.height
    else:
        cb_width, cb_height = containing_block
    style = box.style
    try:
        fixed, by_width, by_height, borders, collapse, sized = style.kept_percent_plan
    except AttributeError:
        style.kept_percent_plan = _percent_plan(style)
        fixed, by_width, by_height, borders, collapse, sized = style.kept_percent_plan
    box.__dict__.update(fixed)
    for name, value, at_least_zero in by_width:
        used = _used(value, style, cb_width)
        setattr(box, name, _at_least_zero(used) if at_least_zero else used)
    if by_height:
        maybe_height = cb_height if isinstance(box, boxes.PageBox) else cb_width
        for name, value, _ in by_height:
            setattr(box, name, _used(value, style, maybe_height))
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
    if collapse:
        # A collapsed border's width was set when the table's borders were resolved.
        for name, width in borders.items():
            if not hasattr(box, name):
                setattr(box, name, width)
    else:
        box.__dict__.update(borders)
    if sized:
        percent.adjust_box_sizing(box, "width")
        percent.adjust_box_sizing(box, "height")


def _at_least_zero(value):
    return 0 if value == "auto" else value


CORNERS = (
    "border_top_left_radius",
    "border_top_right_radius",
    "border_bottom_right_radius",
    "border_bottom_left_radius",
)
SQUARE = (0, "px")


def _nothing_painted(style) -> bool:
    """Whether WeasyPrint's layout_box_backgrounds gives a box of this style no background (no colour, no
    image, no shadow, no border image or mask) and square corners, whatever the box."""
    if style["border_image_source"][0] != "none" or style["mask_border_source"][0] != "none":
        return False
    if style["box_shadow"]:
        return False
    if not all(SQUARE in style[corner] for corner in CORNERS):
        return False
    if style["visibility"] == "hidden":
        return True
    if any(kind == "url" or value for kind, value in style["background_image"]):
        return False
    return get_color(style, "background_color").alpha == 0


def layout_box_backgrounds(page_box, box, get_image_from_uri, layout_children=True, style=None):
    """WeasyPrint's layout_box_backgrounds (layout/background.py): a box whose style paints nothing gets
    its square corners and no background, as there, without the style's images and colour looked up
    again for each box; its children as ever. The page and anything painted go to WeasyPrint's function."""
    if style is not None or box is page_box:
        return weasyprint_layout_box_backgrounds(page_box, box, get_image_from_uri, layout_children, style)
    box_style = box.style
    try:
        plain = box_style.kept_nothing_painted
    except AttributeError:
        plain = box_style.kept_nothing_painted = _nothing_painted(box_style)
    if not plain:
        return weasyprint_layout_box_backgrounds(page_box, box, get_image_from_uri, layout_children, style)
    box.border_top_left_radius = box.border_top_right_radius = (0, 0)
    box.border_bottom_right_radius = box.border_bottom_left_radius = (0, 0)
    if layout_children:
        for child in box.all_children():
            layout_box_backgrounds(page_box, child, get_image_from_uri)
    box.background = None
    return None


def descendants(self, placeholders=False):
    """Box.descendants, the same boxes in the same order, walked with a stack of the children being gone
    through instead of a generator per box (each box yielded through every generator above it: a page of
    the annex is ten deep). WeasyPrint walks each page's boxes twice (its anchors' placeholders, its
    bookmarks and string-sets). A child that is not a box (an absolute box's placeholder) answers for itself."""
    yield self
    stack = [iter(self.children)]
    while stack:
        for child in stack[-1]:
            if isinstance(child, boxes.Box):
                yield child
                stack.append(iter(child.children))
                break
            if placeholders:
                yield from child.descendants(placeholders)
            else:
                yield child
        else:
            stack.pop()


def install() -> bool:
    """Use the six from now on, if this WeasyPrint is the one they were written against."""
    if weasyprint.__version__.split(".")[0] != SUPPORTED_MAJOR:
        return False
    _use(strut, get_font_description, is_in_normal_flow, resolve_percentages, layout_box_backgrounds)
    boxes.Box.descendants = descendants
    return True


def uninstall() -> None:
    _use(
        weasyprint_strut,
        weasyprint_get_font_description,
        weasyprint_is_in_normal_flow,
        weasyprint_resolve_percentages,
        weasyprint_layout_box_backgrounds,
    )
    boxes.Box.descendants = weasyprint_descendants


def _use(strut_function, description_function, normal_flow_method, percentages_function, backgrounds_function) -> None:
    for module in STRUT_CALLERS:
        module.strut = strut_function
    line_break.get_font_description = description_function  # Layout.setup's name for it
    boxes.Box.is_in_normal_flow = normal_flow_method
    for module in PERCENT_CALLERS:
        module.resolve_percentages = percentages_function
    background.layout_box_backgrounds = backgrounds_function
