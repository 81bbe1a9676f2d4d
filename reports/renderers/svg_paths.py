"""The charts' bar paths read in one pass, the same drawing as WeasyPrint's (WeasyPrint 70).

charts.py draws each colour's bars as one path of rectangles, "M61.2 187.3h4.5v32.7h-4.5z" per bar,
and the target marks as "M61.2 90.0h6.4" per bar: a ranked chart of ninety base unions has about
500 commands. WeasyPrint's `path` respaces the whole string for each of the twenty path letters,
normalises it with four regular expressions, then takes the commands one at a time, each number
through a regular expression and `size`. A path made only of absolute moves with two plain numbers
and relative horizontal and vertical lines (and closes) is read here with one expression and drawn
with the same calls, the same numbers and the same vertices (for markers and bounding boxes) as
WeasyPrint's loop gives it; any other path goes to WeasyPrint's function.
tests/reports/test_pdf_svg_paths.py checks that a chart is the same file either way.
"""

from __future__ import annotations

import re
from math import pi

import weasyprint
from weasyprint import svg as weasy_svg
from weasyprint.svg.path import path as weasyprint_path

SUPPORTED_MAJOR = "70"
NUMBER = r"-?\d+(?:\.\d+)?"
# A path of subpaths "M x y" followed by h/v lines, each perhaps closed.
PLAIN = re.compile(rf"(?:M{NUMBER} {NUMBER}(?:[hv]{NUMBER})*z?)+")
COMMAND = re.compile(rf"([Mhvz])({NUMBER})?(?: ({NUMBER}))?")


def path(svg, node, font_size) -> None:
    string = node.get("d", "")
    if not PLAIN.fullmatch(string):
        weasyprint_path(svg, node, font_size)
        return
    stream, vertices = svg.stream, node.vertices
    x = y = 0.0
    current = 0, 0
    stream.move_to(*current)
    last = None
    first = None
    for letter, first_number, second_number in COMMAND.findall(string):
        # WeasyPrint's bookkeeping of the subpath's first point (path.py), for these four letters.
        if last in (None, "M", "z"):
            first = None
        if letter in "hv" and first is None:
            first = current
        if letter == "M":
            if last and last != "z":
                vertices.append(None)
            x, y = float(first_number), float(second_number)
            stream.move_to(x, y)
        elif letter == "h":
            old_x = x
            x = float(first_number) + old_x
            angle = 0 if x > old_x else pi
            vertices.append((pi - angle, angle))
            stream.line_to(x, y)
        elif letter == "v":
            old_y = y
            y = float(first_number) + old_y
            angle = pi / 2 if y > old_y else -pi / 2
            vertices.append((pi - angle, angle))
            stream.line_to(x, y)
        elif first:
            vertices.append(None)
            stream.close()
            x, y = first
        if letter != "z":
            current = x, y
            vertices.append(current)
        else:
            current = first if first else current
        last = letter


def install() -> bool:
    """Read paths with `path` from now on, if this WeasyPrint is the one it reproduces."""
    if weasyprint.__version__.split(".")[0] != SUPPORTED_MAJOR:
        return False
    weasy_svg.TAGS["path"] = path
    return True


def uninstall() -> None:
    weasy_svg.TAGS["path"] = weasyprint_path
