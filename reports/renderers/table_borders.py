"""A table's collapsed borders drawn as whole lines, not cell by cell (WeasyPrint 70).

With `border-collapse: collapse`, WeasyPrint draws every side of every cell as its own line, each
in its own saved graphics state and marked-content artifact: a district's annex (91 rows × 10
columns over four pages) makes about 2,400 such lines, 4–5 % of the report's CPU between drawing
them, writing them and compressing them. When the borders of a table are all solid and of one
width and one colour, as the report's are, `draw_collapsed_borders` places them as WeasyPrint does,
then joins the pieces that continue one another (a column's rule down a page, a row's rule across) and
strokes them at once: the same lines on the page. The pieces are worked out by `_lines` with WeasyPrint's
own arithmetic, without its calls to the stream for each piece (a saved state, a marked artifact, a line
drawn as a border style, 22 → 8 ms for a district's annex). A table with any other border (dashed,
double, two colours or widths, whose painting order matters) is drawn by WeasyPrint's own function.
tests/reports/test_pdf_written_once.py compares the pages, and the pieces with those WeasyPrint places.
"""

from __future__ import annotations

import contextlib

import weasyprint
from weasyprint import draw as weasy_draw
from weasyprint.draw import draw_collapsed_borders as weasyprint_draw_collapsed_borders

SUPPORTED_MAJOR = "70"
# A border side that draws nothing, or a plain line.
PLAIN = {"solid", "none", "hidden"}


class _Lines:
    """Stands in for the page's stream while WeasyPrint places the borders: keeps each line it draws (the
    tests compare `_lines` with it)."""

    def __init__(self) -> None:
        self.lines: list[tuple[float, float, float, float]] = []
        self.pens: dict = {}  # (colour space, channels, width) → (colour, width)
        self._pen: tuple = (None, None)
        self._start = (0.0, 0.0)

    @contextlib.contextmanager
    def artifact(self):
        yield

    @contextlib.contextmanager
    def stacked(self):
        yield

    def set_color(self, color, stroke=False):
        self._pen = (color, self._pen[1])

    def set_line_width(self, width):
        self._pen = (self._pen[0], width)

    def move_to(self, x, y):
        self._start = (x, y)

    def line_to(self, x, y):
        self.lines.append((*self._start, x, y))
        color, width = self._pen
        self.pens[(color.space, *color, width)] = self._pen

    def stroke(self):
        pass


def _plain(table) -> bool:
    # Only solid lines are drawn with the calls _Lines keeps (set_color, set_line_width, move_to, line_to).
    return all(style in PLAIN for grid in table.collapsed_border_grid for row in grid for _, (style, _, _) in row)


def _joined(lines: list[tuple[float, float, float, float]]) -> list[tuple[float, float, float, float]]:
    """The lines with those that continue one another on the same rule made one."""
    rules: dict[tuple[str, float], list[tuple[float, float]]] = {}
    for x1, y1, x2, y2 in lines:
        if x1 == x2:
            rules.setdefault(("|", x1), []).append((min(y1, y2), max(y1, y2)))
        else:
            rules.setdefault(("-", y1), []).append((min(x1, x2), max(x1, x2)))
    joined = []
    for (direction, at), spans in rules.items():
        spans.sort()
        start, end = spans[0]
        for low, high in spans[1:] + [(None, None)]:
            if low is not None and low <= end + 1e-6:
                end = max(end, high)
                continue
            joined.append((at, start, at, end) if direction == "|" else (start, at, end, at))
            start, end = low, high
    return joined


