"""Helpers shared by the member views."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from organizations.selectors import ancestors_in_scope

from ..models import Member, MemberStatus


def trail_to(user, member: Member) -> list:
    """The breadcrumb of a member page: the ancestors of their branch the user may see, then the branch."""
    return [*ancestors_in_scope(user, member.branch), member.branch]


def refuse_unless_active(request, member: Member):
    """A member who has left can be corrected, but not transferred, given a role or made to leave again."""
    if member.status == MemberStatus.ACTIVE:
        return None
    messages.error(
        request,
        _("%(name)s is no longer an active member (%(status)s).")
        % {"name": member.full_name, "status": member.get_status_display()},
    )
    return redirect("members:detail", card_number=member.card_number)
