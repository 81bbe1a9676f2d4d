"""A member admitted, moved, ended or trained on a page or by a command: the dashboards follow, after the commit."""

from __future__ import annotations

import datetime

import pytest

from members import services
from members.models import MemberStatus
from reports import rollups
from tests import builders, factories
from tests.indicators.test_grid_view import year  # noqa: F401 - fixture

from .test_refresh_hooks import stored_value

DAY = datetime.date(2024, 3, 1)


@pytest.fixture
def stock(cast, year):  # noqa: F811
    indicator = builders.indicator(builders.program(cast.province), "members_stock", target_value=1)
    return indicator


def refreshed(capture, action) -> None:
    with capture(execute=True):
        action()


def test_admitting_a_member_refreshes_the_district_and_the_province(
    cast,
    stock,
    year,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    rollups.refresh()
    assert stored_value(stock, cast.district, year) == 0
    with django_capture_on_commit_callbacks(execute=True):
        factories.make_member(cast.branch)
        assert stored_value(stock, cast.district, year) == 0  # not before the commit
    assert stored_value(stock, cast.district, year) == 1
    assert stored_value(stock, cast.province, year) == 1


def test_a_transfer_refreshes_both_districts(
    cast,
    stock,
    year,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    member = factories.make_member(cast.branch)
    rollups.refresh()
    assert (stored_value(stock, cast.district, year), stored_value(stock, cast.sibling, year)) == (1, 0)
    refreshed(
        django_capture_on_commit_callbacks,
        lambda: services.member_transfer(member=member, to_branch=cast.sibling_branch, effective_date=DAY),
    )
    assert (stored_value(stock, cast.district, year), stored_value(stock, cast.sibling, year)) == (0, 1)


def test_a_member_leaving_refreshes_the_district(
    cast,
    stock,
    year,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    member = factories.make_member(cast.branch)
    rollups.refresh()
    refreshed(
        django_capture_on_commit_callbacks,
        lambda: services.member_mark_left(member=member, status=MemberStatus.LEFT, effective_date=DAY, reason="x"),
    )
    assert stored_value(stock, cast.district, year) == 0


def test_a_rolled_back_admission_refreshes_nothing(
    cast,
    stock,
    year,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    from django.db import transaction

    rollups.refresh()
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        factories.make_member(cast.branch)
        transaction.set_rollback(True)
    assert callbacks == []
    assert stored_value(stock, cast.district, year) == 0
