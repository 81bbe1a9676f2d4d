"""Template filters for Vietnamese figures, loaded in every template.

Numbers are grouped the Vietnamese way by the active formats (2.358; 53,98),
but a year or a code must never be grouped: 2021, not 2.021.
"""

from decimal import Decimal

from django import template
from django.utils.formats import number_format

from unionportal.numbers import round_half_up

register = template.Library()


@register.filter
def year(value) -> str:
    """A year as written: 2021."""
    if value in (None, ""):
        return ""
    return str(int(value))


@register.filter(expects_localtime=True)
def dmy(value) -> str:
    """A day as written here, 05/09/2025: what `|date:"d/m/Y"` writes, without the formats machinery
    (a tenth of its cost: lists write two or three dates a row)."""
    if value in (None, ""):
        return ""
    return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"


@register.filter
def plain(value) -> str:
    """2.358, 12,5 or 1.234,57: whole numbers without decimals, others with at most two; "" for nothing."""
    if value in (None, ""):
        return ""
    value = Decimal(value)
    if value == value.to_integral_value():
        return number_format(value, decimal_pos=0, use_l10n=True, force_grouping=True)
    return number_format(round_half_up(value, 2).normalize(), use_l10n=True, force_grouping=True)


@register.filter
def num(value, decimals: int | None = None) -> str:
    """A count or amount grouped by thousands: 2.358."""
    if value in (None, ""):
        return "–"
    if decimals == "":
        decimals = None  # a template's missing number of places: as the value needs
    if decimals is None and isinstance(value, Decimal | float):
        # 80.00 reads 80, 53.98 reads 53,98: no trailing zeros on whole numbers.
        value = int(value) if value == int(value) else round_half_up(Decimal(str(value)), 2).normalize()
    elif decimals is not None:
        value = round_half_up(Decimal(str(value)), int(decimals))  # half up: number_format would cut
    return number_format(value, decimal_pos=decimals, use_l10n=True, force_grouping=True)


@register.filter
def pct(value, decimals: int = 2) -> str:
    """A percentage with a comma for decimals and a space before the sign: 53,98 %."""
    if value in (None, ""):
        return "–"
    rounded = round_half_up(Decimal(str(value)), int(decimals))  # 15/27: 55,56 %, where number_format cuts to 55,55
    return f"{number_format(rounded, decimal_pos=int(decimals), use_l10n=True)} %"


@register.filter
def share(part, whole) -> str:
    """part / whole as a percentage, or a dash when there is no whole."""
    if not whole:
        return "–"
    return pct(Decimal(part or 0) * 100 / Decimal(whole))


@register.filter
def person_name(user) -> str:
    """A Vietnamese name reads family name first: Nguyễn Thị Thanh Hương, not Hương Nguyễn Thị Thanh."""
    full = f"{user.last_name} {user.first_name}".strip()
    return full or user.get_username()


@register.filter
def get_item(mapping, key):
    return mapping.get(key, "") if mapping else ""


@register.filter
def figure_of(figures, code: str):
    """The figure of one organization among a report's children figures."""
    for figure in figures or ():
        if figure.organization == code:
            return figure
    return None
