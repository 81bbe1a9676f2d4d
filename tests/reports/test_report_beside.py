"""A report's live figures measured partly on a second connection (unionportal.read_beside, kept threads):
exactly the figures measured here, for a base union's years and a district's branches, and the kept
threads' connections kept or closed as CONN_MAX_AGE says."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import InterfaceError, OperationalError, connection

from indicators.engine import parts_by_prefix, parts_for_many
from indicators.engine import series as engine_series
from organizations.models import Level, Organization
from reports.data import build_report
from tests.reports.test_refresh_series import make_world
from unionportal import read_beside as beside_module

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: elsewhere every read runs here")


@pytest.fixture
def threads_of_union(monkeypatch) -> list[str]:
    """The threads the registry's and reported measures were measured in."""
    seen: list[str] = []
    real = engine_series._union_many

    def spy(*args, **kwargs):
        seen.append(threading.current_thread().name)
        return real(*args, **kwargs)

    monkeypatch.setattr(engine_series, "_union_many", spy)
    return seen


def _comparable(report) -> dict:
    found = report.as_dict()
    found.pop("generated_at")
    return found


def test_a_base_unions_years_beside_are_what_each_period_measured_here_gives(cast, postgresql, threads_of_union):
    world = make_world(cast)
    periods = world["periods"]
    branches = list(Organization.objects.filter(level__code=Level.BASE).order_by("path"))
    differ = set()
    for branch in branches:
        series = parts_for_many([(i, periods) for i in world["indicators"]], length=len(branch.path), within=branch)
        for indicator in world["indicators"]:
            for period in periods:
                alone = parts_by_prefix(indicator, period, length=len(branch.path), within=branch)
                assert series.get(indicator.pk, {}).get(period.pk, {}) == alone, (branch.code, indicator, period)
                differ.add(repr(sorted(alone.items())))
    assert len(differ) > 3  # the base unions' figures differ: not a comparison of empty groups
    assert threads_of_union and all(name.startswith("read-beside-kept") for name in threads_of_union)


def test_reports_built_with_reads_beside_equal_those_built_here(cast, postgresql, threads_of_union, monkeypatch):
    world = make_world(cast)
    program = world["indicators"][0].program
    period = next(p for p in world["periods"] if p.code == "2024")
    bodies = [cast.branch, cast.sibling_branch, cast.district, cast.province]
    beside = [_comparable(build_report(body, program, period)) for body in bodies]
    assert threads_of_union and all(name.startswith("read-beside-kept") for name in threads_of_union)

    threads_of_union.clear()
    monkeypatch.setattr(beside_module, "can_read_beside", lambda: False)
    here = [_comparable(build_report(body, program, period)) for body in bodies]
    assert threads_of_union and all(name == threading.current_thread().name for name in threads_of_union)
    assert beside == here
    # Not a comparison of empty reports: the base union has members in some years and none in others.
    trend = [point["actual"] for point in beside[0]["indicators"][0]["trend"]]
    assert len(set(trend)) > 1, trend


def _backend_and_thread():
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0], threading.current_thread().name


def _alive(pids: set[int]) -> set[int]:
    """Which of these server processes are still connected; a closed connection's process leaves within
    moments, so it is asked again for up to two seconds until none is."""
    deadline = time.monotonic() + 2
    while True:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pid FROM pg_stat_activity WHERE pid = ANY(%s)", [sorted(pids)])
            found = {row[0] for row in cursor.fetchall()}
        if not found or time.monotonic() > deadline:
            return found
        time.sleep(0.05)


def _fails():
    raise ValueError("the read failed")


def _on_every_kept_thread() -> list[tuple[int, str]]:
    """_backend_and_thread once in each kept thread at the same moment (a barrier holds each until all have one)."""
    barrier = threading.Barrier(beside_module.KEPT_THREADS, timeout=10)

    def meet():
        barrier.wait()
        return _backend_and_thread()

    pendings = [beside_module.read_beside(meet, kept=True) for _ in range(beside_module.KEPT_THREADS)]
    found = [pending.result() for pending in pendings]
    assert len({name for _pid, name in found}) == beside_module.KEPT_THREADS
    return found


def test_kept_threads_keep_their_connection_only_as_conn_max_age_says(postgresql, monkeypatch):
    # As the tests run (CONN_MAX_AGE 0): each read's connection is closed when it ends.
    pending = beside_module.read_beside(_backend_and_thread, kept=True)
    assert pending.beside
    first, thread = pending.result()
    assert thread.startswith("read-beside-kept") and first != _backend_and_thread()[0]
    assert not _alive({first})

    # As production runs (DB_CONN_MAX_AGE=60): kept, and the next read of the same thread uses it again.
    monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", 60)
    found = _on_every_kept_thread() + [
        beside_module.read_beside(_backend_and_thread, kept=True).result() for _ in range(4)
    ]
    found += _on_every_kept_thread()
    kept = {pid for pid, _name in found}
    by_thread = {}
    for pid, name in found:
        by_thread.setdefault(name, set()).add(pid)
    assert all(len(pids) == 1 for pids in by_thread.values()), found  # one connection per kept thread
    assert len(kept) == beside_module.KEPT_THREADS
    time.sleep(0.1)
    assert _alive(kept) == kept  # still connected between reads

    # An error is raised by result(), and the thread goes on serving reads on its connection.
    with pytest.raises(ValueError, match="the read failed"):
        beside_module.read_beside(_fails, kept=True).result()
    assert beside_module.read_beside(_backend_and_thread, kept=True).result()[0] in kept

    # A connection the server dropped (a restart) is replaced: a read on it fails, the next one reconnects.
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid = ANY(%s)", [sorted(kept)])
    assert not _alive(kept)
    outcomes = []
    for _ in range(beside_module.KEPT_THREADS * 4):
        try:
            outcomes.append(beside_module.read_beside(_backend_and_thread, kept=True).result()[0])
        except (OperationalError, InterfaceError):
            outcomes.append(None)
    assert outcomes.count(None) <= beside_module.KEPT_THREADS, outcomes  # once at most for each thread
    assert outcomes[-1] is not None and outcomes[-1] not in kept, outcomes

    # Back to 0: each kept thread's next read closes its connection (the test database can be dropped).
    monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", 0)
    last = {pid for pid, _name in _on_every_kept_thread()}
    assert not _alive(last | kept)


def test_outside_a_transaction_nothing_is_asked_of_the_server(postgresql):
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert beside_module.can_read_beside()
    assert len(queries) == 0
