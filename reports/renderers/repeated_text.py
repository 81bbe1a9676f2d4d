"""A line of text that does not wrap laid out once per report for its text and font (WeasyPrint 70).

For every text box of every line, WeasyPrint's `split_first_line` makes a Pango context and layout,
hands it the text, lets Pango shape it and measures the line. A district's annex has about 900 cells
of figures in `white-space: nowrap` (td.num), and their texts repeat: "0", "1", "100", "–" in the
same font, about 50 different ones among them. A text that cannot wrap is measured without any
width (WeasyPrint ignores the available width for it), so its answer depends only on the text, the
style's font and spacing, and the justification spacing asked for: the same line, the same width,
height and baseline. The first box of such a text in a report is laid out by WeasyPrint; the next
ones get a copy of its (already released) layout with their own available width, which WeasyPrint
keeps for ellipses. The layout is set up again from the box's own style when the text is drawn,
as WeasyPrint does for every box.

The answers are kept on WeasyPrint's layout context, that is for one report's layout, never from
one report to the next. Anything else — text that wraps, `pre`, a tab or a line break in the text —
goes to WeasyPrint's function. tests/reports/test_pdf_written_once.py checks that a page and a report
are the same file either way.
"""

from __future__ import annotations

import weasyprint
from weasyprint import draw
from weasyprint.draw import text as draw_text_module
from weasyprint.draw.text import draw_emojis, draw_first_line
from weasyprint.layout import inline
from weasyprint.matrix import Matrix
from weasyprint.text import line_break
from weasyprint.text.line_break import Layout

SUPPORTED_MAJOR = "70"
weasyprint_split_first_line = line_break.split_first_line
weasyprint_draw_text = draw_text_module.draw_text

# Every value of the style that Layout.setup, Layout.set_text, line_size and first_line_metrics read
# for a line that does not wrap (white_space and font_size decide that it is one).
FONT_AND_SPACING = (
    "font_family",
    "font_style",
    "font_stretch",
    "font_weight",
    "font_size",
    "font_variant_caps",
    "font_variation_settings",
    "font_kerning",
    "font_variant_ligatures",
    "font_variant_position",
    "font_variant_numeric",
    "font_variant_alternates",
    "font_variant_east_asian",
    "font_feature_settings",
    "font_language_override",
    "lang",
    "direction",
    "text_decoration_line",
    "letter_spacing",
    "word_spacing",
    "overflow_wrap",
)
UNSET = object()


def _key(style):
    """The style's font and spacing as a key, kept on the style (boxes of one element share it);
    None when the style's line may wrap or a value cannot be a key."""
    key = getattr(style, "kept_text_key", UNSET)
    if key is UNSET:
        key = None
        if style["white_space"] == "nowrap" and style["font_size"]:
            key = (style.font_config, *(style[name] for name in FONT_AND_SPACING))
            try:
                hash(key)
            except TypeError:
                key = None
        style.kept_text_key = key
    return key


def split_first_line(text, style, context, max_width, justification_spacing, is_line_start=True, minimum=False):
    key = _key(style)
    if key is None or context is None or "\n" in text or "\t" in text:
        return weasyprint_split_first_line(
            text, style, context, max_width, justification_spacing, is_line_start, minimum
        )
    try:
        kept = context.kept_lines
    except AttributeError:
        kept = context.kept_lines = {}
    found = kept.get((text, justification_spacing, key))
    if found is None:
        answer = weasyprint_split_first_line(
            text, style, context, max_width, justification_spacing, is_line_start, minimum
        )
        # The boxes of this text share what its first drawing writes (draw_text below).
        answer[0].kept_drawing = []
        kept[(text, justification_spacing, key)] = (_copy(answer[0]), answer[1:])
        return answer
    layout, rest = found
    layout = _copy(layout)
    layout.max_width = max_width  # WeasyPrint's layout keeps the width it was offered (for ellipses)
    return (layout, *rest)


def _copy(layout: Layout) -> Layout:
    # A released layout holds only Python values (its text, widths, metrics), no Pango object.
    copy = Layout.__new__(Layout)
    copy.__dict__.update(layout.__dict__)
    return copy


class _Recorder:
    """The page's stream as draw_first_line writes a line's glyphs to it, the calls that write them noted."""

    def __init__(self, stream) -> None:
        self.stream = stream
        self.calls: list[tuple[str, tuple]] = []
        self.wrote_text = False

    def __getattr__(self, name):
        return getattr(self.stream, name)

    def set_text_matrix(self, *args) -> None:
        # Where the line goes: each box's own, not noted. draw_first_line writes nothing before it.
        self.wrote_text = True
        self.stream.set_text_matrix(*args)

    def set_font_size(self, *args) -> None:
        self.calls.append(("set_font_size", args))
        self.stream.set_font_size(*args)

    def set_text_rise(self, *args) -> None:
        self.calls.append(("set_text_rise", args))
        self.stream.set_text_rise(*args)

    def show_text(self, *args) -> None:
        self.calls.append(("show_text", args))
        self.stream.show_text(*args)


def draw_text(stream, textbox, offset_x, text_overflow, block_ellipsis):
    """WeasyPrint's draw_text; a line laid out by `split_first_line` above is drawn once per report with
    Pango (its layout set up again, shaped, its glyphs written one by one) and its next boxes get the
    same calls: the same font and size, the same glyphs and widths, at their own place."""
    layout, style = textbox.pango_layout, textbox.style
    drawing = layout.__dict__.get("kept_drawing")
    if (
        drawing is None
        or (drawing and drawing[0] is None)
        or text_overflow == "ellipsis"
        or block_ellipsis != "none"
        or style["text_decoration_line"] != "none"
        or style["visibility"] != "visible"
        or not style["font_size"] >= 1e-6
        or not textbox.text.strip()
    ):
        return weasyprint_draw_text(stream, textbox, offset_x, text_overflow, block_ellipsis)
    x, y = textbox.position_x, textbox.position_y + textbox.baseline
    if drawing:
        fonts, calls = drawing[0]
        if fonts is stream._fonts:  # noqa: SLF001 - the document's fonts, where the first drawing added its own
            stream.set_color(style["color"])
            stream.begin_text()
            stream.set_text_matrix(*Matrix(d=-1, e=x, f=y).values)
            for name, args in calls:
                getattr(stream, name)(*args)
            stream.end_text()
            return None
        return weasyprint_draw_text(stream, textbox, offset_x, text_overflow, block_ellipsis)
    # WeasyPrint's draw_text for a visible line without decoration, the glyphs' calls noted.
    stream.set_color(style["color"])
    layout.reactivate(style)
    stream.begin_text()
    recorder = _Recorder(stream)
    emojis = draw_first_line(recorder, textbox, text_overflow, block_ellipsis, Matrix(d=-1, e=x, f=y))
    stream.end_text()
    draw_emojis(stream, style, x, y, emojis)
    layout.deactivate()
    drawing.append((stream._fonts, recorder.calls) if recorder.wrote_text and not emojis else None)  # noqa: SLF001
    return None


def install() -> bool:
    """Use `split_first_line` from now on, if this WeasyPrint is the one it was written against."""
    if weasyprint.__version__.split(".")[0] != SUPPORTED_MAJOR:
        return False
    inline.split_first_line = split_first_line
    draw.draw_text = draw_text
    return True


def uninstall() -> None:
    inline.split_first_line = weasyprint_split_first_line
    draw.draw_text = weasyprint_draw_text
