"""What members do when the registry changes: the receivers of organizations/hooks.py (see apps.py).

Each calls the service that does the work, with its own arguments, inside the transaction of
the restructuring that fired the hook.
"""

from __future__ import annotations

import datetime

from organizations.models import Organization

from . import restructuring


def move_members(*, branches: list[Organization], into: Organization, effective_date: datetime.date, note: str = ""):
    """Branches merged or split: their active members pass to `into` on that day."""
    return restructuring.members_move_all(
        from_branches=list(branches), to_branch=into, effective_date=effective_date, note=note
    )


def end_members(*, branches: list[Organization], effective_date: datetime.date, reason: str):
    """Branches dissolved: their active members' membership ends on that day."""
    return restructuring.members_end_all(branches=list(branches), effective_date=effective_date, reason=reason)
