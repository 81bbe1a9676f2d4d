"""A faster way for WeasyPrint to draw the charts' plain SVG <text> elements, glyph for glyph the same.

WeasyPrint (70) draws an SVG <text> letter by letter: one Pango layout and one PDF text object per
character, so that it could honour per-letter x/y/dx/dy/rotate lists. The report's charts
(charts.py) never use those: each label is one run of text at one point. Half the time of drawing
a district's twenty charts went to those per-letter layouts. For such a label, `draw_plain_text`
lays out the whole run once with kerning and ligatures off — which is what the letter-by-letter
layout amounts to, each letter advancing by its own width — and draws it as one text object.
Anything else (tspans, position lists, letter spacing, textLength, baselines) goes to WeasyPrint's
own function. tests/reports/test_pdf_cpu.py checks that both draw the same picture.

A label anchored at its end or middle (the axes' numbers, the names under the bars) WeasyPrint draws
into a group of its own (a form XObject: a stream, a dictionary, an object of the file), measures it,
and draws the group moved back by its width or half of it: about 150 groups per district report.
`draw_node` lets such a plain label be drawn where that move puts it, the width being known once its
run is laid out: the same glyphs at the same place, no group.

The charts repeat their labels (the axes' numbers, the legends: a district's twenty charts have ~200
labels of under thirty texts). A label's text in its font is laid out and drawn with Pango once per
report; the next labels of the same text and font get a copy of the released layout and the same
glyph calls at their own place (as repeated_text.py does for the table's figures), kept on
WeasyPrint's layout context: never from one report to the next.
"""

from __future__ import annotations

from math import inf

import weasyprint
from weasyprint import svg as weasy_svg
from weasyprint.css.properties import INITIAL_VALUES
from weasyprint.draw.text import draw_emojis, draw_first_line
from weasyprint.matrix import Matrix
from weasyprint.svg import SVG
from weasyprint.svg.bounding_box import extend_bounding_box
from weasyprint.svg.text import Style, TextBox
from weasyprint.svg.text import text as weasyprint_text
from weasyprint.svg.utils import size
from weasyprint.text.line_break import Layout, split_first_line

from .repeated_text import _Recorder

# Attributes a label may carry (or inherit from the <svg>, as WeasyPrint passes them down) and still
# be drawn in one run: none of them places letters one by one.
PLAIN = frozenset(
    {"x", "y", "font-size", "font-family", "font-weight", "font-style", "fill", "text-anchor", "transform"}
    | {"id", "class", "role", "aria-label"}
)
# The WeasyPrint whose letter-by-letter drawing this reproduces (its svg/text.py).
SUPPORTED_MAJOR = "70"


def _is_plain(node) -> bool:
    # A label with no child element (tspan) and none of the per-letter attributes.
    if node.tag != "text" or not node.text or len(node._etree_node) or not set(node.attrib) <= PLAIN:
        return False
    return all(" " not in node.attrib.get(name, "").strip() for name in ("x", "y"))


def _style(svg, node, font_size) -> Style:
    """The style WeasyPrint's own function gives the letters, kerning and ligatures off."""
    style = Style()
    style.update(INITIAL_VALUES)
    style.font_config = svg.font_config
    style["font_family"] = [font.strip("\"'") for font in node.get("font-family", "sans-serif").split(",")]
    style["font_style"] = node.get("font-style", "normal")
    weight = node.get("font-weight", 400)
    style["font_weight"] = {"normal": 400, "bold": 700}.get(weight, weight)
    try:
        style["font_weight"] = int(style["font_weight"])
    except ValueError:
        style["font_weight"] = 400
    style["font_size"] = font_size
    # Each letter laid out alone is neither kerned nor joined to the next.
    style["font_kerning"] = "none"
    style["font_variant_ligatures"] = "none"
    return style


# Whether a label's layout and drawing are kept for the next label of the same text and font (tests turn it off).
KEEP_LABELS = True


def _laid_out(svg, node, font_size) -> tuple:
    """(style, layout, width, height, baseline, drawing) of a label: laid out by WeasyPrint the first time
    its text is met in its font in this report (the charts repeat their axes' numbers and their legends),
    a copy of that released layout the next times. Kept on WeasyPrint's layout context, for one report."""
    style = _style(svg, node, font_size)
    context = svg.context
    if context is None or not KEEP_LABELS:
        layout, _, _, width, height, baseline = split_first_line(node.text, style, context, inf, 0)
        return style, layout, width, height, baseline, None
    key = (node.text, tuple(style["font_family"]), style["font_style"], style["font_weight"], font_size)
    try:
        kept = context.kept_labels
    except AttributeError:
        kept = context.kept_labels = {}
    found = kept.get(key)
    if found is None:
        layout, _, _, width, height, baseline = split_first_line(node.text, style, context, inf, 0)
        found = kept[key] = (_copy(layout), width, height, baseline, [])
        return style, layout, width, height, baseline, found[4]
    layout, width, height, baseline, drawing = found
    return style, _copy(layout), width, height, baseline, drawing


