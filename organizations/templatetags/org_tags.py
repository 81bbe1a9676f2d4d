from django import template

from organizations.models import Sector

register = template.Library()


@register.filter
def sector_name(value: str) -> str:
    try:
        return Sector(value).label
    except ValueError:
        return ""


@register.filter
def sector_items(counts: dict[str, int]) -> list[tuple[str, str, int]]:
    """(value, label, count) for every sector, in the official order."""
    return [(value, label, counts.get(value, 0)) for value, label in Sector.choices]
