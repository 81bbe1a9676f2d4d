"""WeasyPrint's placing of a line or block beside floats, cut short when there is no float (WeasyPrint 70).

Before it lays out each line box (two or three times per line) and each block that starts a formatting
context, WeasyPrint's `avoid_collisions` measures the box, builds the lists of floats on its left
and right, and checks what may collide — the report has no float at all. A district's report calls it
about 4,000 times, 6 % of its CPU. `avoid_collisions` here answers at once what WeasyPrint's own
function answers when nothing is floated beside the box and the text runs left to right: the box
starts at the containing block's left edge and has its whole width. Anything else (a float placed
beside it, right-to-left text, a floated box itself) goes to WeasyPrint's function.
tests/reports/test_pdf_cpu.py checks that a report is the same file either way.
"""

from __future__ import annotations

import weasyprint
from weasyprint.layout import block, inline
from weasyprint.layout.float import avoid_collisions as weasyprint_avoid_collisions

SUPPORTED_MAJOR = "70"
# The modules that call the function by the name they imported.
CALLERS = (block, inline)


def avoid_collisions(context, box, containing_block, outer=True):
    if context.excluded_shapes or box.is_floated() or containing_block.style["direction"] != "ltr":
        return weasyprint_avoid_collisions(context, box, containing_block, outer)
    left = containing_block.content_box_x()
    if outer:
        return left, box.position_y, containing_block.width
    # WeasyPrint's answer for the border box: bounds inside the box's own margins, then the position
    # moved back by them.
    return left, box.border_box_y() - box.margin_top, containing_block.width - box.margin_left - box.margin_right


def install() -> bool:
    """Use `avoid_collisions` from now on, if this WeasyPrint is the one it was written against."""
    if weasyprint.__version__.split(".")[0] != SUPPORTED_MAJOR:
        return False
    _use(avoid_collisions)
    return True


def uninstall() -> None:
    _use(weasyprint_avoid_collisions)


def _use(function) -> None:
    for module in CALLERS:
        module.avoid_collisions = function
