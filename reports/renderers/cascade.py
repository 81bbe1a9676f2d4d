"""The cascade of an element whose computed style WeasyPrint shares with an earlier one, not written (WeasyPrint 70).

WeasyPrint's `StyleFor` (css/__init__.py) matches every element of the document against the stylesheets and,
for each selector that matches, writes each of its declarations into the element's cascaded style with its
weight; only then does it look whether an earlier element had the same parent style, the same style
attribute and the same matching selectors, and if so gives this element that element's computed style,
never reading the cascaded style it has just written. A district's report has about 3,400 elements, most of
them cells, lines and spans of a few kinds, each matching selectors with a dozen declarations (a border
alone is twelve). Here the selectors are matched first, the key looked up, and the declarations written only
for an element that gets a computed style of its own — or that a pseudo-element selector matches (its
cascaded style is read later). Everything else is WeasyPrint's `StyleFor.__init__`, step for step: the same
computed style objects, shared the same way. tests/reports/test_pdf_table_cells.py checks that a report is
the same file either way.
"""

from __future__ import annotations

from math import inf

import weasyprint
from weasyprint import css
from weasyprint.css import declaration_precedence, find_style_attributes, preprocess_declarations
from weasyprint.logger import PROGRESS_LOGGER

SUPPORTED_MAJOR = "70"
weasyprint_init = css.StyleFor.__init__


def _cascade(style: dict, origin, specificity, layer_order, declarations) -> None:
    # WeasyPrint's loop: the later of two declarations of equal weight wins.
    for name, values, importance in declarations:
        weight = (declaration_precedence(origin, importance), layer_order, specificity)
        old_weight = style.get(name, (None, None))[1]
        if old_weight is None or old_weight <= weight:
            style[name] = values, weight


def style_for_init(self, html, sheets, presentational_hints, font_config, target_collector):
    """StyleFor.__init__ of WeasyPrint 70, the declarations of an element written only when they are read."""
    self._cascaded_styles = cascaded_styles = {}
    self._computed_styles = computed_styles = {}
    self.initial_page_sizes = {"box": None, "area": None}
    self._sheets = sheets
    self.font_config = font_config

    PROGRESS_LOGGER.info("Step 3 - Applying CSS")
    elements_declarations = {}
    for specificity, element, declarations, base_url in find_style_attributes(
        html.etree_element, presentational_hints, html.base_url
    ):
        style = cascaded_styles.setdefault((element, None), {})
        elements_declarations[element] = tuple(declarations)
        _cascade(style, "author", specificity, inf, preprocess_declarations(base_url, declarations))

    computed_cache = {}
    for element in html.wrapper_element.iter_subtree():
        etree_element = element.etree_element
        parent = element.parent.etree_element if element.parent else None
        parent_id = id(computed_styles[parent, None]) if element.parent else None
        element_declarations = elements_declarations.get(etree_element)
        selectors_keys = []
        matched = []
        for sheet, origin, sheet_specificity in sheets:
            for selector in sheet.matcher.match(element):
                specificity, order, pseudo_type, (declarations, layer) = selector
                layer_order = inf if layer is None else sheet.layers.index(layer)
                selectors_keys.append((sheet, specificity, id(declarations), layer_order))
                matched.append((origin, sheet_specificity or specificity, pseudo_type, declarations, layer_order))
        key = (parent_id, element_declarations, tuple(selectors_keys))
        shared = computed_cache.get(key)
        if shared is not None and all(pseudo_type is None for _, _, pseudo_type, _, _ in matched):
            computed_styles[etree_element, None] = shared  # its cascaded style would not be read
            continue
        for origin, specificity, pseudo_type, declarations, layer_order in matched:
            style = cascaded_styles.setdefault((etree_element, pseudo_type), {})
            _cascade(style, origin, specificity, layer_order, declarations)
        if shared is not None:
            computed_styles[etree_element, None] = shared
        else:
            self.set_computed_styles(
                etree_element,
                root=html.etree_element,
                parent=parent,
                base_url=html.base_url,
                target_collector=target_collector,
            )
            computed_cache[key] = computed_styles[etree_element, None]

    for element, pseudo_type in cascaded_styles:
        if pseudo_type:
            self.set_computed_styles(
                element,
                pseudo_type=pseudo_type,
                root=html.etree_element,
                parent=element,
                base_url=html.base_url,
                target_collector=target_collector,
            )
    self._cascaded_styles.clear()


def install() -> bool:
    """Cascade with `style_for_init` from now on, if this WeasyPrint is the one it was written against."""
    if weasyprint.__version__.split(".")[0] != SUPPORTED_MAJOR:
        return False
    css.StyleFor.__init__ = style_for_init
    return True


def uninstall() -> None:
    css.StyleFor.__init__ = weasyprint_init
