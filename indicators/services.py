"""Writes for reported data, targets and the submit–accept workflow."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from organizations.models import Level, Organization, OrganizationStatus
from organizations.permissions import Action, scope_for
from unionportal.numbers import read_number

from .models import (
    AllocationRule,
    DataElement,
    DataElementRule,
    DataValue,
    Indicator,
    ReportingPeriod,
    Submission,
    SubmissionEvent,
    SubmissionStatus,
    Target,
    ValueType,
    Waiver,
)
from .models.submission import LOCKED_STATUSES

TRUE_WORDS = {"1", "true", "yes", "x", "có", "co", "đã", "da", "c"}
FALSE_WORDS = {"0", "false", "no", "không", "khong", "chưa", "chua", "k"}


class EditConflict(Exception):
    """Someone saved the cell after the editor loaded it; carries the newer value."""

    def __init__(self, current: DataValue) -> None:
        super().__init__("stale edit")
        self.current = current


# --- reporting units -------------------------------------------------------------------


def reporting_unit(organization: Organization) -> Organization:
    """The body whose submission carries this organization's figures.

    Base unions and the units below them do not submit: their upper-level union enters
    and submits their figures, so it is the nearest ancestor above the base level.
    """
    base_rank = Level.objects.only("rank").get(code=Level.BASE).rank
    if organization.level.rank < base_rank:
        return organization
    for ancestor in reversed(list(organization.ancestors())):
        if ancestor.level.rank < base_rank:
            return ancestor
    return organization


def reporting_children(organization: Organization) -> list[Organization]:
    """The children that submit to this organization: active bodies above the base level."""
    base_rank = Level.objects.only("rank").get(code=Level.BASE).rank
    return list(
        organization.children().filter(status=OrganizationStatus.ACTIVE, level__rank__lt=base_rank).order_by("code")
    )


def submission_for(organization: Organization, period: ReportingPeriod) -> Submission:
    submission, _created = Submission.objects.get_or_create(organization=organization, period=period)
    return submission


def is_locked(organization: Organization, period: ReportingPeriod) -> bool:
    unit = reporting_unit(organization)
    return Submission.objects.filter(organization=unit, period=period, status__in=LOCKED_STATUSES).exists()


# --- data values -----------------------------------------------------------------------


def _figure(value: Decimal) -> str:
    """A bound in a message as users write it: 1.000, not 1000.00."""
    whole = value == value.to_integral_value()
    return number_format(value, decimal_pos=0 if whole else None, use_l10n=True, force_grouping=True)


def parse_value(element: DataElement, raw) -> dict:
    """The stored fields for a typed-in value, or ValidationError saying what to type."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        if element.required:
            raise ValidationError(_("This figure is required."))
        return {"number": None, "boolean": None, "choice": ""}
    if element.value_type in (ValueType.NUMBER, ValueType.MONEY):
        number = read_number(raw)
        if element.min_value is not None and number < element.min_value:
            raise ValidationError(_("The value must be at least %(min)s.") % {"min": _figure(element.min_value)})
        if element.max_value is not None and number > element.max_value:
            raise ValidationError(_("The value must be at most %(max)s.") % {"max": _figure(element.max_value)})
        return {"number": number, "boolean": None, "choice": ""}
    if element.value_type == ValueType.BOOLEAN:
        word = str(raw).strip().lower()
        if raw is True or word in TRUE_WORDS:
            return {"number": None, "boolean": True, "choice": ""}
        if raw is False or word in FALSE_WORDS:
            return {"number": None, "boolean": False, "choice": ""}
        raise ValidationError(_("Answer “Có” (yes) or “Không” (no)."))
    text = str(raw).strip()
    for choice in element.choices:
        if text in (choice["code"], choice["label"]):
            return {"number": None, "boolean": None, "choice": choice["code"]}
    raise ValidationError(
        _("Choose one of: %(choices)s.") % {"choices": ", ".join(c["label"] for c in element.choices)}
    )


def check_rules(element: DataElement, organization: Organization, period: ReportingPeriod, number) -> None:
    """Cross-field rules ("women ≤ total") against the other values already saved."""
    if number is None:
        return
    outgoing = list(element.rules.select_related("other"))
    others = {
        v.element_id: v.number
        for v in DataValue.objects.filter(organization=organization, period=period, number__isnull=False)
    }
    for rule in outgoing:
        other = others.get(rule.other_id)
        if other is not None and not rule.holds(number, other):
            raise ValidationError(rule.message)
    # The same rules read from the other side: saving the total checks "women ≤ total" too.
    for rule in DataElementRule.objects.filter(other=element).select_related("element"):
        left = others.get(rule.element_id)
        if left is not None and not rule.holds(left, number):
            raise ValidationError(rule.message)


