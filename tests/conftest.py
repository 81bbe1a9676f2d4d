from __future__ import annotations

from dataclasses import dataclass

import pytest

from organizations.models import Organization, Role, Sector
from tests import factories


@dataclass
class Cast:
    national: Organization
    province: Organization
    district: Organization  # the owner's district
    sibling: Organization  # another district of the same province
    branch: Organization  # a base branch in the owner's district
    sibling_branch: Organization  # a base branch in the sibling district
    owner: object  # upper-level staff of `district`
    colleague: object  # read-only (viewer) at `district`
    outsider: object  # upper-level staff of `sibling`
    provincial: object  # provincial officer at `province`
    national_officer: object  # national officer at `national`


@pytest.fixture
def cast(db) -> Cast:
    national = factories.make_organization(code="XVN", name="Tổng Liên đoàn (thử)")
    province = factories.make_organization(national, code="XP", name="LĐLĐ tỉnh Thử")
    district = factories.make_organization(province, code="XP-A", name="LĐLĐ huyện A")
    sibling = factories.make_organization(province, code="XP-B", name="LĐLĐ huyện B")
    branch = factories.make_branch(district, code="XP-A-01", name="CĐCS Trường A1", sector=Sector.SCHOOL)
    sibling_branch = factories.make_branch(sibling, code="XP-B-01", name="CĐCS UBND xã B1")
    return Cast(
        national=national,
        province=province,
        district=district,
        sibling=sibling,
        branch=branch,
        sibling_branch=sibling_branch,
        owner=factories.make_user("owner", organization=district, role=Role.UPPER_STAFF),
        colleague=factories.make_user("colleague", organization=district, role=Role.VIEWER),
        outsider=factories.make_user("outsider", organization=sibling, role=Role.UPPER_STAFF),
        provincial=factories.make_user("provincial", organization=province, role=Role.PROVINCIAL_OFFICER),
        national_officer=factories.make_user("national", organization=national, role=Role.NATIONAL_OFFICER),
    )


@pytest.fixture
def login(db):
    """login(user) -> a test client logged in as that user."""
    from django.test import Client

    def _login(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return _login


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo data (`load_demo`), loaded once per module and rolled back after it.

    Each test still runs in its own savepoint inside this transaction, so what a test
    writes is undone before the next one. The demo's files (task evidence) go to a
    temporary MEDIA_ROOT for the module.
    """
    import io

    from django.core.management import call_command
    from django.db import transaction
    from django.test import override_settings

    media = tmp_path_factory.mktemp("demo-media")
    with override_settings(MEDIA_ROOT=media), django_db_blocker.unblock(), transaction.atomic():
        call_command(
            "load_demo", before_reform=True, stdout=io.StringIO()
        )  # the reform: tests/demo/test_demo_reform.py
        yield
        transaction.set_rollback(True)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After a transactional test, the rows of the data migrations come back for the tests after it.

    Such a test (a live server, two connections) ends with a flush of every table, the levels
    and the catalogue included. This runs once all of the test's fixtures are torn down, the
    flush included (a fixture's own teardown would run before pytest-django's).
    """
    try:
        return (yield)
    finally:
        # Even when a teardown failed (a console error of the browser, say): else that failure
        # would also fail the next test, on a database without its levels.
        _restore_after_transactional(item, nextitem)


def _restore_after_transactional(item, nextitem) -> None:
    marker = item.get_closest_marker("django_db")
    transactional = (marker is not None and marker.kwargs.get("transaction")) or {
        "transactional_db",
        "live_server",
    } & set(getattr(item, "fixturenames", ()))
    # After the last test of a worker the test database is already gone (the session's
    # fixtures are torn down with that test): nothing to restore, and nothing to connect to.
    if transactional and nextitem is not None:
        from pytest_django.plugin import blocking_manager_key

        with item.config.stash[blocking_manager_key].unblock():
            factories.restore_migration_rows()


@pytest.fixture(autouse=True)
def _fresh_dashboards():
    """Every test starts with no dashboard in the cache (unionportal.generations): the default
    cache outlives a test's database, whose bodies may reuse the paths of the test before."""
    from unionportal import generations

    generations.bump_after_commit(everything=True)
