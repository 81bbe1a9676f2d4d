"""A new app-server worker warms up before its first request (unionportal/warmup.py, reports/warmup.py):
after it, a base union's dashboard and its district's of every program are computed without compiling
a statement; a warm-up that fails never keeps the worker from serving."""

from __future__ import annotations

import gc
import logging
import weakref

import pytest
from django.core.cache import cache
from django.db import connection
from django.urls import clear_url_caches, get_resolver

from indicators.engine import compiled as compiled_sql
from organizations.models import Organization
from reports import warmup
from reports.data import build_report
from reports.selectors import default_period
from unionportal import gunicorn_conf, hooks
from unionportal.warmup import worker_started_run

from .test_refresh_series import world  # noqa: F401 - fixture


@pytest.fixture
def compiling(monkeypatch):
    """The statements compiled from now on, one entry each (what a warm-up spares the first visitors)."""
    compiled_sql._store.clear()
    cache.clear()  # the statements other workers compiled
    made = []
    original = compiled_sql._compile

    def counted(spec, **kwargs):
        made.append(spec)
        return original(spec, **kwargs)

    monkeypatch.setattr(compiled_sql, "_compile", counted)
    return made


def _pages(program) -> list[tuple[Organization, object]]:
    """Every active base union of the program's scope, and each one's parent."""
    period = default_period(program)
    bases = list(Organization.objects.within(program.scope).base().active())
    assert len(bases) >= 3 and len({b.parent_path for b in bases}) == 2
    return [(body, period) for base in bases for body in (base, base.parent())]


def test_after_the_warm_up_every_base_union_and_district_is_computed_without_compiling(cast, world, compiling):  # noqa: F811
    program = world["indicators"][0].program
    warmup.warm_dashboards()
    assert compiling  # the warm-up compiled them
    compiling.clear()
    for body, period in _pages(program):
        build_report(body, program, period)
    assert compiling == []


def test_without_it_the_first_page_compiles(cast, world, compiling):  # noqa: F811
    program = world["indicators"][0].program
    (body, period), *_others = _pages(program)
    build_report(body, program, period)
    assert compiling  # what the test above shows the warm-up spares


def test_it_starts_no_report_past_its_time(cast, world, compiling):  # noqa: F811
    """A worker accepts no request while it warms up: past its seconds, the rest compiles on first visit."""
    warmup.warm_dashboards(seconds=0)
    assert compiling == []


def test_gunicorn_runs_the_warm_up_in_each_worker_once_the_application_is_loaded(cast, world, compiling):  # noqa: F811
    clear_url_caches()  # a resolver no earlier test has filled: the warm-up must build its tables
    assert not get_resolver()._populated
    gunicorn_conf.post_worker_init(worker=None)
    assert compiling
    assert get_resolver()._populated


class _Cycle:
    """Garbage only a collection frees: it refers to itself."""

    def __init__(self) -> None:
        self.me = self


def test_after_its_warm_up_a_worker_sets_what_it_holds_aside_from_the_collector_its_garbage_freed_first(db):
    garbage = _Cycle()
    freed = weakref.ref(garbage)
    del garbage
    gc.disable()  # no collection of the test's own between here and the hook's
    try:
        gunicorn_conf.post_worker_init(worker=None)
        assert gc.get_freeze_count() > 0
        assert freed() is None  # collected before the freeze, not kept for the worker's life
    finally:
        gc.unfreeze()  # the rest of the test session collects as before
        gc.enable()


def test_the_warm_up_closes_its_database_connection(transactional_db):
    """The worker's request threads open their own: the warm-up's would stay open, idle, for the worker's life."""
    if connection.vendor == "sqlite":
        pytest.skip("Django never closes an in-memory SQLite database (the tests'); PostgreSQL's is")
    Organization.objects.exists()
    assert connection.connection is not None
    worker_started_run()
    assert connection.connection is None


def test_a_failing_warm_up_is_logged_and_the_others_still_run(db, caplog):
    ran = []

    def broken():
        raise RuntimeError("no database")

    def fine():
        ran.append(True)

    hooks.worker_started.register(broken)
    hooks.worker_started.register(fine)
    try:
        with caplog.at_level(logging.ERROR, logger="unionportal.warmup"):
            worker_started_run()
    finally:
        hooks.worker_started.unregister(broken)
        hooks.worker_started.unregister(fine)
    assert ran == [True]
    assert "broken failed" in caplog.text and "no database" in caplog.text
