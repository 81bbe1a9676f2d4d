"""Writes of data quality: the warnings brought up to date, and their confirmations.

warnings_refresh runs inside the services that change figures (a cell, a grid file) and
before a submission; it writes in bulk, a fixed number of queries whatever the number of
bodies. warnings_confirm is the user's action: each flagged figure vouched for, with a reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from organizations.models import Organization
from organizations.permissions import Action, scope_for
from unionportal.numbers import round_half_up

from ..models import DataValue, QualityConfirmation, QualityWarning, ReportingPeriod, Submission
from ..models.submission import LOCKED_STATUSES
from .evaluation import findings, grid_organizations

FIELDS = ("value", "reference", "low", "high", "missing")
STORED_PLACES = 2  # the decimal places of QualityWarning's numbers
COMMENT_MIN, COMMENT_MAX = 5, 500
MARKUP = re.compile(r"<\s*/?\s*[A-Za-z!?]|&#?\w+;")


@dataclass(frozen=True)
class RefreshCounts:
    """What a refresh did: warnings raised, brought up to date, dropped, and left as they were."""

    created: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0


@transaction.atomic
def warnings_refresh(*, organizations: QuerySet[Organization], period: ReportingPeriod) -> list[QualityWarning]:
    """Raise, update or drop the warnings of these bodies for the period; the open and confirmed ones that remain.

    A warning whose figure changed keeps its row but loses its confirmation's effect (the
    confirmation names the figure it vouched for).
    """
    return _refresh(organizations, period)[0]


@transaction.atomic
def warnings_backfill(*, period: ReportingPeriod, under: Organization | None = None) -> RefreshCounts:
    """Evaluate the rules over every figure of the period already saved (in `under`'s subtree, or
    everywhere), as if each had just been saved: for figures entered before a rule existed.

    One refresh in bulk (a fixed number of queries, whatever the number of bodies), keyed by rule
    and body as the cells' refreshes are: running it twice raises nothing twice. A body's warning
    that no longer holds is dropped, as a cell's save drops it.
    """
    bodies = Organization.objects.within(under) if under is not None else Organization.objects.all()
    with_figures = DataValue.objects.filter(period=period).values("organization_id")
    with_warnings = QualityWarning.objects.filter(period=period).values("organization_id")
    organizations = bodies.filter(Q(pk__in=with_figures) | Q(pk__in=with_warnings))
    return _refresh(organizations, period)[1]


def _refresh(
    organizations: QuerySet[Organization], period: ReportingPeriod
) -> tuple[list[QualityWarning], RefreshCounts]:
    if not period.pk:
        return [], RefreshCounts()
    found = {finding.key: finding for finding in findings(organizations, period)}
    existing = {
        (w.rule_id, w.organization_id): w
        for w in QualityWarning.objects.filter(period=period, organization__in=organizations)
    }
    created, changed = [], []
    for key, finding in found.items():
        values = {name: _as_stored(getattr(finding, name)) for name in FIELDS}
        warning = existing.get(key)
        if warning is None:
            created.append(
                QualityWarning(
                    rule=finding.rule,
                    organization_id=finding.organization_id,
                    period=period,
                    element_id=finding.rule.element_id,
                    **values,
                )
            )
        elif any(getattr(warning, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(warning, name, value)
            changed.append(warning)
    QualityWarning.objects.bulk_create(created)
    QualityWarning.objects.bulk_update(changed, FIELDS)
    gone = [warning.pk for key, warning in existing.items() if key not in found]
    if gone:
        QualityWarning.objects.filter(pk__in=gone).delete()
    counts = RefreshCounts(
        created=len(created),
        updated=len(changed),
        removed=len(gone),
        unchanged=len(existing) - len(gone) - len(changed),
    )
    return [*created, *(w for key, w in existing.items() if key in found)], counts


def _as_stored(value):
    """A number as its column keeps it (2 places): a band of 6.2761 compared as stored, 6.28, so
    that an unchanged warning is not rewritten at every refresh."""
    return round_half_up(value, STORED_PLACES) if isinstance(value, Decimal) else value


def unit_refresh(*, unit: Organization, period: ReportingPeriod) -> list[QualityWarning]:
    """The warnings of a unit's whole grid (the unit and its base unions) for the period."""
    return warnings_refresh(organizations=grid_organizations(unit), period=period)


def clean_comment(text: str) -> str:
    comment = " ".join((text or "").split())
    if MARKUP.search(comment):
        raise ValidationError(_("Write the explanation as plain text, without tags such as <b> or <script>."))
    if len(comment) < COMMENT_MIN:
        raise ValidationError(
            _("Explain in a few words (at least %(min)s characters) why the figure is right.") % {"min": COMMENT_MIN}
        )
    if len(comment) > COMMENT_MAX:
        raise ValidationError(_("Keep the explanation under %(max)s characters.") % {"max": COMMENT_MAX})
    return comment


@transaction.atomic
def warnings_confirm(*, unit: Organization, period: ReportingPeriod, comments: dict[int, str], by) -> int:
    """Confirm warnings of the unit's grid, each with its explanation (warning id -> text); how many were confirmed.

    Refuses (nothing written) a warning outside the grid, a figure the user may not enter,
    a grid already submitted, and an explanation that is empty, too long or holds markup.
    """
    warnings = {
        w.pk: w
        for w in QualityWarning.objects.filter(
            pk__in=list(comments), period=period, organization__in=grid_organizations(unit)
        ).select_related("organization", "rule__element")
    }
    if set(comments) - set(warnings):
        raise ValidationError(_("Some of these warnings are not in this grid any more: open the page again."))
    if Submission.objects.filter(organization=unit, period=period, status__in=LOCKED_STATUSES).exists():
        raise ValidationError(_("The figures of this period have been submitted and are locked."))
    scope = scope_for(by)
    errors = {}
    for pk, warning in warnings.items():
        if not scope.can(Action.ENTER_DATA, warning.organization):
            raise PermissionDenied(_("You may not enter figures for %(name)s.") % {"name": warning.organization.name})
        try:
            comments[pk] = clean_comment(comments[pk])
        except ValidationError as problem:
            errors[f"comment_{pk}"] = problem.messages
    if errors:
        raise ValidationError(errors)
    for pk, warning in warnings.items():
        confirmation = QualityConfirmation(
            warning=warning, organization=warning.organization, value=warning.value, comment=comments[pk], by=by
        )
        confirmation.full_clean(exclude=["warning"])
        QualityConfirmation.objects.update_or_create(
            warning=warning,
            defaults={"organization": warning.organization, "value": warning.value, "comment": comments[pk], "by": by},
        )
    return len(warnings)
