"""Who hears of an event: the audience of its kind, never anyone who cannot see the body.

    recipients(event)  # -> [User, …], without the user who did it

- REVIEWERS_ABOVE: the users who may decide on the body's submission, at the nearest body above
  that has any (organizations/permissions.py: a role with REVIEW, assigned strictly above);
- BODY_STAFF: the users assigned to the body itself in a role that enters and submits its figures;
- THE_USER: event.user (whose import or report file it is).

Whatever the audience, a user who does not see the body (no assignment at it or above it) is
dropped: a district is never told about its sibling.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model

from organizations.models import Assignment, Organization
from organizations.permissions import ROLE_ACTIONS, Action

from .events import BODY_STAFF, REVIEWERS_ABOVE, THE_USER, Event


def _roles_with(action: Action) -> list[str]:
    return [role for role, actions in ROLE_ACTIONS.items() if action in actions]


def _reviewers_above(organization: Organization) -> list[int]:
    """The reviewers of the nearest body above that has any (the parent, else the one above it …)."""
    paths = [organization.path[: i * organization.steplen] for i in range(1, organization.depth)]
    rows = Assignment.objects.filter(
        organization__path__in=paths, role__in=_roles_with(Action.REVIEW), user__is_active=True
    ).values_list("user_id", "organization__depth")
    by_depth: dict[int, list[int]] = {}
    for user_id, depth in rows:
        by_depth.setdefault(depth, []).append(user_id)
    return by_depth[max(by_depth)] if by_depth else []


def _body_staff(organization: Organization) -> list[int]:
    return list(
        Assignment.objects.filter(
            organization=organization, role__in=_roles_with(Action.ENTER_DATA), user__is_active=True
        ).values_list("user_id", flat=True)
    )


def _seeing(user_ids: set[int], organization: Organization | None) -> set[int]:
    """The users of `user_ids` who see `organization`: assigned at it or above it (or superusers)."""
    if organization is None or not user_ids:
        return user_ids
    seeing = {
        user_id
        for user_id, path in Assignment.objects.filter(user_id__in=user_ids).values_list(
            "user_id", "organization__path"
        )
        if organization.path.startswith(path)
    }
    superusers = get_user_model().objects.filter(pk__in=user_ids, is_superuser=True, is_active=True)
    return seeing | set(superusers.values_list("pk", flat=True))


def recipients(event: Event) -> list:
    """The users to tell of `event`, in a stable order, never its actor nor anyone outside the body's scope."""
    if event.audience == THE_USER:
        candidates = {event.user.pk} if event.user is not None and event.user.is_active else set()
    elif event.audience == REVIEWERS_ABOVE:
        candidates = set(_reviewers_above(event.organization))
    elif event.audience == BODY_STAFF:
        candidates = set(_body_staff(event.organization))
    else:
        raise ValueError(f"Unknown audience {event.audience!r}")
    if event.actor is not None and event.audience != THE_USER:
        candidates.discard(event.actor.pk)
    allowed = _seeing(candidates, event.organization)
    return list(get_user_model().objects.filter(pk__in=allowed).order_by("pk"))
