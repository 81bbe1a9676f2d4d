"""Reads of members, always through the user's scope, and the counts the programs' targets need.

The counts "on a day" and "in a period" read the history tables, not the member's
current row, so they stay right after transfers and departures: a member who moved
from one district to another on 01/07/2023 counts in the first before that day and
in the second from it. Every count is one SQL query (COUNT over a JOIN, or a GROUP BY
on the path prefix for the per-child variants); nothing loops over branches.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Case, Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Value, When

from organizations.models import Organization
from organizations.permissions import ROLE_ACTIONS, Action, scope_for
from organizations.rollups import count_by_child

from .models import BranchRole, Gender, Member, MemberRole, MembershipPeriod, MemberStatus, Training
from .models.member import EXECUTIVE_COMMITTEE_ROLES


def members_for_user(user) -> QuerySet[Member]:
    """Members whose current branch lies in the user's subtrees."""
    return Member.objects.filter(scope_for(user).q("branch__path")).select_related("branch")


def branches_for_member_edits(user) -> QuerySet[Organization]:
    """Active base unions where the user may edit members: where members can be added or sent."""
    scope = scope_for(user)
    branches = Organization.objects.base().active().select_related("level")
    if scope.is_superuser:
        return branches
    condition = Q(pk__in=[])
    for grant in scope.grants:
        if Action.EDIT_MEMBERS in ROLE_ACTIONS.get(grant.role, frozenset()):
            condition |= Q(path__startswith=grant.path)
    return branches.filter(condition)


def role_rank() -> Case:
    """Most senior role first (the order of BranchRole), for lists that show a branch's leaders on top."""
    return Case(
        *[When(role=value, then=Value(rank)) for rank, value in enumerate(BranchRole.values)],
        default=Value(len(BranchRole.values)),
        output_field=IntegerField(),
    )


@dataclass(frozen=True)
class MemberTotals:
    count: int
    women: int
    active: int
    trained: int
    committee: int  # on the executive committee (chair, vice-chairs, members)


def member_totals(queryset: QuerySet[Member]) -> MemberTotals:
    """The figures above a member list, in one query over whatever the list shows."""
    row = queryset.order_by().aggregate(
        count=Count("pk"),
        women=Count("pk", filter=Q(gender=Gender.FEMALE)),
        active=Count("pk", filter=Q(status=MemberStatus.ACTIVE)),
        trained=Count("pk", filter=Q(last_trained_on__isnull=False)),
        committee=Count("pk", filter=Q(role__in=EXECUTIVE_COMMITTEE_ROLES)),
    )
    return MemberTotals(**{key: value or 0 for key, value in row.items()})


@dataclass(frozen=True)
class MemberHistory:
    periods: list[MembershipPeriod]
    roles: list[MemberRole]
    trainings: list[Training]


def member_history(member: Member) -> MemberHistory:
    """Where the member belonged, the roles they held and their trainings, oldest first (three queries)."""
    return MemberHistory(
        periods=list(member.periods.select_related("branch").order_by("start_on", "pk")),
        roles=list(member.roles.select_related("branch").order_by("start_on", "pk")),
        trainings=list(member.trainings.order_by("trained_on", "pk")),
    )


# --- counts from the history -----------------------------------------------------------------------


def _distinct_members(queryset: QuerySet) -> int:
    return queryset.aggregate(n=Count("member", distinct=True))["n"] or 0


def _periods_on(organization: Organization, day: datetime.date) -> QuerySet[MembershipPeriod]:
    return MembershipPeriod.objects.within(organization).covering(day)


def members_on(organization: Organization, day: datetime.date) -> int:
    """Members of the organization's subtree on `day` (stock at a date)."""
    return _distinct_members(_periods_on(organization, day))


def women_on(organization: Organization, day: datetime.date) -> int:
    return _distinct_members(_periods_on(organization, day).filter(member__gender=Gender.FEMALE))


def joined_between(organization: Organization, start: datetime.date, end: datetime.date) -> int:
    """Members admitted to the union from `start` to `end` (both included) in a branch of the subtree.

    A member admitted elsewhere who transferred in is not new to the union, so only the
    period that starts on the joining date counts.
    """
    return _distinct_members(
        MembershipPeriod.objects.within(organization).filter(
            start_on=F("member__joined_on"), start_on__gte=start, start_on__lte=end
        )
    )


def left_between(organization: Organization, start: datetime.date, end: datetime.date) -> int:
    """Members whose time in the union ended from `start` to `end` (both included) in a branch of the subtree.

    A period that another one follows ended in a transfer, not a departure.
    """
    later = MembershipPeriod.objects.filter(member=OuterRef("member"), start_on__gte=OuterRef("end_on")).exclude(
        pk=OuterRef("pk")
    )
    return _distinct_members(
        MembershipPeriod.objects.within(organization).filter(end_on__gte=start, end_on__lte=end).filter(~Exists(later))
    )


def _roles_on(organization: Organization, day: datetime.date, roles: Iterable[str]) -> QuerySet[MemberRole]:
    return MemberRole.objects.within(organization).covering(day).filter(role__in=list(roles))


def _trained_by(day: datetime.date) -> Exists:
    return Exists(Training.objects.filter(member=OuterRef("member"), trained_on__lte=day))


def role_holders_on(
    organization: Organization, day: datetime.date, roles: Iterable[str] = EXECUTIVE_COMMITTEE_ROLES
) -> int:
    """Members holding one of `roles` on `day` in a branch of the subtree (by default the executive committee)."""
    return _distinct_members(_roles_on(organization, day, roles))


def role_holders_trained(
    organization: Organization, day: datetime.date, roles: Iterable[str] = EXECUTIVE_COMMITTEE_ROLES
) -> int:
    """Of those, the members with a training on or before `day`."""
    return _distinct_members(_roles_on(organization, day, roles).filter(_trained_by(day)))


def chairs_on(organization: Organization, day: datetime.date) -> int:
    return role_holders_on(organization, day, [BranchRole.CHAIR])


def chairs_trained(organization: Organization, day: datetime.date) -> int:
    """Chairpersons in office on `day` with a training on or before it ("100 % of CĐCS chairs trained")."""
    return role_holders_trained(organization, day, [BranchRole.CHAIR])


# --- the same, per child of an organization (one GROUP BY on the path prefix) ----------------------


def members_on_by_child(organization: Organization, day: datetime.date) -> dict[str, int]:
    """{child path: members on `day` below that child} for the children of `organization`.

    A member is in one period on any day, so counting periods counts members.
    """
    return count_by_child(MembershipPeriod.objects.covering(day), organization, "branch__path")


def women_on_by_child(organization: Organization, day: datetime.date) -> dict[str, int]:
    periods = MembershipPeriod.objects.covering(day).filter(member__gender=Gender.FEMALE)
    return count_by_child(periods, organization, "branch__path")
