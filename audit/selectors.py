"""Reads of the audit trail, newest first. Scoping is the views' job (through the scoped lookups)."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from imports.models import ExportLog
from indicators.models import DataValue, ReportingPeriod
from organizations.models import Organization

from .models import AuditEvent


def events_of(subject: str, subject_id: int) -> QuerySet[AuditEvent]:
    """A member's, workplace's or organization's own history (a member's roles and trainings included),
    with the bulk import's event that created it, if one did (present it with `row=subject_id`)."""
    return AuditEvent.objects.filter(
        Q(subject=subject, subject_id=subject_id)
        | Q(subject=subject, last_row_id__isnull=False, row_id__lte=subject_id, last_row_id__gte=subject_id)
    ).order_by("-id")


def events_at(organization: Organization) -> QuerySet[AuditEvent]:
    """Everything written at an organization: its record, rights, members, workplaces and figures."""
    return AuditEvent.objects.filter(organization=organization).order_by("-id")


def _path_and_ancestors(organization: Organization) -> list[str]:
    step = Organization.steplen
    return [organization.path[:end] for end in range(step, len(organization.path) + 1, step)]


def personal_data_exports(organization: Organization, scope, *, limit: int = 20) -> list[ExportLog]:
    """The latest exports of members' personal data taken at this organization or above it,
    as far up as the user's own subtrees reach (a province's exports are not a district's business)."""
    return list(
        ExportLog.objects.filter(
            scope.q("organization__path"), organization__path__in=_path_and_ancestors(organization)
        )
        .select_related("user", "organization")
        .order_by("-at")[:limit]
    )


def events_of_grid(organization: Organization, period: ReportingPeriod) -> QuerySet[AuditEvent]:
    """The figures of one data-entry grid: the organization and its branches, in one period.

    An update records only the changed columns, so the period is found through the values
    that exist; a deleted value still carries its whole row.
    """
    if not period.pk:
        return AuditEvent.objects.none()  # nobody has written in this period yet
    rows = Organization.objects.filter(path__startswith=organization.path, depth__lte=organization.depth + 1)
    values = DataValue.objects.filter(period=period, organization__in=rows).values("pk")
    return (
        AuditEvent.objects.filter(subject="datavalue", organization__in=rows)
        .filter(Q(subject_id__in=values) | Q(action="delete", before__period_id=period.pk))
        .order_by("-id")
    )
