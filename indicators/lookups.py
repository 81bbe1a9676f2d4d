"""The scoped lookup of an indicator. Views never call a bare `objects.get(...)`."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _

from programs.lookups import get_program_for_user

from .models import Indicator

INDICATOR_RELATED = ("element", "denominator", "eligibility", "level")


def get_indicator_for_user(user, program_code: str, indicator_code: str) -> Indicator:
    """An indicator of a program the user sees (404 otherwise)."""
    program = get_program_for_user(user, program_code)
    indicator = program.indicators.filter(code=indicator_code).select_related(*INDICATOR_RELATED).first()
    if indicator is None:
        raise Http404(_("Indicator not found."))
    indicator.program = program
    return indicator
