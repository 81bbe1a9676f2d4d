"""What happens to the members of merged, split or dissolved branches.

Called through the hooks organizations.branches_merged and branches_dissolved (members/receivers.py),
inside the restructuring's transaction: the restructuring fires registry_changed itself.
"""

from __future__ import annotations

import datetime

from django.db import transaction

from organizations.models import Organization

from . import history
from .models import BranchRole, Member, MemberStatus


@transaction.atomic
def members_move_all(
    *, from_branches: list[Organization], to_branch: Organization, effective_date: datetime.date, note: str = ""
) -> int:
    """Move every active member of `from_branches` to `to_branch` on `effective_date`, in bulk.

    Used when branches are merged or split: each member's period in the old branch
    ends and one in the new branch begins that day (a period begun after that day is
    simply moved); roles end, as on any transfer — the new branch elects its committee.
    """
    members = Member.objects.filter(branch__in=from_branches, status=MemberStatus.ACTIVE)
    member_ids = list(members.values_list("pk", flat=True))
    if not member_ids:
        return 0
    periods, roles = history.open_starts(member_ids)
    history.apply(
        history.on_move(
            member_id=m,
            period_started_on=periods.get(m),
            role_started_on=roles.get(m),
            to_branch_id=to_branch.pk,
            on=effective_date,
            note=note,
        )
        for m in member_ids
    )
    Member.objects.filter(pk__in=member_ids).update(branch=to_branch, role=BranchRole.MEMBER)
    return len(member_ids)


@transaction.atomic
def members_end_all(*, branches: list[Organization], effective_date: datetime.date, reason: str) -> int:
    """End the membership of every active member of dissolved branches on `effective_date`."""
    members = Member.objects.filter(branch__in=branches, status=MemberStatus.ACTIVE)
    member_ids = list(members.values_list("pk", flat=True))
    if not member_ids:
        return 0
    periods, roles = history.open_starts(member_ids)
    history.apply(
        history.on_dissolution(
            member_id=m, period_started_on=periods.get(m), role_started_on=roles.get(m), on=effective_date
        )
        for m in member_ids
    )
    Member.objects.filter(pk__in=member_ids).update(
        status=MemberStatus.LEFT, status_changed_on=effective_date, status_reason=reason, role=BranchRole.MEMBER
    )
    return len(member_ids)
