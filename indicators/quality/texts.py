"""A warning as users read it: the figure, what it was compared with, and the range that would look right."""

from __future__ import annotations

from django.utils.translation import gettext as _

from unionportal.templatetags.vn import num

from ..models import QualityWarning, RuleKind


def _range(warning: QualityWarning) -> str:
    if warning.low is not None and warning.high is not None:
        return _("%(low)s to %(high)s") % {"low": num(warning.low), "high": num(warning.high)}
    if warning.high is not None:
        return _("at most %(high)s") % {"high": num(warning.high)}
    return _("at least %(low)s") % {"low": num(warning.low)}


def describe(warning: QualityWarning) -> str:
    """One sentence: "Entered 1.000; on the register: 24 (expected 21,6 to 26,4)."."""
    value = num(warning.value)
    kind = warning.rule.kind
    if kind == RuleKind.FIELDS:
        if warning.missing:
            return _("Entered %(value)s, but the figure it is compared with is empty (counted as 0).") % {
                "value": value
            }
        return _("Entered %(value)s; compared with %(reference)s.") % {
            "value": value,
            "reference": num(warning.reference),
        }
    if kind == RuleKind.REGISTRY:
        return _("Entered %(value)s; on the register: %(reference)s (expected %(range)s).") % {
            "value": value,
            "reference": num(warning.reference),
            "range": _range(warning),
        }
    if kind == RuleKind.CHANGE:
        return _("Entered %(value)s; previous period: %(reference)s (expected %(range)s).") % {
            "value": value,
            "reference": num(warning.reference),
            "range": _range(warning),
        }
    return _("Entered %(value)s; earlier periods: median %(reference)s (expected %(range)s).") % {
        "value": value,
        "reference": num(warning.reference),
        "range": _range(warning),
    }
