"""Writes of targets: one target, and the allocation of a parent's target to its children (phân bổ chỉ tiêu)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from organizations.models import Organization
from organizations.permissions import Action, scope_for
from unionportal import generations

from ..models import Comparison, Indicator, Target


def target_set(
    *,
    indicator: Indicator,
    organization: Organization,
    value: Decimal,
    year: int | None = None,
    comparison: str | None = None,
    value_max: Decimal | None = None,
    note: str = "",
    by=None,
) -> Target:
    target, _created = Target.objects.update_or_create(
        indicator=indicator,
        organization=organization,
        year=year,
        defaults={
            "comparison": comparison or indicator.comparison,
            "value": value,
            "value_max": value_max,
            "note": note,
        },
    )
    # After the write (outside a transaction, on_commit runs at once): the dashboards compare figures with targets.
    generations.bump_after_commit(everything=True)
    return target


def target_clear(*, indicator: Indicator, organization: Organization, year: int | None = None, by=None) -> None:
    """The organization has no target of its own for the indicator in that year (or term) any more."""
    Target.objects.filter(indicator=indicator, organization=organization, year=year).delete()
    generations.bump_after_commit(everything=True)


def _require_manager(user, organization: Organization) -> None:
    if not scope_for(user).can(Action.MANAGE_PROGRAMS, organization):
        raise PermissionDenied(_("You may not manage the programs of %(name)s.") % {"name": organization.name})


@dataclass(frozen=True)
class Allocation:
    """One child's share of the parent's target: a value (and the upper end, for a range), or None to clear."""

    organization: Organization
    value: Decimal | None
    value_max: Decimal | None = None


@transaction.atomic
def targets_allocate(
    *, indicator: Indicator, parent: Organization, year: int | None, allocations: list[Allocation], by
) -> list[Target]:
    """The parent sets its children's targets for the term (year None) or one year, in one go.

    Needs MANAGE_PROGRAMS at the parent. A child left empty has no target of its own
    for that year afterwards. Whether the children's targets add up to the parent's is
    shown, not enforced: a province may give its districts more than its own target.
    """
    _require_manager(by, parent)
    program = indicator.program
    if year is not None and year not in program.years:
        raise ValidationError(_("The year must be within the program (%(period)s).") % {"period": program.period_label})
    children = {
        child.pk: child for child in Organization.objects.filter(path__startswith=parent.path, depth=parent.depth + 1)
    }
    saved: list[Target] = []
    errors: list[str] = []
    for allocation in allocations:
        child = allocation.organization
        if child.pk not in children:
            raise ValidationError(
                _("%(name)s is not directly below %(parent)s.") % {"name": child.name, "parent": parent.name}
            )
        if allocation.value is None:
            target_clear(indicator=indicator, organization=child, year=year, by=by)
            continue
        value_max = allocation.value_max if indicator.comparison == Comparison.RANGE else None
        if indicator.comparison == Comparison.RANGE:
            if value_max is None:
                value_max = allocation.value
            if value_max < allocation.value:
                errors.append(
                    _("%(name)s: the upper end cannot be below the lower end.") % {"name": child.display_name}
                )
                continue
        saved.append(
            target_set(
                indicator=indicator,
                organization=child,
                value=allocation.value,
                value_max=value_max,
                year=year,
                by=by,
            )
        )
    if errors:
        raise ValidationError(errors)
    return saved
