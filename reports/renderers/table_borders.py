"""A table's collapsed borders drawn as whole lines, not cell by cell (WeasyPrint 70).

With `border-collapse: collapse`, WeasyPrint draws every side of every cell as its own line, each
in its own saved graphics state and marked-content artifact: a district's annex (91 rows × 10
columns over four pages) makes about 2,400 such lines, 4–5 % of the report's CPU between drawing
them, writing them and compressing them. When the borders of a table are all solid and of one
width and one colour, as the report's are, `draw_collapsed_borders` lets WeasyPrint place them as
usual, then joins the pieces that continue one another (a column's rule down a page, a row's rule
across) and strokes them at once: the same lines on the page. A table with any other border (dashed,
double, two colours or widths, whose painting order matters) is drawn by WeasyPrint's own function.
tests/reports/test_pdf_written_once.py compares the pages.
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
    """Stands in for the page's stream while WeasyPrint places the borders: keeps each line it draws."""

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


def draw_collapsed_borders(stream, table):
    if not _plain(table):
        return weasyprint_draw_collapsed_borders(stream, table)
    placed = _Lines()
    weasyprint_draw_collapsed_borders(placed, table)
    if not placed.lines:
        return None
    if len(placed.pens) != 1:  # two colours or widths: WeasyPrint's order of painting
        return weasyprint_draw_collapsed_borders(stream, table)
    ((color, width),) = placed.pens.values()
    with stream.artifact(), stream.stacked():
        stream.set_color(color, stroke=True)
        stream.set_line_width(width)
        for x1, y1, x2, y2 in _joined(placed.lines):
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
