"""A table cell of one line laid out once per report for its content, style and place in its column (WeasyPrint 70).

A district's annex has about 900 cells of figures, and most of them say the same thing as others in their
column: "0", "100", "–" in the same colour. For each, WeasyPrint's `block_container_layout` lays the cell
out in full — the cell's block, its line box (white space, the inline split, the text, its alignment, its
vertical metrics), each step a few layers of small functions — for the same answer. Nothing of that answer
depends on the cell's height on the page but its vertical positions, and WeasyPrint computes those from
the cell's top in a few additions. So the first cell of a kind is laid out by WeasyPrint; the next one whose
boxes hold the same values (the same style objects, text, widths, paddings, borders, the same x: same
column), gets a copy of that layout with its own elements and the vertical positions WeasyPrint's own
additions give at its place: the cell's content top, its line there, the text box at the line's top plus the
text's offset, the cell's height from the line's bottom. Before a kind is kept, its first layout is checked
against those additions; a cell whose line would overflow the page at its place, or any other shape (two
lines, an inline element, a float, a split cell), goes to WeasyPrint's function. A header row laid out again
on each page is a copy too: what the earlier layout left on its boxes (their place, their resolved lengths)
is what WeasyPrint writes again before it reads it.

The layouts are kept on WeasyPrint's layout context, one report's layout, never from one report to the next.
tests/reports/test_pdf_table_cells.py checks that a report is the same file either way.
"""

from __future__ import annotations

import weasyprint
from weasyprint.formatting_structure import boxes
from weasyprint.layout import block
from weasyprint.layout.block import collapse_margin
from weasyprint.text.line_break import Layout

SUPPORTED_MAJOR = "70"
weasyprint_block_container_layout = block.block_container_layout

# What differs between two cells of the same kind before their layout: their elements, their height on
# the page (position_y), and the set of sides WeasyPrint resets on each copy (copy_with_children).
OWN = frozenset({"element", "element_tag", "position_y", "children", "remove_decoration_sides"})
UNUSABLE = object()
MUTABLE = (list, dict, set)
MASK = dict.fromkeys(OWN, UNUSABLE)  # a box's own values, left out when two boxes' values are compared


class _Kind:
    """A cell's layout as WeasyPrint gave it, what its boxes held before, and what WeasyPrint wrote on them."""

    __slots__ = ("cell_before", "line_before", "text_before", "line_mask", "text_mask", "line_scratch")
    __slots__ += ("text_scratch", "own", "cell", "page")

    def __init__(self, before: tuple, line_scratch: dict, text_scratch: dict, cell, page) -> None:
        cell_before, line_before, text_before = before
        self.line_scratch, self.text_scratch = line_scratch, text_scratch
        # What an earlier layout of the same boxes (a header laid out on each page, a row tried at the foot of
        # a page) leaves on them, WeasyPrint writes again before it reads it: not compared.
        self.line_mask = dict.fromkeys(OWN | line_scratch.keys(), UNUSABLE)
        self.text_mask = dict.fromkeys(OWN | text_scratch.keys(), UNUSABLE)
        self.cell_before = {**cell_before, **MASK}
        self.line_before = {**line_before, **self.line_mask}
        self.text_before = {**text_before, **self.text_mask}
        # The names of each box's own lists and sets (its string-set…), which its copy carries.
        self.own = tuple(
            tuple(name for name, value in values.items() if type(value) in MUTABLE and name not in left_out)
            for values, left_out in zip(before, (OWN, self.line_mask, self.text_mask), strict=True)
        )
        self.cell = cell
        self.page = page  # the page name block_container_layout answers (the table does not read it)


def _shape(cell):
    """The line box and text box of a cell made of one line of plain text, or None."""
    children = cell.children
    if len(children) != 1 or type(children[0]) is not boxes.LineBox:
        return None
    line = children[0]
    if len(line.children) != 1 or type(line.children[0]) is not boxes.TextBox:
        return None
    return line, line.children[0]


def _written(before: dict, after: dict) -> dict:
    """What a layout wrote on a box it was given, but for the box's own values."""
    return {
        name: value
        for name, value in after.items()
        if name not in OWN and (name not in before or before[name] != value)
    }


def block_container_layout(
    context,
    box,
    bottom_space,
    skip_stack,
    page_is_empty,
    absolute_boxes,
    fixed_boxes,
    adjoining_margins,
    first_letter_style,
    first_line_style,
    discard,
    max_lines,
):
    arguments = (
        context,
        box,
        bottom_space,
        skip_stack,
        page_is_empty,
        absolute_boxes,
        fixed_boxes,
        adjoining_margins,
        first_letter_style,
        first_line_style,
        discard,
        max_lines,
    )
    if (
        type(box) is not boxes.TableCellBox
        or skip_stack is not None
        or adjoining_margins is not None
        or first_letter_style is not None
        or first_line_style is not None
        or discard
        or max_lines is not None
        or context.footnotes
    ):
        return weasyprint_block_container_layout(*arguments)
    shape = _shape(box)
    if shape is None:
        return weasyprint_block_container_layout(*arguments)
    line, text = shape
    try:
        kept = context.kept_cells
    except AttributeError:
        kept = context.kept_cells = {}
    key = (id(box.style), text.text, box.position_x, box.width)
    kind = kept.get(key)
    if kind is None:
        return _first(kept, key, arguments, box, line, text)
    if type(kind) is tuple:
        kind = kept[key] = _settled(kind)
    if kind is UNUSABLE or not _same(kind, box, line, text):
        return weasyprint_block_container_layout(*arguments)
    return _copy(context, kind, box, line, text, bottom_space) or weasyprint_block_container_layout(*arguments)


