"""A file of new members counted into the rollups in its own transaction (issue 17, point 0).

The rollups it leaves are exactly those of a full recomputation — on test_refresh_series's history
(joins, departures, transfers, roles, trainings, a merger, a dissolution; annual and half-year periods;
women only, sectors, roles, trainings within the program, cumulative windows) — and no refresh is
queued. Where it cannot add exactly, the refresh is queued as before.
"""

from __future__ import annotations

import contextlib
import datetime
import time

import pytest
from django.db import connection

from imports import services
from members.models import Member
from organizations.hooks import registry_changed
from reports import rollups
from reports.models import Rollup
from tests import factories
from tests.reports.test_refresh_series import make_world, recomputed, stored_rollups

D = datetime.date

# Card, name, gender, born, ethnicity, branch, joined, role, trained: a spread over the periods' edges.
ROWS = [
    ["NEW-01", "Nguyễn Thị An", "Nữ", None, None, "XP-A-05", D(2021, 1, 1), "Chủ tịch", D(2022, 6, 30)],
    ["NEW-02", "Trần Văn Bình", "Nam", None, None, "XP-A-01", D(2021, 12, 31), None, None],
    ["NEW-03", "Lê Thị Chi", "Nữ", None, None, "XP-A-02", D(2022, 7, 1), "Ủy viên Ban chấp hành", D(2022, 7, 1)],
    ["NEW-04", "Phạm Văn Dũng", "Nam", None, None, "XP-A-02", D(2023, 6, 30), "Phó Chủ tịch", D(2024, 1, 1)],
    ["NEW-05", "Hoàng Thị Em", "Nữ", None, None, "XP-B-01", D(2024, 12, 31), None, D(2025, 3, 3)],
    ["NEW-06", "Vũ Văn Phong", "Nam", None, None, "XP-B-05", D(2018, 3, 3), "Chủ tịch", D(2022, 12, 31)],
    ["NEW-07", "Đỗ Thị Giang", "Nữ", None, None, "XP-A-01", D(2025, 6, 1), None, None],
    ["NEW-08", "Bùi Văn Hải", "Nam", None, None, "XP-A-02", D(2022, 1, 1), None, D(2022, 1, 1)],
]


@pytest.fixture
def world(cast):
    return make_world(cast)


@pytest.fixture(autouse=True)
def chairless(cast):
    """Two branches without a chair yet (one chair per branch: the file's chairs go there)."""
    factories.make_branch(cast.district, code="XP-A-05")
    factories.make_branch(cast.sibling, code="XP-B-05")


def _import(cast, xlsx, rows, capture):
    with capture(execute=True):
        outcome = services.import_file("members", xlsx("members", rows), user=cast.provincial, commit=True)
    assert outcome.committed, outcome.errors
    return outcome


def test_new_members_are_counted_in_exactly_as_a_full_recomputation(
    cast, world, xlsx, announced, django_capture_on_commit_callbacks
):
    rollups.refresh()
    before = stored_rollups()
    outcome = _import(cast, xlsx, ROWS, django_capture_on_commit_callbacks)
    assert outcome.counts.created == len(ROWS)
    assert announced == []  # no refresh queued: the rollups moved in the import's transaction
    after = stored_rollups()
    assert after == recomputed(world["indicators"], world["periods"])
    # Not a comparison of what did not move: every members' measure but the departures moved somewhere.
    moved = {key[0] for key in after if after[key] != before[key]}
    members = {i.pk for i in world["indicators"] if i.measure in rollups.MEASURES_BY_CHANGE["members"]}
    left = {i.pk for i in world["indicators"] if i.measure == "members_left"}
    assert moved == members - left


def test_a_file_with_changes_queues_the_refresh(cast, world, xlsx, announced, django_capture_on_commit_callbacks):
    rollups.refresh()
    member = Member.objects.filter(branch=cast.branch, status="active").first()
    change = [member.card_number, member.full_name, "Nữ", None, None, "XP-B-01", member.joined_on, None, None]
    _import(cast, xlsx, [*ROWS[:2], change], django_capture_on_commit_callbacks)
    assert [payload["changed"] for payload in announced] == [["members"]]
    assert stored_rollups() == recomputed(world["indicators"], world["periods"])


def test_a_base_union_above_the_deepest_stored_level_queues_the_refresh(
    cast, world, xlsx, announced, django_capture_on_commit_callbacks
):
    factories.make_branch(cast.province, code="XP-09")  # a base union right under the province
    rollups.refresh()
    row = ["NEW-09", "Ngô Văn Ích", "Nam", None, None, "XP-09", D(2022, 2, 2), None, None]
    _import(cast, xlsx, [row], django_capture_on_commit_callbacks)
    assert len(announced) == 1
    assert stored_rollups() == recomputed(world["indicators"], world["periods"])