def _copy(layout: Layout) -> Layout:
    # A released layout holds only Python values (its text, widths, metrics), no Pango object.
    copy = Layout.__new__(Layout)
    copy.__dict__.update(layout.__dict__)
    return copy


def draw_plain_text(svg, node, font_size) -> None:
    if not _is_plain(node):
        weasyprint_text(svg, node, font_size)
        return
    style, layout, width, height, baseline, drawing = _laid_out(svg, node, font_size)
    x = size(node.attrib["x"], font_size, svg.inner_width) if "x" in node.attrib else None
    y = size(node.attrib["y"], font_size, svg.inner_height) if "y" in node.attrib else None
    # The cursor as WeasyPrint moves it: an explicit coordinate resets the pending shift.
    if x:
        svg.cursor_d_position[0] = 0
    if y:
        svg.cursor_d_position[1] = 0
    x = svg.cursor_position[0] if x is None else x
    y = svg.cursor_position[1] if y is None else y
    svg.cursor_position = x + width, y
    x_position, y_position = x + svg.cursor_d_position[0], y + svg.cursor_d_position[1]
    # Where WeasyPrint's group for the anchor would move the label (draw_node below).
    shift = {"end": width, "middle": width / 2}.get(getattr(node, "anchored_at", None), 0)
    x_position -= shift
    node.text_bounding_box = extend_bounding_box(
        node.text_bounding_box,
        ((x_position, y_position - baseline), (x_position + width, y_position - baseline + height)),
    )
    stream = svg.stream
    stream.push_state()
    fill, stroke = svg.set_graphical_state(node, font_size)
    stream.begin_text()
    matrix = Matrix(a=1, d=-1, e=x_position, f=y_position)
    if drawing and drawing[0] is not None and drawing[0][0] is stream._fonts and layout.text.strip():  # noqa: SLF001
        # Drawn before in this report: the same calls at this label's place (repeated_text.py).
        svg.fill_stroke(fill, stroke, text=True)
        stream.set_text_matrix(*matrix.values)
        for name, args in drawing[0][1]:
            getattr(stream, name)(*args)
        stream.end_text()
        stream.pop_state()
        return
    layout.reactivate(style)
    svg.fill_stroke(fill, stroke, text=True)
    text_box = TextBox(layout, style)
    text_box.baseline = baseline
    recorder = _Recorder(stream)
    emojis = draw_first_line(recorder, text_box, "none", "none", matrix)
    stream.end_text()
    stream.pop_state()
    draw_emojis(stream, style, x - shift, y, emojis)
    if drawing is not None and not drawing:
        noted = not emojis and recorder.wrote_text and text_box.text.strip()
        drawing.append((stream._fonts, recorder.calls) if noted else None)  # noqa: SLF001


weasyprint_draw_node = SVG.draw_node
ANCHORS = ("end", "middle")


def draw_node(svg, node, font_size, fill_stroke=True, context=None):
    """WeasyPrint's `SVG.draw_node`, but a plain label anchored at its end or middle is drawn as anchored at
    its start, `draw_plain_text` moving it back by its width or half of it — not into a group of its own."""
    anchor = node.get("text-anchor")
    if anchor not in ANCHORS or not _is_plain(node):  # a plain label has no `direction`: left to right
        return weasyprint_draw_node(svg, node, font_size, fill_stroke, context)
    node.attrib["text-anchor"], node.anchored_at = "start", anchor
    try:
        return weasyprint_draw_node(svg, node, font_size, fill_stroke, context)
    finally:
        node.attrib["text-anchor"], node.anchored_at = anchor, None


# Every tag WeasyPrint draws with its text function (it also compares TAGS[tag] with that function,
# by the module's name `text`, to decide where text-anchor applies: both are replaced together).
TEXT_TAGS = ("a", "text", "textPath", "tspan")


def install() -> bool:
    """Draw <text> with `draw_plain_text` from now on, if this WeasyPrint is the one it reproduces."""
    if weasyprint.__version__.split(".")[0] != SUPPORTED_MAJOR or weasy_svg.text is not weasyprint_text:
        return weasy_svg.text is draw_plain_text
    _use(draw_plain_text)
    return True


def uninstall() -> None:
    _use(weasyprint_text)


def _use(function) -> None:
    weasy_svg.text = function
    for tag in TEXT_TAGS:
        weasy_svg.TAGS[tag] = function
    SVG.draw_node = draw_node if function is draw_plain_text else weasyprint_draw_node
