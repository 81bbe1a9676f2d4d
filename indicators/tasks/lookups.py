"""Scoped lookups of the task pages: the body, one of its tasks, one of its evidence files.

Outside the user's subtrees: 404; inside, without the right asked for: 403. A task the body
does not answer for, or a file of another body or period, does not exist here (404).
"""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _

from organizations.lookups import get_organization_for_user
from organizations.models import Level, Organization
from organizations.permissions import Action
from programs.models import ProgramSection

from ..models import TaskEvidence


def get_task_organization_for_user(user, code: str, action: Action = Action.VIEW) -> Organization:
    organization = get_organization_for_user(user, code, action)
    if organization.level.code == Level.BELOW_BASE:
        raise Http404(_("This body does not report tasks of its own."))
    return organization


def get_task_of(organization: Organization, task: int) -> ProgramSection:
    """A task the (already scoped) body answers for."""
    section = ProgramSection.objects.filter(pk=task, responsible=organization).select_related("program").first()
    if section is None:
        raise Http404(_("This body is not responsible for this task."))
    return section


def get_evidence_of(organization: Organization, period: str, pk: int) -> TaskEvidence:
    """An evidence file of the (already scoped) body's record of a task in the period."""
    evidence = (
        TaskEvidence.objects.filter(pk=pk, report__organization=organization, report__period__code=period)
        .select_related("report__section__program", "report__organization", "report__period")
        .first()
    )
    if evidence is None:
        raise Http404(_("Evidence file not found."))
    return evidence
