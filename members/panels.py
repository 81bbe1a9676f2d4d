"""The members' parts of other apps' pages, offered through their hooks (see apps.py)."""

from __future__ import annotations

from organizations.models import Organization
from unionportal.web import Section

from .models import Member, MemberStatus
from .selectors import member_totals


def member_figures(*, organization: Organization, user) -> Section | None:
    """A base union's page leads with its members, as a district's leads with its branches."""
    if not organization.is_base:
        return None
    figures = member_totals(Member.objects.filter(branch=organization, status=MemberStatus.ACTIVE))
    return Section(template="members/_branch_figures.html", context={"member_figures": figures})
