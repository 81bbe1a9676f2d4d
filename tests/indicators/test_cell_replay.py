"""Edits replayed by the browser (static/js/keepedits.js) after a failure: each carries the version
its user saw, so a replay never overwrites a newer value; each bad replay leaves the database as it was."""

from decimal import Decimal

import pytest

from indicators.models import DataValue, ReportingPeriod
from indicators.workflow import services
from organizations.models import Role
from tests import builders, factories
from tests.indicators.test_grid_view import PERIOD, post_cell


@pytest.fixture
def total(db):
    builders.period(PERIOD)
    return builders.element("r_workers_total")


def values():
    return list(DataValue.objects.values_list("organization__code", "number", "version", "updated_by__username"))


def test_a_stale_replay_is_refused_and_the_newer_value_stays(cast, login, total):
    colleague = factories.make_user("staff2", organization=cast.district, role=Role.UPPER_STAFF)
    post_cell(login(colleague), cast.district, cast.branch, total, "45", 0)
    before = values()
    replay = post_cell(login(cast.owner), cast.district, cast.branch, total, "50", 0)  # typed offline, on version 0
    assert replay.status_code == 409 and replay.context["conflict"]
    assert values() == before == [("XP-A-01", Decimal(45), 1, "staff2")]


def test_a_replay_of_a_save_whose_answer_was_lost_is_no_conflict(cast, login, total):
    client = login(cast.owner)
    assert post_cell(client, cast.district, cast.branch, total, "45", 0).status_code == 200
    # The answer never reached the browser; it sends the same edit again, still on version 0.
    again = post_cell(client, cast.district, cast.branch, total, "45", 0)
    assert again.status_code == 200 and not again.context["conflict"]
    assert values() == [("XP-A-01", Decimal(45), 1, "owner")]  # not written twice


def test_a_replay_after_the_period_was_locked_is_refused(cast, login, total):
    client = login(cast.owner)
    post_cell(client, cast.district, cast.branch, total, "40", 0)
    services.submission_submit(
        organization=cast.district, period=ReportingPeriod.objects.get(code=PERIOD), by=cast.owner
    )
    before = values()
    replay = post_cell(client, cast.district, cast.branch, total, "41", 1)
    assert replay.status_code == 409
    assert "“41”" in replay.content.decode()  # the entry is named, with a way to forget it
    assert "data-keep-drop" in replay.content.decode()
    assert values() == before


def test_a_replay_for_a_unit_outside_the_users_scope_is_not_found(cast, login, total):
    before = values()
    replay = post_cell(login(cast.outsider), cast.district, cast.branch, total, "41", 0)
    assert replay.status_code == 404
    sideways = post_cell(login(cast.owner), cast.district, cast.sibling_branch, total, "41", 0)
    assert sideways.status_code == 404
    assert values() == before == []
