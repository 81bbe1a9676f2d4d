"""Who hears of an event: its audience, and never anyone who cannot see the body (issue 14, point 6)."""

from __future__ import annotations

from notifications import audience, events
from notifications.audience import recipients
from notifications.events import Event
from organizations.models import Assignment, Role
from tests import factories


def names(users) -> list[str]:
    return sorted(user.username for user in users)


def test_a_submission_is_told_to_the_reviewers_of_the_nearest_body_above(cast):
    reviewer_of_sibling = factories.make_user(
        "sibling-officer", organization=cast.sibling, role=Role.PROVINCIAL_OFFICER
    )
    event = Event(events.SUBMITTED, cast.district, "/", actor=cast.owner)
    # Not the confederation (the province decides), not the district's own staff, not the sibling's officer.
    assert names(recipients(event)) == ["provincial"]
    assert reviewer_of_sibling not in recipients(event)


def test_without_a_reviewer_at_the_parent_the_next_body_above_is_told(cast):
    Assignment.objects.filter(user=cast.provincial).delete()
    assert names(recipients(Event(events.SUBMITTED, cast.district, "/"))) == ["national"]


def test_the_staff_of_the_body_are_those_who_enter_its_figures(cast):
    factories.make_user("branch-chair", organization=cast.branch, role=Role.BRANCH_OFFICER)
    event = Event(events.RETURNED, cast.district, "/", actor=cast.provincial)
    # Not the read-only colleague, not the branch's officer below, not the sibling district's staff.
    assert names(recipients(event)) == ["owner"]
    assert names(recipients(Event(events.RETURNED, cast.sibling, "/"))) == ["outsider"]


def test_the_one_who_acted_is_not_told_of_their_own_action(cast):
    second = factories.make_user("second", organization=cast.district, role=Role.UPPER_STAFF)
    assert names(recipients(Event(events.REMINDED, cast.district, "/", actor=second))) == ["owner"]


def test_a_personal_event_is_told_to_its_user_only(cast):
    event = Event(events.IMPORT_DONE, cast.district, "/", user=cast.colleague, actor=cast.colleague)
    assert names(recipients(event)) == ["colleague"]


def test_nobody_who_cannot_see_the_body_is_told_even_if_an_audience_named_them(cast, monkeypatch):
    """The last guard: were a rule to name the sibling's staff, they would still not hear of this district."""
    monkeypatch.setattr(audience, "_body_staff", lambda organization: [cast.owner.pk, cast.outsider.pk])
    assert names(recipients(Event(events.RETURNED, cast.district, "/"))) == ["owner"]
    monkeypatch.setattr(audience, "_reviewers_above", lambda organization: [cast.provincial.pk, cast.outsider.pk])
    assert names(recipients(Event(events.SUBMITTED, cast.branch, "/"))) == ["provincial"]


def test_an_inactive_user_is_not_told(cast):
    cast.provincial.is_active = False
    cast.provincial.save(update_fields=["is_active"])
    assert names(recipients(Event(events.SUBMITTED, cast.district, "/"))) == ["national"]
