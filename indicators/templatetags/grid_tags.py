"""The data-entry grid's columns and rows, written compactly.

A district's grid has some 1,500 cells: each one written out with its ids, label, address and
version as attributes made the page 650 KB and took a second to render. Here a cell is only what
differs from its neighbours — its value and its version (`<td><input value="12" data-v="3"></td>`);
what every cell of a column or a row shares is said once, on the column header (`data-e`, the
element's code; its group, its type) and on the row (`data-r`, the body's code). static/js/grid.js
gives each cell its ids, name and label on loading and saves every cell through one handler on
the table (the same address and version check as before). A select holds only its current option
until it is used; the column's options are written once, in a <template>. The end tags of cells
and rows, which HTML makes optional, are left out.

The cells a save answers with are the full ones of indicators/_cell.html (the same ids and classes
grid.js gives), so htmx and static/js/keepedits.js find them as before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from django import template
from django.template.loader import get_template
from django.utils.formats import get_format
from django.utils.html import conditional_escape, escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from unionportal.templatetags.vn import plain

from ..models import DataElement, ValueType

register = template.Library()

# The groups of columns that can be collapsed, in the order they come: by what is typed in them.
GROUPS = {
    ValueType.CHOICE: ("c", gettext_lazy("Ratings")),
    ValueType.BOOLEAN: ("b", gettext_lazy("Activities (yes / no)")),
    ValueType.NUMBER: ("n", gettext_lazy("Figures")),
    ValueType.MONEY: ("n", gettext_lazy("Figures")),
}


@dataclass(frozen=True)
class ColumnGroup:
    key: str
    label: str
    size: int


@register.filter
def column_group(element: DataElement) -> str:
    return GROUPS[element.value_type][0]


@register.filter
def column_kind(element: DataElement) -> str:
    """number, choice or boolean: the cell's class (cell-number…) and how grid.js fills it."""
    if element.is_numeric:
        return "number"
    return "choice" if element.value_type == ValueType.CHOICE else "boolean"


@register.filter
def column_groups(columns: list[DataElement]) -> list[ColumnGroup]:
    """The runs of neighbouring columns of one group, each with a button to collapse it."""
    groups: list[ColumnGroup] = []
    for element in columns:
        key, label = GROUPS[element.value_type]
        if groups and groups[-1].key == key:
            groups[-1] = ColumnGroup(key, groups[-1].label, groups[-1].size + 1)
        else:
            groups.append(ColumnGroup(key, str(label), 1))
    return groups


@register.filter
def column_help(element: DataElement) -> str:
    """What a column asks for, shown when its header has the focus: the catalogue's description,
    else what may be typed."""
    if element.description:
        return element.description
    if element.value_type == ValueType.BOOLEAN:
        kind = _("Choose Yes or No.")
    elif element.value_type == ValueType.CHOICE:
        kind = _("Choose one of: %(choices)s.") % {"choices": "; ".join(c["label"] for c in element.choices)}
    else:
        bounds = []
        if element.min_value is not None:
            bounds.append(_("at least %(n)s") % {"n": plain(element.min_value)})
        if element.max_value is not None:
            bounds.append(_("at most %(n)s") % {"n": plain(element.max_value)})
        kind = _("A number, written 1.234,5") + (f" ({', '.join(bounds)})" if bounds else "") + "."
    unit = f" {_('Unit')}: {element.unit}." if element.unit else ""
    return f"{element.name}. {kind}{unit}"


def _options(element: DataElement) -> list[tuple[str, str]]:
    if element.value_type == ValueType.BOOLEAN:
        return [("1", _("Yes")), ("0", _("No"))]
    return [(choice["code"], choice["label"]) for choice in element.choices]


@register.filter
def column_options(element: DataElement) -> SafeString:
    """The options of a column's selects, written once (grid.js copies them into a select when it is used)."""
    return format_html(
        '<option value=""></option>{}', format_html_join("", '<option value="{}">{}</option>', _options(element))
    )