def _first(kept, key, arguments, cell, line, text):
    """WeasyPrint's layout of the first cell of its kind, kept as it is (most cells are the only one of their
    kind: the ordinals, the names): `_settled` makes a kind of it if a second one comes."""
    if "position_y" in line.__dict__:  # laid out before (a row moved to the next page): not a first
        return weasyprint_block_container_layout(*arguments)
    top = cell.position_y
    before = (cell.__dict__.copy(), line.__dict__.copy(), text.__dict__.copy())
    answer = weasyprint_block_container_layout(*arguments)
    new_cell, resume_at = answer[0], answer[1]
    if new_cell is None or resume_at is not None:  # at the foot of a page: the next one of its kind is a first
        return answer
    kept[key] = UNUSABLE
    if _shape(new_cell) is None or {**cell.__dict__, **MASK} != {**before[0], **MASK}:
        return answer
    new_line, new_text = _shape(new_cell)
    if new_text.style["vertical_align"] != "baseline" or new_line.margin_top != 0:
        return answer
    # The layout as WeasyPrint answered it (the table changes the cell it gets back), where it placed it, and
    # what it wrote on the line and text boxes it was given.
    placed = (new_cell.position_y, new_cell.height, new_line.position_y, new_text.position_y)
    after = (line.__dict__.copy(), text.__dict__.copy())
    kept[key] = (top, before, after, new_cell.deepcopy(), placed, answer[2]["page"])
    return answer


def _settled(first: tuple):
    """The kind of a cell laid out once before, if its vertical positions are those `_placed` gives and what
    WeasyPrint wrote on the boxes it was given is the same wherever the cell is; else UNUSABLE."""
    top, before, (line_after, text_after), cell, placed, page = first
    kind = _Kind(before, _written(before[1], line_after), _written(before[2], text_after), cell, page)
    again = _placed(kind, top)
    line = again.children[0]
    if (again.position_y, again.height, line.position_y, line.children[0].position_y) != placed:
        return UNUSABLE
    if line_after.get("position_y") != placed[2] or text_after.get("position_y") != placed[2]:
        return UNUSABLE
    return kind


def _same(kind: _Kind, cell, line, text) -> bool:
    return (
        cell.style is kind.cell.style
        and {**cell.__dict__, **MASK} == kind.cell_before
        and {**text.__dict__, **kind.text_mask} == kind.text_before
        and {**line.__dict__, **kind.line_mask} == kind.line_before
    )


def _placed(kind: _Kind, top):
    """The kept layout at `top`, each vertical position by WeasyPrint's own arithmetic
    (block_container_layout, get_next_linebox, inline_box_verticality)."""
    kept_line = kind.cell.children[0]
    cell, line, text = kind.cell.copy(), kept_line.copy(), kept_line.children[0].copy()
    cell.position_y = top + (collapse_margin([cell.margin_top]) - cell.margin_top)
    content_top = cell.content_box_y()
    line.position_y = content_top
    # The text's top on a baseline at 0, moved by the line's offset (the line's top is at -baseline).
    text.position_y = (0 - text.baseline) + (content_top - (-line.baseline))
    line.children = [text]
    cell.children = [line]
    bottom = content_top + line.height + collapse_margin([])
    cell.height = max(0, bottom - cell.content_box_y())
    cell.height = max(min(cell.height, cell.max_height), cell.min_height)
    return cell


def _copy(context, kind: _Kind, cell, line, text, bottom_space):
    """The kept layout placed for `cell`, with its own elements; None when its line would overflow the page."""
    placed = _placed(kind, cell.position_y)
    new_line = placed.children[0]
    # _linebox_layout's checks of the page's bottom: a line that may overflow goes to WeasyPrint.
    line_bottom = new_line.position_y + new_line.height
    if context.overflows_page(bottom_space, line_bottom) or context.overflows_page(
        bottom_space, line_bottom + (cell.border_bottom_width + cell.padding_bottom)
    ):
        return None
    new_text = new_line.children[0]
    for copy, given, names in zip((placed, new_line, new_text), (cell, line, text), kind.own, strict=True):
        copy.element, copy.element_tag = given.element, given.element_tag
        for name in names:
            copy.__dict__[name] = given.__dict__[name]
    # A layout of its own for the text, drawn from its own style.
    layout = Layout.__new__(Layout)
    layout.__dict__.update(new_text.pango_layout.__dict__)
    new_text.pango_layout = layout
    # What WeasyPrint leaves on the boxes it was given: the sides reset on the cell and line it copied
    # (copy_with_children), the line's and the text's place and resolved lengths.
    placed.remove_decoration_sides, cell.remove_decoration_sides = cell.remove_decoration_sides, set()
    new_line.remove_decoration_sides, line.remove_decoration_sides = line.remove_decoration_sides, set()
    new_text.remove_decoration_sides = text.remove_decoration_sides
    line.__dict__.update(kind.line_scratch)
    text.__dict__.update(kind.text_scratch)
    line.position_y = text.position_y = new_line.position_y
    return placed, None, {"break": "any", "page": kind.page}, [], False, None


def install() -> bool:
    """Lay out table cells with `block_container_layout` from now on, if this WeasyPrint is the one it was
    written against."""
    if weasyprint.__version__.split(".")[0] != SUPPORTED_MAJOR:
        return False
    block.block_container_layout = block_container_layout
    return True


def uninstall() -> None:
    block.block_container_layout = weasyprint_block_container_layout
