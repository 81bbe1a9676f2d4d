"""The bodies that report to the user's: their reports waiting for a decision, and those late ("Nhắc").

Four queries whatever their number: the children, their submissions, their waivers and
today's reminders. Reads only.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import ngettext

from indicators.models import Submission, SubmissionStatus, Waiver
from indicators.models.submission import LOCKED_STATUSES
from organizations.models import Organization, OrganizationStatus

from ..models import Reminder
from .items import DECIDE, LATE, Item, LateBody

if TYPE_CHECKING:
    from .selectors import Where

LATE_SHOWN = 10  # late bodies listed under one item; the review page lists them all
NAMES_SHOWN = 5  # bodies named in an item about reports waiting for a decision


@dataclass
class Children:
    """The bodies reporting to the user's bodies (units and parents) and where their reports stand."""

    by_parent: dict[str, list[Organization]] = field(default_factory=dict)  # parent path -> children, by code
    sent: set[tuple[int, int]] = field(default_factory=set)  # (child, period): submitted or accepted
    waived: set[tuple[int, int]] = field(default_factory=set)
    waiting: list[Submission] = field(default_factory=list)  # submitted, any period: waiting for a decision
    reminded: dict[tuple[int, int], object] = field(default_factory=dict)  # (child, period) -> today's reminder time


def children_state(where: Where) -> Children:
    state = Children()
    parents = {o.path: o for o in where.units + where.parents}
    if not parents:
        return state
    below = Q(pk__in=[])
    for parent in parents.values():
        below |= Q(path__startswith=parent.path, depth=parent.depth + 1)
    children = list(
        Organization.objects.filter(below, status=OrganizationStatus.ACTIVE, level__rank__lt=where.base_rank)
        .select_related("level")
        .order_by("code")
    )
    for child in children:
        state.by_parent.setdefault(child.parent_path, []).append(child)
    if not children:
        return state
    ids, saved = [c.pk for c in children], where.saved
    submissions = (
        Submission.objects.filter(organization__in=ids)
        .filter(Q(period__in=saved) | Q(status=SubmissionStatus.SUBMITTED))
        .select_related("period")
        .order_by("period__end_on", "organization__code")
    )
    by_id = {c.pk: c for c in children}
    for submission in submissions:
        submission.organization = by_id[submission.organization_id]
        if submission.status in LOCKED_STATUSES:
            state.sent.add((submission.organization_id, submission.period_id))
        if submission.status == SubmissionStatus.SUBMITTED:
            state.waiting.append(submission)
    if saved:
        state.waived = set(
            Waiver.objects.filter(organization__in=ids, period__in=saved).values_list("organization_id", "period_id")
        )
        state.reminded = {
            (organization, period): at
            for organization, period, at in Reminder.objects.filter(
                organization__in=ids, period__in=saved, day=where.today
            ).values_list("organization_id", "period_id", "at")
        }
    return state


def decision_items(where: Where, children: Children) -> list[Item]:
    """For each of the user's parents and period: the children's reports waiting for the user's decision."""
    parents = {o.path: o for o in where.parents}
    groups: dict[tuple[str, int], list[Submission]] = defaultdict(list)
    for submission in children.waiting:
        if submission.organization.parent_path in parents:
            groups[(submission.organization.parent_path, submission.period_id)].append(submission)
    items = []
    for (path, _period), submissions in groups.items():
        parent, period = parents[path], submissions[0].period
        names = [s.organization.display_name for s in submissions[:NAMES_SHOWN]]
        if len(submissions) > NAMES_SHOWN:
            names.append("…")
        items.append(
            Item(
                kind=DECIDE,
                title=ngettext(
                    "%(count)s body has sent its report of %(period)s: accept or return it",
                    "%(count)s bodies have sent their reports of %(period)s: accept or return them",
                    len(submissions),
                )
                % {"count": len(submissions), "period": period.label.lower()},
                url=reverse("indicators:review", args=[period.code, parent.code]),
                tone="primary",
                organization=parent,
                period=period,
                details=(", ".join(names),),
                sort=(1, period.end_on.toordinal(), path),
            )
        )
    return items


def late_items(where: Where, children: Children) -> list[Item]:
    """For each of the user's parents and overdue period: the children that have not sent their report."""
    items = []
    for parent in where.parents:
        for period in where.periods:
            days_left = (period.deadline - where.today).days
            if days_left >= 0:
                continue
            late = [
                child
                for child in children.by_parent.get(parent.path, [])
                if (child.pk, period.pk) not in children.sent and (child.pk, period.pk) not in children.waived
            ]
            if not late:
                continue
            items.append(
                Item(
                    kind=LATE,
                    title=ngettext(
                        "%(count)s body below %(name)s has not sent its report of %(period)s",
                        "%(count)s bodies below %(name)s have not sent their reports of %(period)s",
                        len(late),
                    )
                    % {"count": len(late), "name": parent.display_name, "period": period.label.lower()},
                    url=reverse("indicators:review", args=[period.code, parent.code]),
                    tone="danger",
                    organization=parent,
                    period=period,
                    due=period.deadline,
                    days_left=days_left,
                    bodies=tuple(
                        LateBody(organization=child, reminded_at=children.reminded.get((child.pk, period.pk)))
                        for child in late[:LATE_SHOWN]
                    ),
                    more=max(len(late) - LATE_SHOWN, 0),
                    sort=(2, period.deadline.toordinal(), parent.path),
                )
            )
    return items
