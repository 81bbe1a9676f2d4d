"""A table's collapsed borders resolved with each style's four sides looked up once (WeasyPrint 70).

With `border-collapse: collapse`, WeasyPrint's `collapse_table_borders` (layout/table.py), called once per
table as its boxes are built, resolves the conflict of every side of every cell, row, row group, column and
of the table, each through `set_one_border`: three style lookups, two of them under a key formatted afresh,
the colour resolved, the score built — about 7,000 times for a district's annex (91 rows × 10 columns), the
same few styles over and over. Here each style's four sides (their score and their border) are worked out
once and kept on the style, and the grid is filled in WeasyPrint's order with WeasyPrint's rule (a side wins
only over a strictly lower score, so the earlier one wins a tie): the same grid, the same used widths on
every box. A box whose four sides are `none` is passed over: its score is the grid's lowest and can win
nothing. A right-to-left table goes to WeasyPrint's function.
tests/reports/test_pdf_table_cells.py checks that the grid and a report are the same either way.
"""

from __future__ import annotations

import weasyprint
from weasyprint.draw.color import get_color
from weasyprint.formatting_structure import build
from weasyprint.layout.table import TRANSPARENT
from weasyprint.layout.table import collapse_table_borders as weasyprint_collapse_table_borders

SUPPORTED_MAJOR = "70"
# WeasyPrint's order of border styles, the last the weakest (layout/table.py).
STYLE_SCORES = {
    style: score
    for score, style in enumerate(
        reversed(["hidden", "double", "solid", "dashed", "dotted", "ridge", "outset", "groove", "inset", "none"])
    )
}
STYLE_MAP = {"inset": "ridge", "outset": "groove"}
SIDES = ("top", "right", "bottom", "left")


def _sides(style) -> tuple | None:
    """(top, right, bottom, left) as WeasyPrint's set_one_border scores and stores them; None when all four
    are `none` (they cannot win any side of the grid). Kept on the style."""
    try:
        return style.kept_collapsed_sides
    except AttributeError:
        pass
    sides = []
    for side in SIDES:
        name = style[f"border_{side}_style"]
        width = style[f"border_{side}_width"]
        color = get_color(style, f"border_{side}_color")
        score = (1 if name == "hidden" else 0, width, STYLE_SCORES[name])
        sides.append((score, (STYLE_MAP.get(name, name), width, color)))
    none = all(style[f"border_{side}_style"] == "none" for side in SIDES)
    style.kept_collapsed_sides = None if none else tuple(sides)
    return style.kept_collapsed_sides


def _set(grid_row, x, entry) -> None:
    if grid_row[x][0] < entry[0]:
        grid_row[x] = entry


def _set_borders(vertical, horizontal, box, x, y, w, h) -> None:
    sides = _sides(box.style)
    if sides is None:
        return
    top, right, bottom, left = sides
    for yy in range(y, y + h):
        row = vertical[yy]
        _set(row, x, left)
        _set(row, x + w, right)
    top_row, bottom_row = horizontal[y], horizontal[y + h]
    for xx in range(x, x + w):
        _set(top_row, xx, top)
        _set(bottom_row, xx, bottom)


