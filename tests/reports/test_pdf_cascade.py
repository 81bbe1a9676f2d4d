"""The cascade written only for an element that gets a computed style of its own (reports/renderers/cascade.py,
issue 17 point 2): every element gets the computed style WeasyPrint gives it, shared with the same others,
from the same cascaded declarations; the same file."""

from __future__ import annotations

from weasyprint import HTML
from weasyprint.css import get_all_computed_styles

from reports.renderers import cascade
from tests.reports.pdf_shortcuts import with_and_without

# Rows of cells of a few kinds (classes, a style attribute twice the same and once not, an !important rule, a
# selector by position), spans in them, and pseudo-elements on some of the cells and on a paragraph.
PAGE = (
    '<html lang="vi"><head><style>td { border: 0.5pt solid #000; padding: 1mm } .n { text-align: right }'
    " .b { font-weight: bold } td:first-child { color: #c8102e } .x::before { content: '» ' }"
    " p::after { content: ' ¶' } .i { color: blue !important } span { font-style: italic }</style></head><body>"
    "<table><tbody>"
    + "".join(
        f'<tr><td>{n}</td><td class="n">{n % 3}</td><td class="n b">100</td>'
        f'<td style="color: green">a</td><td style="color: {"green" if n % 2 else "red"}">b</td>'
        f'<td class="{"x" if n % 4 == 0 else "n"}">c</td><td class="i" style="color: red"><span>d</span></td></tr>'
        for n in range(40)
    )
    + "</tbody></table><p>Đoạn văn.</p><p class='x'>Đoạn văn khác.</p></body></html>"
)


def _styles(document: HTML) -> list:
    """Each element's computed style, as the partition of the elements sharing one and its cascaded values."""
    style_for = get_all_computed_styles(document)
    numbers: dict[int, int] = {}
    found = []
    for element in document.wrapper_element.iter_subtree():
        for pseudo_type in (None, "before", "after"):
            style = style_for(element.etree_element, pseudo_type)
            if style is not None:
                number = numbers.setdefault(id(style), len(numbers))
                # The values as written (two parses of a stylesheet make tokens that differ only in identity).
                cascaded = {name: (repr(values), weight) for name, (values, weight) in style.cascaded.items()}
                found.append((element.etree_element.tag, pseudo_type, number, cascaded))
    return found


def test_every_element_gets_the_computed_style_weasyprint_gives_it():
    document = HTML(string=PAGE)
    ours, theirs = with_and_without(cascade, lambda: _styles(document))
    assert len({number for _, _, number, _ in ours}) < len(ours) / 2  # many of them shared (not those with a style)
    assert any(pseudo_type == "before" for _, pseudo_type, _, _ in ours)
    assert ours == theirs


def test_the_cascade_makes_the_same_file():
    document = HTML(string=PAGE)
    ours, theirs = with_and_without(cascade, lambda: document.write_pdf(pdf_variant="pdf/a-3u", pdf_tags=True))
    assert ours == theirs
