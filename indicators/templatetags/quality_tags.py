"""Data-quality warnings on the pages: the sentence of a warning, and the warnings of one grid cell."""

from __future__ import annotations

from django import template

from ..quality.texts import describe

register = template.Library()


@register.filter
def warning_text(warning) -> str:
    return describe(warning)


@register.filter
def cell_warnings(warnings_by_cell: dict | None, cell) -> list:
    """The warnings of a grid cell, from the page's warnings keyed "<organization id>-<element id>"."""
    if not warnings_by_cell or cell is None:
        return []
    return warnings_by_cell.get(f"{cell.organization.pk}-{cell.element.pk}", [])


@register.filter
def any_open(warnings) -> bool:
    return any(not warning.is_confirmed for warning in warnings)
