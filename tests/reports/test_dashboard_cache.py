"""The dashboards' bodies kept in the cache (reports/views/dashboard.py, unionportal/generations.py): never stale
after a figure's save and its refresh, a restructuring or an acceptance, never across organizations, and cheaper."""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from indicators.models import ReportingPeriod
from organizations import services as org_services
from reports import rollups
from tests import builders, factories
from tests.indicators.test_grid_view import elements, post_cell, year  # noqa: F401 - fixtures

from .test_dashboard_views import rows_of
from .test_report_data import setup_program


def _url(code: str, program: str = "XP-CTR", **query) -> str:
    url = reverse("reports:dashboard", kwargs={"code": code, "program": program, "period": "2024"})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def _main(html: str) -> str:
    return html.split("<main", 1)[1].split("</main>", 1)[0]


def _children(html: str) -> dict[str, str]:
    return {re.search(r'class="code">([^<]+)<', row).group(1): row for row in rows_of(html, "children")}


def test_a_cached_dashboard_shows_a_saved_figure_once_it_is_refreshed(
    cast,
    login,
    year,  # noqa: F811
    elements,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    program = builders.program(cast.province, code="XP-FUND")
    builders.indicator(program, "organizations_share", code="1", element=elements["fund"], target_value=80)
    rollups.refresh()
    client = login(cast.owner)
    first = client.get(_url("XP-A", "XP-FUND", indicator="1")).content.decode()
    again = client.get(_url("XP-A", "XP-FUND", indicator="1")).content.decode()
    assert _main(again) == _main(first)  # from the cache (the CSRF token around it is masked anew)
    with django_capture_on_commit_callbacks(execute=True):
        response = post_cell(client, cast.district, cast.branch, elements["fund"], "Có", version=0)
    assert response.status_code == 200
    html = client.get(_url("XP-A", "XP-FUND", indicator="1")).content.decode()
    assert _main(html) != _main(first)
    assert "100" in _children(html)["XP-A-01"] and "100" not in _children(first)["XP-A-01"]
    # The province's page too: the refresh moved the district's ancestors.
    province = login(cast.provincial).get(_url("XP", "XP-FUND", indicator="1")).content.decode()
    assert "100" in _children(province)["XP-A"]


def test_a_cached_dashboard_follows_a_restructuring(cast, login, django_capture_on_commit_callbacks):
    setup_program(cast)
    client = login(cast.provincial)
    before = client.get(_url("XP", indicator="1")).content.decode()
    assert list(_children(before)) == ["XP-A", "XP-B"]
    with django_capture_on_commit_callbacks(execute=True):
        org_services.branch_merge(
            sources=[cast.sibling], into=cast.district, effective_date=datetime.date(2024, 6, 1), by=cast.provincial
        )
    after = client.get(_url("XP", indicator="1")).content.decode()
    assert list(_children(after)) == ["XP-A"]


def test_an_acceptance_shows_the_frozen_version_at_once(cast, login):
    _prog, period = setup_program(cast)
    client = login(cast.owner)
    assert "live=1" not in client.get(_url("XP-A")).content.decode()
    from indicators.workflow import services

    services.submission_submit(organization=cast.district, period=period, by=cast.owner)
    login(cast.provincial).post(reverse("indicators:accept", kwargs={"period": "2024", "code": "XP-A"}), {})
    html = client.get(_url("XP-A")).content.decode()
    assert 'href="/reports/XP-A/XP-CTR/2024/?' in html and "live=1" in html  # "see the live figures": frozen


def test_a_refresh_in_a_sibling_district_keeps_the_cached_page(cast, login):
    setup_program(cast)
    client = login(cast.owner)
    client.get(_url("XP-A"))
    rollups.refresh(within=cast.sibling, periods=ReportingPeriod.objects.filter(code="2024"))
    with CaptureQueriesContext(connection) as kept:
        client.get(_url("XP-A"))
    rollups.refresh(within=cast.province, periods=ReportingPeriod.objects.filter(code="2024"))
    with CaptureQueriesContext(connection) as computed:
        client.get(_url("XP-A"))
    assert len(kept) < len(computed)


def test_a_figure_typed_for_one_base_union_keeps_its_siblings_pages_cached(
    cast,
    login,
    year,  # noqa: F811
    elements,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    """A cell saved in a grid row moves that row's page and the pages above it, not its siblings'."""
    second = factories.make_branch(cast.district, code="XP-A-02")
    program = builders.program(cast.province, code="XP-FUND")
    builders.indicator(program, "organizations_share", code="1", element=elements["fund"], target_value=80)
    rollups.refresh()
    client = login(cast.owner)
    pages = {code: _url(code, "XP-FUND", indicator="1") for code in ("XP-A", "XP-A-01", "XP-A-02")}

    def queries_of_each() -> dict[str, int]:
        counts = {}
        for code, url in pages.items():
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            counts[code] = len(queries)
        return counts

    computed = queries_of_each()
    cached = queries_of_each()
    assert all(cached[code] < computed[code] for code in pages)
    with django_capture_on_commit_callbacks(execute=True):
        post_cell(client, cast.district, cast.branch, elements["fund"], "Có", version=0)
    after_first = queries_of_each()
    assert after_first["XP-A-02"] == cached["XP-A-02"]  # its sibling was typed: still the cached copy
    assert after_first["XP-A-01"] > cached["XP-A-01"] and after_first["XP-A"] > cached["XP-A"]
    assert "100" in _main(client.get(pages["XP-A-01"]).content.decode())
    with django_capture_on_commit_callbacks(execute=True):
        post_cell(client, cast.district, second, elements["fund"], "Có", version=0)
    after_second = queries_of_each()
    assert after_second["XP-A-02"] > cached["XP-A-02"] and after_second["XP-A"] > cached["XP-A"]
    assert after_second["XP-A-01"] == cached["XP-A-01"]
    assert "100" in _children(client.get(pages["XP-A"]).content.decode())["XP-A-02"]


def test_a_cached_page_is_never_served_to_an_outsider_nor_for_another_body(cast, login):
    setup_program(cast)
    owner_page = login(cast.owner).get(_url("XP-A", indicator="1")).content.decode()
    assert login(cast.outsider).get(_url("XP-A", indicator="1")).status_code == 404
    sibling_page = login(cast.outsider).get(_url("XP-B", indicator="1")).content.decode()
    assert _children(sibling_page).keys() == {"XP-B-01"}
    assert _children(owner_page).keys() == {"XP-A-01", "XP-A-02"}
    # Each sees their own name and their own trail: the body is shared, the page around it is not.
    assert 'data-keep-user="outsider"' in sibling_page and 'data-keep-user="owner"' in owner_page


def test_a_cached_dashboard_makes_at_most_15_queries(cast, login, django_assert_max_num_queries):
    setup_program(cast)
    client = login(cast.owner)
    with CaptureQueriesContext(connection) as computed:
        client.get(_url("XP-A", indicator="1"))
    with django_assert_max_num_queries(15):
        response = client.get(_url("XP-A", indicator="1"))
    assert response.status_code == 200
    assert "XP-A-01" in response.content.decode()
    assert len(computed) > 15


FUND = _url("XP-A", "XP-FUND", indicator="1")


@pytest.fixture
def typed(cast, login, settings, year, elements, django_capture_on_commit_callbacks):  # noqa: F811
    """With a 5-second window: the district's page seen at 16:00:00 (Hà Nội), then a cell typed below it.
    Yields the client, that first page and the clock."""
    from django.core.cache import cache

    settings.REPORT_STALE_SECONDS = 5
    program = builders.program(cast.province, code="XP-FUND")
    builders.indicator(program, "organizations_share", code="1", element=elements["fund"], target_value=80)
    rollups.refresh()
    client = login(cast.owner)
    cache.clear()
    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, 0, 0, tzinfo=datetime.UTC), tick=False) as clock:
        first = client.get(FUND).content.decode()
        assert "Số liệu lúc 16:00:00" in first  # Asia/Ho_Chi_Minh
        with django_capture_on_commit_callbacks(execute=True):
            post_cell(client, cast.district, cast.branch, elements["fund"], "Có", version=0)
        yield client, first, clock


