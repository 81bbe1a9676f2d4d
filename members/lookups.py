"""The scoped lookup of a member. Views never call a bare `Member.objects.get(...)`.

A member is seen through their current branch: outside the user's subtrees the
member does not exist for them (404); inside, a role without the right gets 403.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from organizations.permissions import Action, scope_for

from .models import Member


def get_member_for_user(user, card_number: str, action: Action = Action.VIEW) -> Member:
    scope = scope_for(user)
    member = (
        Member.objects.filter(scope.q("branch__path"), card_number=card_number.strip().upper())
        .select_related("branch__level")
        .first()
    )
    if member is None:
        raise Http404(_("Member not found."))
    if action != Action.VIEW and not scope.can(action, member.branch):
        raise PermissionDenied(_("You may not change the records of this member."))
    return member