@transaction.atomic
def data_value_save(
    *,
    element: DataElement,
    organization: Organization,
    period: ReportingPeriod,
    raw,
    by,
    expected_version: int | None = None,
    today: datetime.date | None = None,
) -> DataValue | None:
    """Save one cell. `expected_version` is the version the editor saw (0: the cell was empty).

    Refuses a closed (future) period, a locked submission, a value that breaks a rule,
    and a stale edit (EditConflict, carrying the newer value).
    """
    if not period.is_open(today):
        raise ValidationError(_("This period has not started yet: it is closed for entry."))
    if not element.applies_to(organization) or not element.collected_in(period):
        raise ValidationError(_("This figure is not reported by this body for this period."))
    if is_locked(organization, period):
        raise ValidationError(_("The figures of this period have been submitted and are locked."))
    fields = parse_value(element, raw)
    check_rules(element, organization, period, fields["number"])
    current = (
        DataValue.objects.select_for_update().filter(element=element, organization=organization, period=period).first()
    )
    if expected_version is not None:
        seen = current.version if current else 0
        if seen != expected_version:
            raise EditConflict(current)
    if current is None:
        if fields["number"] is None and fields["boolean"] is None and not fields["choice"]:
            return None
        return DataValue.objects.create(
            element=element, organization=organization, period=period, updated_by=by, **fields
        )
    changed = [name for name, value in fields.items() if getattr(current, name) != value]
    if not changed:
        return current
    for name in changed:
        setattr(current, name, fields[name])
    current.version += 1
    current.updated_by = by
    current.save(update_fields=[*changed, "version", "updated_by", "updated_at"])
    return current


# --- targets and allocation --------------------------------------------------------------


@dataclass(frozen=True)
class AllocationCheck:
    rule: str
    parent_value: Decimal | None
    children_value: Decimal | None  # their sum, or their average
    missing: list[Organization]  # children without a target
    ok: bool


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
    return target


def allocation_check(*, indicator: Indicator, parent: Organization, year: int | None = None) -> AllocationCheck:
    """Do the children's targets add up to (or average to) the parent's?"""
    own = Target.objects.filter(indicator=indicator, organization=parent, year=year).first()
    if own is not None:
        parent_value = own.value
    elif parent.pk == indicator.program.scope_id:
        parent_value = indicator.target_value
    else:
        parent_value = None
    children = list(parent.children().filter(status=OrganizationStatus.ACTIVE).order_by("code"))
    targets = {
        t.organization_id: t.value
        for t in Target.objects.filter(indicator=indicator, organization__in=children, year=year)
    }
    missing = [c for c in children if c.pk not in targets]
    values = list(targets.values())
    if not values:
        children_value = None
    elif indicator.allocation == AllocationRule.AVERAGE:
        children_value = (sum(values) / len(values)).quantize(Decimal("0.01"))
    else:
        children_value = sum(values)
    # Children may take on more than their share between them, never less: a sum (or an
    # average) at or above the parent's target covers it.
    ok = (
        indicator.allocation != AllocationRule.NONE
        and parent_value is not None
        and children_value is not None
        and not missing
        and children_value >= parent_value
    )
    return AllocationCheck(
        rule=indicator.allocation, parent_value=parent_value, children_value=children_value, missing=missing, ok=ok
    )


# --- workflow ----------------------------------------------------------------------------


def _event(submission: Submission, action: str, by, comment: str = "") -> None:
    SubmissionEvent.objects.create(submission=submission, action=action, by=by, comment=comment)


def _require(user, action: Action, organization: Organization, *, strict: bool | None = None) -> None:
    if not scope_for(user).can(action, organization, strict=strict):
        raise PermissionDenied(_("You may not do this for %(name)s.") % {"name": organization.name})


def _reviewer_of(user, organization: Organization) -> None:
    """Only the parent reviews: the right must come from an assignment strictly above the organization."""
    _require(user, Action.REVIEW, organization, strict=True)


@transaction.atomic
def submission_submit(*, organization: Organization, period: ReportingPeriod, by, comment: str = "") -> Submission:
    _require(by, Action.ENTER_DATA, organization)
    submission = Submission.objects.select_for_update().get(pk=submission_for(organization, period).pk)
    if submission.status not in (SubmissionStatus.DRAFT, SubmissionStatus.RETURNED):
        raise ValidationError(_("This period has already been submitted."))
    pending = children_not_in(organization, period)
    if pending:
        raise ValidationError(
            _("%(count)s bodies below have not submitted yet (%(names)s): wait for them, or waive them with a reason.")
            % {"count": len(pending), "names": ", ".join(c.display_name for c in pending[:5])}
        )
    submission.status = SubmissionStatus.SUBMITTED
    submission.submitted_at = timezone.now()
    submission.save(update_fields=["status", "submitted_at", "updated_at"])
    _event(submission, SubmissionEvent.Action.SUBMIT, by, comment)
    return submission