def collapse_table_borders(table, grid_width, grid_height):
    """WeasyPrint's collapse_table_borders for a left-to-right table, step for step."""
    if not (grid_width and grid_height) or table.style["direction"] != "ltr":
        return weasyprint_collapse_table_borders(table, grid_width, grid_height)
    weak_null_border = ((0, 0, STYLE_SCORES["none"]), ("none", 0, TRANSPARENT))
    vertical = [[weak_null_border] * (grid_width + 1) for _ in range(grid_height)]
    horizontal = [[weak_null_border] * grid_width for _ in range(grid_height + 1)]
    strong_null_border = ((1, 0, STYLE_SCORES["hidden"]), ("hidden", 0, TRANSPARENT))
    groups = table.children
    # The cells (a spanning cell's inner sides forced to nothing), then the rows, the row groups, the
    # columns, the column groups and the table: the earlier wins a tie.
    grid_y = 0
    for row_group in groups:
        for row in row_group.children:
            for cell in row.children:
                grid_x, colspan, rowspan = cell.grid_x, cell.colspan, cell.rowspan
                for xx in range(grid_x + 1, grid_x + colspan):
                    for yy in range(grid_y, grid_y + rowspan):
                        vertical[yy][xx] = strong_null_border
                for xx in range(grid_x, grid_x + colspan):
                    for yy in range(grid_y + 1, grid_y + rowspan):
                        horizontal[yy][xx] = strong_null_border
                _set_borders(vertical, horizontal, cell, grid_x, grid_y, colspan, rowspan)
            grid_y += 1
    grid_y = 0
    for row_group in groups:
        for row in row_group.children:
            _set_borders(vertical, horizontal, row, 0, grid_y, grid_width, 1)
            grid_y += 1
    grid_y = 0
    for row_group in groups:
        rowspan = len(row_group.children)
        _set_borders(vertical, horizontal, row_group, 0, grid_y, grid_width, rowspan)
        grid_y += rowspan
    for column_group in table.column_groups:
        for column in column_group.children:
            _set_borders(vertical, horizontal, column, column.grid_x, 0, 1, grid_height)
    for column_group in table.column_groups:
        _set_borders(vertical, horizontal, column_group, column_group.grid_x, 0, column_group.span, grid_height)
    _set_borders(vertical, horizontal, table, 0, 0, grid_width, grid_height)
    _used_widths(table, vertical, horizontal, grid_width, grid_height)
    return vertical, horizontal


def _used_widths(table, vertical, horizontal, grid_width, grid_height) -> None:
    """The widths WeasyPrint's second pass sets on each box: half the widest border of each side."""

    def vertical_width(x, y1, y2):
        return max(grid_row[x][1][1] for grid_row in vertical[y1:y2])

    def horizontal_width(x1, y, x2):
        return max(width for _, (_, width, _) in horizontal[y][x1:x2])

    grid_y = 0
    for row_group in table.children:
        _no_borders(row_group)
        for row in row_group.children:
            _no_borders(row)
            for cell in row.children:
                x, colspan, rowspan = cell.grid_x, cell.colspan, cell.rowspan
                if colspan == rowspan == 1:
                    cell.border_top_width = horizontal[grid_y][x][1][1] / 2
                    cell.border_bottom_width = horizontal[grid_y + 1][x][1][1] / 2
                    cell.border_left_width = vertical[grid_y][x][1][1] / 2
                    cell.border_right_width = vertical[grid_y][x + 1][1][1] / 2
                else:
                    cell.border_top_width = horizontal_width(x, grid_y, x + colspan) / 2
                    cell.border_bottom_width = horizontal_width(x, grid_y + rowspan, x + colspan) / 2
                    cell.border_left_width = vertical_width(x, grid_y, grid_y + rowspan) / 2
                    cell.border_right_width = vertical_width(x + colspan, grid_y, grid_y + rowspan) / 2
            grid_y += 1
    for column_group in table.column_groups:
        _no_borders(column_group)
        for column in column_group.children:
            _no_borders(column)
    table.border_top_width = horizontal_width(0, 0, grid_width) / 2
    table.border_bottom_width = horizontal_width(0, grid_height, grid_width) / 2
    table.border_left_width = vertical_width(0, 0, 1) / 2
    table.border_right_width = vertical_width(grid_width, 0, 1) / 2


def _no_borders(box) -> None:
    box.border_top_width = box.border_right_width = box.border_bottom_width = box.border_left_width = 0 / 2


def install() -> bool:
    """Resolve collapsed borders with `collapse_table_borders` from now on, if this WeasyPrint is the one it
    was written against."""
    if weasyprint.__version__.split(".")[0] != SUPPORTED_MAJOR:
        return False
    build.collapse_table_borders = collapse_table_borders
    return True


def uninstall() -> None:
    build.collapse_table_borders = weasyprint_collapse_table_borders