def _input(cell, value: str, kind: str, labels: dict[str, str]) -> str:
    # The version is written only when it is not the usual one: 1 for a filled cell, 0 for an empty
    # one (grid.js reads it so). Values are numbers or codes, written unquoted when they can be.
    usual = 1 if value else 0
    version = f" data-v={cell.version}" if cell.version != usual else ""
    if kind == "number":
        return f"<input value={_attribute(value)}{version}>" if value else f"<input{version}>"
    return f"<select{version}><option value={_attribute(value)}>{escape(labels.get(value, ''))}</select>"


_QUOTED = re.compile("[ \t\n\"'=<>`&]")


def _attribute(value: str) -> str:
    """An attribute's value, unquoted when HTML allows it (no space, quote, =, <, >, `)."""
    if value and not _QUOTED.search(value):
        return value
    return f'"{escape(value)}"'


def _text(cell, kind: str, thousands: str | None = None) -> str:
    raw = cell.raw
    if raw is None:
        return ""
    if kind == "number":
        # Most figures are whole counts: grouped here by threes with the language's separator,
        # as plain() would, without number_format's cost per call; others go through plain().
        if thousands is not None and isinstance(raw, Decimal) and raw == raw.to_integral_value():
            return f"{int(raw):,}".replace(",", thousands)
        return plain(raw)
    if kind == "boolean":
        return "1" if raw else "0"
    return raw


def _display(cell, kind: str, labels: dict[str, str], thousands: str | None = None) -> str:
    text = _text(cell, kind, thousands)
    if kind == "number" or not text:
        return text
    return labels.get(text, text)


def _thousands() -> str | None:
    """The active language's thousands separator when it groups whole numbers by threes, else None."""
    separator = get_format("THOUSAND_SEPARATOR")
    return separator if get_format("NUMBER_GROUPING") == 3 and separator else None


@register.simple_tag
def grid_rows(rows, columns, editable: bool, warnings_by_cell: dict) -> SafeString:
    """The rows of the grid: one <tr> a body, its cells in the order of the columns."""
    kinds = [column_kind(element) for element in columns]
    labels = [dict(_options(element)) if kind != "number" else {} for element, kind in zip(columns, kinds, strict=True)]
    marker = get_template("indicators/quality/_marker.html")
    complete = f'<span title="{escape(_("complete"))}">✓</span>'
    thousands = _thousands()
    out: list[str] = []
    for row in rows:
        organization = row.organization
        pk = organization.pk
        out.append(
            f'<tr data-r="{escape(organization.code)}" data-id="{pk}"><th scope="row" id="r-{pk}" class="row-head">'
            f'<span id="row-mark-{pk}" class="row-mark">{complete if row.complete else ""}</span>'
            f"{conditional_escape(organization.display_name)}"
            f"<small>{conditional_escape(organization.get_sector_display())}</small></th>"
        )
        for cell, kind, names in zip(row.cells, kinds, labels, strict=True):
            if cell is None:
                out.append('<td class="na">')
                continue
            found = warnings_by_cell.get(f"{pk}-{cell.element.pk}") if warnings_by_cell else None
            mark = marker.render({"found": found}) if found else ""
            if editable:
                out.append(f"<td>{_input(cell, _text(cell, kind, thousands), kind, names)}{mark}")
            else:
                out.append(f"<td>{escape(_display(cell, kind, names, thousands))}{mark}")
    # Every piece above is escaped (escape, conditional_escape) or a number: written as one string,
    # since format_html per cell costs what this module saves.
    return mark_safe("".join(out))  # noqa: S308


@register.simple_tag
def grid_rows_as_text(rows, columns, editable: bool, warnings_by_cell: dict) -> SafeString:
    """The same rows, to be kept as the text of a <script type="text/html"> (grid.html): the browser
    only scans it for its end tag, where a <template> would be parsed into elements before the page
    can be used; grid.js parses it once the first rows are on screen.

    Every text and attribute value above is escaped, so the two sequences that end or confuse a
    script's text (its end tag, a comment's start) cannot come from the data: neutralized all the same.
    """
    html = grid_rows(rows, columns, editable, warnings_by_cell)
    return mark_safe(html.replace("</script", "&lt;/script").replace("<!--", "&lt;!--"))  # noqa: S308
