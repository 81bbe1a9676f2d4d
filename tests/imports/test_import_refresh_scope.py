"""After a members file, the figures are refreshed where the file wrote, not in every subtree of the importer."""

from __future__ import annotations

import datetime

import pytest

from imports import services
from members.hooks import members_admitted
from reports.rollups import count_admitted
from tests import factories

D = datetime.date


@pytest.fixture(autouse=True)
def refreshed_after_every_file():
    """The refresh's path: without the receiver that counts new members in at the commit
    (tests/imports/test_admitted_rollups.py), a file of new members queues the refresh too."""
    members_admitted.unregister(count_admitted)
    yield
    members_admitted.register(count_admitted)


def test_a_provincial_officers_file_names_only_the_branches_it_wrote(
    cast, xlsx, announced, django_capture_on_commit_callbacks
):
    other = factories.make_branch(cast.district, code="XP-A-09")
    rows = [
        ["DV001", "Nguyễn Thị Hương", "Nữ", D(1985, 11, 20), "Kinh", "XP-A-01", D(2010, 1, 5), None, None],
        ["DV002", "Trần Văn Nam", "Nam", None, None, "XP-B-01", D(2015, 8, 15), None, None],
    ]
    with django_capture_on_commit_callbacks(execute=True):
        outcome = services.import_file("members", xlsx("members", rows), user=cast.provincial, commit=True)
    assert outcome.committed
    assert [sorted(o.code for o in payload["within"]) for payload in announced] == [["XP-A-01", "XP-B-01"]]
    assert other.code not in {o.code for payload in announced for o in payload["within"]}


def test_a_transfer_in_a_file_names_both_branches(cast, xlsx, announced, django_capture_on_commit_callbacks):
    member = factories.make_member(cast.branch)
    row = [member.card_number, member.full_name, "Nam", None, None, "XP-B-01", member.joined_on, None, None]
    with django_capture_on_commit_callbacks(execute=True):
        outcome = services.import_file("members", xlsx("members", [row]), user=cast.provincial, commit=True)
    assert outcome.committed and outcome.counts.updated == 1
    assert [sorted(o.code for o in payload["within"]) for payload in announced] == [["XP-A-01", "XP-B-01"]]


def test_a_file_that_changes_nothing_refreshes_nothing_below(cast, xlsx, announced, django_capture_on_commit_callbacks):
    member = factories.make_member(cast.branch)
    row = [member.card_number, member.full_name, "Nam", None, None, "XP-A-01", member.joined_on, None, None]
    with django_capture_on_commit_callbacks(execute=True):
        outcome = services.import_file("members", xlsx("members", [row]), user=cast.provincial, commit=True)
    assert outcome.committed and outcome.counts.unchanged == 1
    assert [payload["within"] for payload in announced] == [[]]