class _Placing:
    """WeasyPrint's draw_collapsed_borders up to the stream (draw/__init__.py): the table's grid of borders and
    its rows' and columns' positions on this page, each segment worked out with its arithmetic."""

    def __init__(self, table, rows: list) -> None:
        self.rows = rows
        self.row_positions = [row.position_y for row in rows]
        self.column_positions = list(table.column_positions)
        self.grid_height, self.grid_width = len(rows), len(table.column_widths)
        self.vertical, self.horizontal = table.collapsed_border_grid
        self.column_positions.append(self.column_positions[-1] + table.column_widths[-1])
        self.row_positions.append(self.row_positions[-1] + rows[-1].height)
        self.header_rows = len(table.children[0].children) if table.children[0].is_header else 0
        self.footer_rows = len(table.children[-1].children) if table.children[-1].is_footer else 0
        self.body_rows_offset = table.skipped_rows - self.header_rows if table.skipped_rows else 0
        self.footer_rows_offset = len(self.vertical) - self.grid_height
        self.skip_top, self.skip_bottom = table.skip_cell_border_top, table.skip_cell_border_bottom
        self.lines: list[tuple[float, float, float, float]] = []
        self.pens: dict = {}

    def row_number(self, y, horizontal):
        if self.header_rows and y < self.header_rows + int(horizontal):
            return y
        if self.footer_rows and y >= self.grid_height - self.footer_rows:
            return y + self.footer_rows_offset
        return y + self.body_rows_offset

    def half_horizontal(self, y, x):
        """The widest of the horizontal borders at (y, x - 1) and (y, x), halved (half_max_width)."""
        result = 0
        if 0 <= y <= self.grid_height:
            row = self.horizontal[self.row_number(y, True)]
            for xx in (x - 1, x):
                if 0 <= xx < self.grid_width:
                    result = max(result, row[xx][1][1])
        return result / 2

    def half_vertical(self, y, x):
        """The widest of the vertical borders at (y - 1, x) and (y, x), halved (half_max_width)."""
        result = 0
        if 0 <= x <= self.grid_width:
            for yy in (y - 1, y):
                if 0 <= yy < self.grid_height:
                    result = max(result, self.vertical[self.row_number(yy, False)][x][1][1])
        return result / 2

    def add(self, border, x1, y1, width_x, height_y) -> None:
        # draw_line for a solid border: move_to(x1, y1), line_to(x1 + width, y1 + height), at the border's pen.
        _, width, color = border
        self.lines.append((x1, y1, x1 + width_x, y1 + height_y))
        self.pens[(color.space, *color, width)] = (color, width)

    def add_vertical(self, x, y) -> None:
        border = self.vertical[self.row_number(y, False)][x][1]
        if border[1] == 0 or border[2].alpha == 0:
            return
        pos_y1 = self.row_positions[y]
        if y != 0 or not self.skip_top:
            pos_y1 -= self.half_horizontal(y, x)
        pos_y2 = self.row_positions[y + 1]
        if y != self.grid_height - 1 or not self.skip_bottom:
            pos_y2 += self.half_horizontal(y + 1, x)
        self.add(border, self.column_positions[x], pos_y1, 0, pos_y2 - pos_y1)

    def add_horizontal(self, x, y) -> None:
        if (y == 0 and self.skip_top) or (y == self.grid_height and self.skip_bottom):
            return
        border = self.horizontal[self.row_number(y, True)][x][1]
        if border[1] == 0 or border[2].alpha == 0:
            return
        pos_x1 = self.column_positions[x] - self.half_vertical(y, x)
        pos_x2 = self.column_positions[x + 1] + self.half_vertical(y, x + 1)
        self.add(border, pos_x1, self.row_positions[y], pos_x2 - pos_x1, 0)


def _lines(table) -> tuple[list[tuple[float, float, float, float]], dict]:
    """The lines WeasyPrint's draw_collapsed_borders strokes for a table whose borders are plain (solid, none or
    hidden), in its order, and their pens, as `_Lines` records them. Its segments are sorted by their score
    before they are drawn; plain borders of one pen all have the same score, and the sort keeps their order."""
    rows = [row for group in table.children for row in group.children]
    if not (rows and table.column_widths):
        return [], {}
    placing = _Placing(table, rows)
    for x in range(placing.grid_width):
        placing.add_horizontal(x, 0)
    for y in range(placing.grid_height):
        placing.add_vertical(0, y)
        for x in range(placing.grid_width):
            placing.add_vertical(x + 1, y)
            placing.add_horizontal(x, y + 1)
    return placing.lines, placing.pens


def draw_collapsed_borders(stream, table):
    if not _plain(table):
        return weasyprint_draw_collapsed_borders(stream, table)
    lines, pens = _lines(table)
    if not lines:
        return None
    if len(pens) != 1:  # two colours or widths: WeasyPrint's order of painting
        return weasyprint_draw_collapsed_borders(stream, table)
    ((color, width),) = pens.values()
    with stream.artifact(), stream.stacked():
        stream.set_color(color, stroke=True)
        stream.set_line_width(width)
        for x1, y1, x2, y2 in _joined(lines):
            stream.move_to(x1, y1)
            stream.line_to(x2, y2)
        stream.stroke()
    return None


def install() -> bool:
    """Draw collapsed borders with `draw_collapsed_borders` from now on, if this WeasyPrint is the one
    it was written against."""
    if weasyprint.__version__.split(".")[0] != SUPPORTED_MAJOR:
        return False
    weasy_draw.draw_collapsed_borders = draw_collapsed_borders
    return True


def uninstall() -> None:
    weasy_draw.draw_collapsed_borders = weasyprint_draw_collapsed_borders