def test_within_the_window_a_typed_figure_may_show_seconds_later_never_later_than_the_window(typed):
    client, first, clock = typed
    clock.shift(4)
    assert _main(client.get(FUND).content.decode()) == _main(first)  # the copy of 4 seconds ago
    clock.shift(2)
    html = client.get(FUND).content.decode()
    assert "100" in _children(html)["XP-A-01"] and "100" not in _children(first)["XP-A-01"]
    assert "Số liệu lúc 16:00:06" in html


def test_while_one_request_computes_a_moved_dashboard_the_others_serve_the_last_copy(typed):
    from django.core.cache import cache

    client, first, clock = typed
    clock.shift(60)
    latest = [key.split(":", 2)[2] for key in cache._cache if ":dashboard:body:latest:" in key]  # locmem's keys
    assert len(latest) == 1
    cache.add(latest[0] + ":computing", 1)  # another request is computing it
    assert _main(client.get(FUND).content.decode()) == _main(first)
    cache.delete(latest[0] + ":computing")
    assert "100" in _children(client.get(FUND).content.decode())["XP-A-01"]


def test_the_window_never_hides_an_acceptance(cast, login, settings):
    settings.REPORT_STALE_SECONDS = 3600
    _prog, period = setup_program(cast)
    client = login(cast.owner)
    assert "live=1" not in client.get(_url("XP-A")).content.decode()
    from indicators.workflow import services

    services.submission_submit(organization=cast.district, period=period, by=cast.owner)
    login(cast.provincial).post(reverse("indicators:accept", kwargs={"period": "2024", "code": "XP-A"}), {})
    assert "live=1" in client.get(_url("XP-A")).content.decode()
