"""In a real browser: the grid moves like a spreadsheet and each cell saves itself (static/js/grid.js + htmx)."""

from decimal import Decimal

import pytest

from indicators.models import DataElement, DataElementRule, DataValue, ValueType
from tests import builders, factories
from tests.browser.conftest import browser, console_errors, log_in, page  # noqa: F401 - Chromium fixtures of tests/browser

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def levels(transactional_db):
    """An earlier live-server test may have flushed the levels."""
    factories.restore_migration_rows()


@pytest.fixture
def grid(cast):
    DataElement.objects.all().delete()  # a small catalogue: three columns
    total = builders.element("t_total", min_value=Decimal(0), order=1)
    members = builders.element("t_members", min_value=Decimal(0), order=2)
    builders.element("t_fund", ValueType.BOOLEAN, order=3)
    DataElementRule.objects.create(element=members, operator="lte", other=total, message="Vượt quá tổng số.")
    factories.make_branch(cast.district, code="XP-A-02", name="CĐCS Trường A2")
    builders.period("2024")
    return {"total": total, "members": members}


def focused(page) -> str:  # noqa: F811
    return page.evaluate("document.activeElement.id")


def cell_id(code: str, element) -> str:
    from organizations.models import Organization

    return f"v-{Organization.objects.get(code=code).pk}-{element.pk}"


def test_arrow_keys_enter_and_tab_move_between_cells_that_save_themselves(
    live_server,
    page,  # noqa: F811
    cast,
    grid,
    console_errors,  # noqa: F811
):
    console_errors.allow(r"status of 422 .*/cell/XP-A-01/t_members/")  # the refusal provoked below
    log_in(page, live_server, "owner", factories.PASSWORD)
    assert page.goto(f"{live_server.url}/data/2024/XP-A/").status == 200
    total_a1, total_a2 = cell_id("XP-A-01", grid["total"]), cell_id("XP-A-02", grid["total"])
    members_a1 = cell_id("XP-A-01", grid["members"])

    page.click(f"#{total_a1}")
    page.keyboard.type("1.234")
    with page.expect_response(lambda r: "/cell/XP-A-01/t_total/" in r.url):
        page.keyboard.press("Enter")  # saves and moves down
    assert focused(page) == total_a2
    assert DataValue.objects.get(element=grid["total"], organization__code="XP-A-01").number == 1234

    page.keyboard.press("ArrowUp")
    assert focused(page) == total_a1
    page.keyboard.press("ArrowRight")
    assert focused(page) == members_a1
    page.keyboard.press("ArrowLeft")
    assert focused(page) == total_a1
    page.keyboard.press("Tab")
    assert focused(page) == members_a1

    page.keyboard.type("2.000")  # more members than workers: refused, in place
    with page.expect_response(lambda r: "/cell/XP-A-01/t_members/" in r.url):
        page.keyboard.press("Enter")
    message = page.locator(f"#cell-{members_a1[2:]} .cell-message")
    message.wait_for()
    assert message.inner_text() == "Vượt quá tổng số."
    assert not DataValue.objects.filter(element=grid["members"]).exists()
    assert page.input_value(f"#{total_a1}") == "1.234"  # shown back the Vietnamese way
    assert page.locator("#grid-progress").is_visible()


def test_a_viewer_gets_no_inputs(live_server, page, cast, grid):  # noqa: F811
    log_in(page, live_server, "colleague", factories.PASSWORD)
    page.goto(f"{live_server.url}/data/2024/XP-A/")
    assert page.locator(".data-grid .cell-input").count() == 0
    assert page.locator(".data-grid .cell").count() == 6
