"""The report's SVG charts (charts.py) drawn as PNG, for the Word file: the same picture as the PDF's.

Word shows PNG everywhere (SVG only in recent versions, and LibreOffice converts it poorly), and
no SVG rasteriser is installed. The charts are hand-built from a handful of elements with
presentation attributes (line, polyline, rect, circle, path of M/L/H/V/Z moves, text), so they
are drawn here with Pillow, element by element, at `scale` times their size, in the report's font.
"""

from __future__ import annotations

import functools
import io
import math
import re
import xml.etree.ElementTree as ElementTree

from PIL import Image, ImageColor, ImageDraw, ImageFont

from ..fonts import report_font

SVG = "{http://www.w3.org/2000/svg}"
ANCHORS = {"start": "ls", "middle": "ms", "end": "rs"}  # Pillow's anchors on the baseline
PATH_TOKENS = re.compile(r"[MmLlHhVvZz]|-?(?:\d+\.?\d*|\.\d+)")


@functools.cache
def _font(size: float) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(report_font().regular), max(round(size), 1))


def _colour(value: str | None) -> tuple[int, int, int] | None:
    if not value or value == "none":
        return None
    return ImageColor.getrgb(value)[:3]


class _Canvas:
    def __init__(self, width: float, height: float, scale: float) -> None:
        self.scale = scale
        self.image = Image.new("RGB", (math.ceil(width * scale), math.ceil(height * scale)), "white")
        self.draw = ImageDraw.Draw(self.image)

    def point(self, x: float, y: float) -> tuple[float, float]:
        return x * self.scale, y * self.scale

    def stroke(self, points: list[tuple[float, float]], element, *, closed: bool = False) -> None:
        colour = _colour(element.get("stroke"))
        if colour is None or len(points) < 2:
            return
        width = max(round(float(element.get("stroke-width", 1)) * self.scale), 1)
        if closed:
            points = [*points, points[0]]
        dash = [float(v) for v in element.get("stroke-dasharray", "").replace(",", " ").split()]
        scaled = [self.point(*p) for p in points]
        if not dash:
            self.draw.line(scaled, fill=colour, width=width)
            return
        for start, end in zip(scaled, scaled[1:], strict=False):
            self._dashed(start, end, [d * self.scale for d in dash], colour, width)

    def _dashed(self, start, end, dash: list[float], colour, width: int) -> None:
        length = math.dist(start, end)
        if not length:
            return
        ux, uy = (end[0] - start[0]) / length, (end[1] - start[1]) / length
        done, index = 0.0, 0
        while done < length:
            step = min(dash[index % len(dash)], length - done)
            if index % 2 == 0:
                a = (start[0] + ux * done, start[1] + uy * done)
                b = (start[0] + ux * (done + step), start[1] + uy * (done + step))
                self.draw.line([a, b], fill=colour, width=width)
            done += step
            index += 1

    def fill(self, points: list[tuple[float, float]], element) -> None:
        colour = _colour(element.get("fill", "black"))
        if colour is not None and len(points) > 2:
            self.draw.polygon([self.point(*p) for p in points], fill=colour)


def _path(d: str) -> list[tuple[list[tuple[float, float]], bool]]:
    """The sub-paths of a path's data: (points, closed) each. Absolute and relative M, L, H, V, Z."""
    tokens = PATH_TOKENS.findall(d)
    shapes: list[tuple[list[tuple[float, float]], bool]] = []
    points: list[tuple[float, float]] = []
    x = y = 0.0
    command, index = "M", 0
    while index < len(tokens):
        token = tokens[index]
        if token.isalpha():
            command, index = token, index + 1
            if command in "Zz":
                shapes.append((points, True))
                points = [points[0]] if points else []
                x, y = points[0] if points else (x, y)
                points = []
            continue
        relative = command.islower()
        if command in "MmLl":
            dx, dy = float(tokens[index]), float(tokens[index + 1])
            index += 2
            x, y = (x + dx, y + dy) if relative else (dx, dy)
            if command in "Mm":
                if len(points) > 1:
                    shapes.append((points, False))
                points = []
                command = "l" if relative else "L"  # coordinates after a move are lines
        elif command in "HhVv":
            value = float(tokens[index])
            index += 1
            if command in "Hh":
                x = x + value if relative else value
            else:
                y = y + value if relative else value
        points.append((x, y))
    if len(points) > 1:
        shapes.append((points, False))
    return shapes


def _text(canvas: _Canvas, element) -> None:
    words = "".join(element.itertext())
    if not words:
        return
    font = _font(float(element.get("font-size", 10)) * canvas.scale)
    anchor = ANCHORS.get(element.get("text-anchor", "start"), "ls")
    colour = _colour(element.get("fill", "black")) or (0, 0, 0)
    canvas.draw.text(
        canvas.point(float(element.get("x", 0)), float(element.get("y", 0))),
        words,
        font=font,
        fill=colour,
        anchor=anchor,
    )


def _draw(canvas: _Canvas, element) -> None:
    tag = element.tag.removeprefix(SVG)
    number = lambda name: float(element.get(name, 0))  # noqa: E731 - one attribute as a number
    if tag == "line":
        canvas.stroke([(number("x1"), number("y1")), (number("x2"), number("y2"))], element)
    elif tag == "polyline":
        values = [float(v) for v in element.get("points", "").replace(",", " ").split()]
        canvas.stroke(list(zip(values[::2], values[1::2], strict=True)), element)
    elif tag == "rect":
        x, y, w, h = number("x"), number("y"), number("width"), number("height")
        corners = [(x, y), (x + w, y), (x + w, y + h), (x, y + h)]
        canvas.fill(corners, element)
        canvas.stroke(corners, element, closed=True)
    elif tag == "circle":
        cx, cy, r = canvas.point(number("cx"), number("cy")) + (number("r") * canvas.scale,)
        canvas.draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=_colour(element.get("fill", "black")))
    elif tag == "path":
        for points, closed in _path(element.get("d", "")):
            canvas.fill(points, element)
            canvas.stroke(points, element, closed=closed)
    elif tag == "text":
        _text(canvas, element)


def svg_to_png(svg: str, *, scale: float = 1.5) -> bytes:
    """The chart as a PNG of `scale` times its size: a 600-unit-wide chart is 900 pixels, about 140 dpi at
    the Word page's 160 mm, where its 10-unit labels print at 7.5 pt."""
    root = ElementTree.fromstring(svg)  # noqa: S314 - our own SVG (charts.py), never a user's file
    canvas = _Canvas(float(root.get("width")), float(root.get("height")), scale)
    for element in root:
        _draw(canvas, element)
    buffer = io.BytesIO()
    # Light compression: a chart is mostly flat colour, and `optimize` would triple the time for 30 % less.
    canvas.image.save(buffer, format="PNG", compress_level=3)
    return buffer.getvalue()