def test_rollups_never_computed_queue_the_refresh(cast, world, xlsx, announced, django_capture_on_commit_callbacks):
    rollups.refresh()
    members = rollups.MEASURES_BY_CHANGE["members"]
    Rollup.objects.filter(organization=cast.sibling, indicator__measure__in=members).delete()
    _import(cast, xlsx, ROWS[4:6], django_capture_on_commit_callbacks)
    assert len(announced) == 1
    # The refresh computes the bodies above a district without rollups whole, as one group each: their
    # `reported` (unused by the members' measures) then counts 1, not their groups; the figures are exact.
    figures = {key: (p.numerator, p.denominator) for key, p in stored_rollups().items()}
    expected = recomputed(world["indicators"], world["periods"])
    assert figures == {key: (p.numerator, p.denominator) for key, p in expected.items()}


@contextlib.contextmanager
def _held_elsewhere(sql: str, params: list):
    """A second session on the test database, as another process's transaction would be, that runs `sql`
    in a transaction kept open (its locks held) until the block ends."""
    import psycopg2

    settings = connection.settings_dict
    other = psycopg2.connect(
        dbname=settings["NAME"], user=settings["USER"], host=settings["HOST"] or None, port=settings["PORT"] or None
    )
    try:
        with other.cursor() as cursor:
            cursor.execute("BEGIN; " + sql, params)
        yield
    finally:
        other.rollback()
        other.close()


@pytest.mark.django_db(transaction=True)
def test_while_a_refresh_runs_the_import_queues_the_refresh_instead(
    cast, world, xlsx, announced, django_capture_on_commit_callbacks
):
    if connection.vendor != "postgresql":
        pytest.skip("the writers' lock is PostgreSQL's (SQLite has one writer)")
    rollups.refresh()
    # A refresh in another connection, holding the lock as refresh() does.
    with _held_elsewhere("SELECT pg_advisory_xact_lock_shared(%s)", [rollups.ROLLUP_WRITERS]):
        _import(cast, xlsx, ROWS[:3], django_capture_on_commit_callbacks)
    assert len(announced) == 1
    assert stored_rollups() == recomputed(world["indicators"], world["periods"])


@pytest.mark.django_db(transaction=True)
def test_a_rollup_locked_by_another_transaction_queues_the_refresh_instead_of_waiting(
    cast, world, xlsx, announced, django_capture_on_commit_callbacks
):
    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's (SQLite has one writer)")
    rollups.refresh()
    registry_changed.unregister(rollups.queue_registry_refresh)  # its refresh would wait for the lock
    try:
        # A grid's refresh, say, holding one of the province's rows.
        with _held_elsewhere("SELECT 1 FROM reports_rollup WHERE organization_id = %s FOR UPDATE", [cast.province.pk]):
            with connection.cursor() as cursor:  # an import that waited would fail this test, not hang it
                cursor.execute("SET lock_timeout = '20s'")
            started = time.perf_counter()
            _import(cast, xlsx, ROWS[:3], django_capture_on_commit_callbacks)
            assert time.perf_counter() - started < 10  # it did not wait for the lock
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET lock_timeout")
        registry_changed.register(rollups.queue_registry_refresh)
    assert len(announced) == 1
    rollups.refresh()  # what the queued refresh does
    assert stored_rollups() == recomputed(world["indicators"], world["periods"])


def test_after_a_restructuring_the_sealed_periods_stay_as_they_were(
    cast, world, xlsx, announced, django_capture_on_commit_callbacks
):
    from organizations import services as organization_services

    rollups.refresh()
    merged = factories.make_branch(cast.district, code="XP-A-07")
    rollups.refresh()
    with django_capture_on_commit_callbacks(execute=True):  # and its refresh
        organization_services.branch_merge(sources=[merged], into=cast.branch, effective_date=D(2024, 1, 1))
    announced.clear()
    sealed = set(Rollup.objects.filter(sealed=True).values_list("pk", "numerator", "denominator"))
    assert sealed  # the periods before 2024 are sealed in district A and above
    _import(cast, xlsx, ROWS, django_capture_on_commit_callbacks)
    assert announced == []
    assert set(Rollup.objects.filter(sealed=True).values_list("pk", "numerator", "denominator")) == sealed
    # What a full refresh would write (it writes no sealed rollup) is what the import left.
    after = stored_rollups()
    rollups.refresh()
    assert stored_rollups() == after
