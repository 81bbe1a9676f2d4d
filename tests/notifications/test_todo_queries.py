"""The to-do list reads a fixed number of queries whatever the size of the subtree; the home page shows it."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from imports.models import ImportJob
from indicators.workflow import services as workflow
from notifications.todo import items as kinds
from notifications.todo.selectors import QUERIES, todo_for
from organizations.models import Role
from tests import factories

from .conftest import entered, more_branches
from .test_todo import _warning


def _fresh(user):
    """The user as a new request loads it: its scope not yet read."""
    return type(user).objects.get(pk=user.pk)


def _list_queries(user) -> int:
    user = _fresh(user)
    return _count(lambda: todo_for(user))


def _count(function) -> int:
    with CaptureQueriesContext(connection) as queries:
        function()
    return len(queries)


def _grow(cast, half, figure) -> None:
    """Forty more base unions in the district, eight more districts with their own, some sent, some late."""
    for branch in more_branches(cast.district, 40, "XP-A-G"):
        entered(branch, half, figure)
    for n in range(8):
        district = factories.make_organization(cast.province, code=f"XP-G{n}", name=f"LĐLĐ huyện G{n}")
        for branch in more_branches(district, 5, f"XP-G{n}"):
            entered(branch, half, figure)
            _warning(branch, half)
        if n % 2:
            staff = factories.make_user(f"staff-g{n}", organization=district, role=Role.UPPER_STAFF)
            workflow.submission_submit(organization=district, period=half, by=staff)


def _seed(cast, half, figure) -> None:
    """Something of every kind, so that the small world runs every query the large one does."""
    entered(cast.branch, half, figure)
    _warning(cast.branch, half)
    workflow.submission_submit(organization=cast.sibling, period=half, by=cast.outsider)
    for user in (cast.owner, cast.provincial):
        ImportJob.objects.create(
            user=user, kind="members", original_name="a.xlsx", file="imports/a.xlsx", status="done"
        )


def test_the_list_reads_the_same_few_queries_for_a_small_and_a_large_subtree(cast, half, figure):
    _seed(cast, half, figure)
    users = (cast.provincial, cast.owner, cast.national_officer)
    small = [_list_queries(user) for user in users]
    small_late = len(todo_for(cast.provincial).items)
    _grow(cast, half, figure)
    large = [_list_queries(user) for user in users]
    assert large == small
    assert max(large) <= QUERIES
    provincial = todo_for(cast.provincial)
    [late] = [i for i in provincial.items if i.kind == kinds.LATE]
    assert len(late.bodies) == 5 and late.more == 0  # XP-A and the four G districts that did not send
    assert len(provincial.items) >= small_late


def test_the_home_page_reads_the_same_number_of_queries_for_a_small_and_a_large_subtree(cast, half, figure, login):
    _seed(cast, half, figure)
    client = login(cast.provincial)
    client.get(reverse("home"))  # the session's first save
    small = _count(lambda: client.get(reverse("home")))
    _grow(cast, half, figure)
    large = _count(lambda: client.get(reverse("home")))
    assert large == small


def test_the_home_page_shows_the_list_and_the_navigation_bar_its_count(cast, half, login):
    response = login(cast.provincial).get(reverse("home"))
    page = response.content.decode()
    todo = response.context["sections"][0].context["todo"]
    assert todo.count == 2  # the province's own report, and its two late districts
    assert 'id="viec-can-lam"' in page and "Việc cần làm" in page
    assert f'<span class="badge rounded-pill text-bg-danger">{todo.count}</span>' in page
    assert page.count(reverse("notifications:remind", args=["2026-H1", "XP-A"])) == 1
    assert 'name="csrfmiddlewaretoken"' in page
    assert "Đơn vị cấp dưới chậm báo cáo" in page and "quá hạn 17 ngày" in page


def test_a_page_other_than_home_reads_the_count_once_a_minute(cast, half, login):
    client = login(cast.owner)
    url = reverse("organizations:tree")
    first = _count(lambda: client.get(url))
    again = _count(lambda: client.get(url))
    assert first > again  # the count came from the session the second time
    assert "Việc cần làm" in client.get(url).content.decode()


def test_the_outsiders_home_page_names_nothing_of_the_owners_district(cast, half, login):
    page = login(cast.outsider).get(reverse("home")).content.decode()
    assert "LĐLĐ huyện A" not in page and "XP-A" not in page
    assert "LĐLĐ huyện B" in page


def test_with_nothing_to_do_the_home_page_says_so_and_the_bar_shows_no_count(cast, login, today):
    viewer = factories.make_user("xem", organization=cast.district, role=Role.VIEWER)
    page = login(viewer).get(reverse("home")).content.decode()
    assert "Hiện không có việc nào" in page
    assert "#viec-can-lam" not in page