def children_not_in(organization: Organization, period: ReportingPeriod) -> list[Organization]:
    """Children that have neither submitted (or been accepted) nor been waived for the period."""
    children = reporting_children(organization)
    done = set(
        Submission.objects.filter(organization__in=children, period=period, status__in=LOCKED_STATUSES).values_list(
            "organization_id", flat=True
        )
    )
    waived = set(
        Waiver.objects.filter(organization__in=children, period=period).values_list("organization_id", flat=True)
    )
    return [c for c in children if c.pk not in done and c.pk not in waived]


@transaction.atomic
def submission_return(*, organization: Organization, period: ReportingPeriod, by, comment: str) -> Submission:
    _reviewer_of(by, organization)
    if not comment.strip():
        raise ValidationError(_("Say why the figures are returned: the comment is required."))
    submission = Submission.objects.select_for_update().get(pk=submission_for(organization, period).pk)
    if submission.status not in (SubmissionStatus.SUBMITTED, SubmissionStatus.ACCEPTED):
        raise ValidationError(_("Only submitted or accepted figures can be returned."))
    submission.status = SubmissionStatus.RETURNED
    submission.decided_at = timezone.now()
    submission.save(update_fields=["status", "decided_at", "updated_at"])
    _event(submission, SubmissionEvent.Action.RETURN, by, comment)
    return submission


@transaction.atomic
def submission_accept(*, organization: Organization, period: ReportingPeriod, by, comment: str = "") -> Submission:
    _reviewer_of(by, organization)
    submission = Submission.objects.select_for_update().get(pk=submission_for(organization, period).pk)
    if submission.status != SubmissionStatus.SUBMITTED:
        raise ValidationError(_("Only submitted figures can be accepted."))
    submission.status = SubmissionStatus.ACCEPTED
    submission.decided_at = timezone.now()
    submission.save(update_fields=["status", "decided_at", "updated_at"])
    _event(submission, SubmissionEvent.Action.ACCEPT, by, comment)
    return submission


@transaction.atomic
def submission_reopen(*, organization: Organization, period: ReportingPeriod, by, comment: str) -> Submission:
    """The parent unlocks accepted figures for correction; they go back to the organization."""
    _reviewer_of(by, organization)
    if not comment.strip():
        raise ValidationError(_("Say why the figures are reopened: the comment is required."))
    submission = Submission.objects.select_for_update().get(pk=submission_for(organization, period).pk)
    if submission.status != SubmissionStatus.ACCEPTED:
        raise ValidationError(_("Only accepted figures can be reopened."))
    submission.status = SubmissionStatus.RETURNED
    submission.decided_at = timezone.now()
    submission.save(update_fields=["status", "decided_at", "updated_at"])
    _event(submission, SubmissionEvent.Action.REOPEN, by, comment)
    return submission


@transaction.atomic
def waiver_grant(*, organization: Organization, period: ReportingPeriod, reason: str, by) -> Waiver:
    _reviewer_of(by, organization)
    if not reason.strip():
        raise ValidationError(_("A waiver needs its reason."))
    waiver, _created = Waiver.objects.get_or_create(
        organization=organization, period=period, defaults={"reason": reason.strip(), "by": by}
    )
    return waiver


@dataclass(frozen=True)
class Completeness:
    expected: int
    submitted: int  # submitted or accepted
    accepted: int
    late: int
    waived: int


def completeness(organization: Organization, period: ReportingPeriod) -> Completeness:
    """ "18 of 20 submitted, 2 late": the children's submissions of one period."""
    children = reporting_children(organization)
    submissions = list(Submission.objects.filter(organization__in=children, period=period).select_related("period"))
    done = [s for s in submissions if s.status in LOCKED_STATUSES]
    waived = Waiver.objects.filter(organization__in=children, period=period).count()
    today = timezone.localdate()
    late_missing = 0 if today <= period.deadline else len(children) - len(done) - waived
    return Completeness(
        expected=len(children),
        submitted=len(done),
        accepted=sum(1 for s in done if s.status == SubmissionStatus.ACCEPTED),
        late=sum(1 for s in done if s.is_late) + max(late_missing, 0),
        waived=waived,
    )
