"""The grid in a real browser: sticky header and first column, groups of columns, help on a header, one
branch at a time on a phone (static/js/grid.js, static/css/programs.css). The page fixture fails on any
console error."""

from decimal import Decimal

import pytest

from indicators.models import DataElement, DataValue
from indicators.workflow import services as workflow
from organizations.models import Sector
from tests import builders, factories
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PERIOD = "2024"


@pytest.fixture(autouse=True)
def levels(transactional_db):
    """An earlier live-server test may have flushed the levels."""
    factories.restore_migration_rows()


@pytest.fixture
def district(cast):
    """Forty base unions on the catalogue's 17 base figures: more rows and columns than the screen holds."""
    builders.period(PERIOD)
    for number in range(2, 41):
        sector = Sector.NON_STATE_ENTERPRISE if number % 5 == 0 else Sector.SCHOOL
        factories.make_branch(cast.district, code=f"XP-A-{number:02d}", name=f"CĐCS Thử {number}", sector=sector)
    return cast.district


def grid_url(live_server, organization) -> str:
    return f"{live_server.url}/data/{PERIOD}/{organization.code}/"


def wait_until(page, expression: str, timeout: float = 10.0) -> None:
    """Poll a JavaScript expression from Python: Playwright's wait_for_function evaluates its string
    with eval() in the page, which the portal's CSP (script-src 'self') refuses."""
    import time

    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise AssertionError(f"still false after {timeout:.0f} s: {expression}")
        time.sleep(0.05)


def box(page, selector: str) -> dict:
    return page.locator(selector).first.bounding_box()


def test_the_header_and_first_column_stay_while_the_grid_scrolls_and_groups_collapse(cast, district, live_server, page):
    log_in(page, live_server, "owner", factories.PASSWORD)
    page.goto(grid_url(live_server, district))
    wrap = page.locator(".grid-card .grid-wrap")
    assert wrap.get_attribute("role") == "region" and wrap.get_attribute("tabindex") == "0"
    assert wrap.get_attribute("aria-label")
    header = ".data-grid thead th[data-e='workers_total']"
    top = box(page, ".grid-card .grid-wrap")["y"]
    wrap.evaluate("el => { el.scrollTop = 600; el.scrollLeft = 900; }")
    wait_until(page, "document.querySelector('.grid-card .grid-wrap').scrollTop >= 600")
    assert abs(box(page, header)["y"] - top) < 2  # the header row is still at the top of the region
    assert page.locator(header).is_visible()
    assert (
        abs(box(page, "#data-grid tbody tr:nth-child(20) th.row-head")["x"] - box(page, ".grid-card .grid-wrap")["x"])
        < 2
    )
    assert "workers_total" in page.locator(header).inner_text()  # the code and the full name
    assert "Tổng số người lao động tại đơn vị" in page.locator(header).inner_text()

    # The help text of a column shows when its header has the focus.
    help_id = page.locator(header).get_attribute("aria-describedby")
    assert not page.locator(f"#{help_id}").is_visible()
    page.locator(header).focus()
    assert page.locator(f"#{help_id}").is_visible()

    # Collapsing the yes / no group hides its columns, and stays so after a reload.
    yes_no = page.locator("[data-grid-group='b']")
    column = page.locator(".data-grid thead th[data-e='mutual_aid_fund']")
    cell = page.locator("#data-grid tbody tr:first-child td.g-b").first
    assert column.is_visible() and yes_no.get_attribute("aria-expanded") == "true"
    yes_no.click()
    assert not column.is_visible() and not cell.is_visible()
    assert yes_no.get_attribute("aria-expanded") == "false"
    page.reload()
    assert not page.locator(".data-grid thead th[data-e='mutual_aid_fund']").is_visible()
    page.locator("[data-grid-group='b']").click()
    assert page.locator(".data-grid thead th[data-e='mutual_aid_fund']").is_visible()


def test_a_locked_grid_still_has_a_scroll_region_the_keyboard_reaches(cast, district, live_server, page):
    workflow.submission_submit(organization=district, period=builders.period(PERIOD), by=cast.owner)
    log_in(page, live_server, "owner", factories.PASSWORD)
    page.goto(grid_url(live_server, district))
    assert page.locator("#data-grid .cell-input").count() == 0
    wrap = page.locator(".grid-card .grid-wrap")
    wrap.focus()
    assert page.evaluate("document.activeElement.classList.contains('grid-wrap')")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("PageDown")
    wait_until(page, "document.querySelector('.grid-card .grid-wrap').scrollTop > 0")


def test_on_a_phone_one_branch_at_a_time_with_next_and_previous_saving_each_value(
    cast, district, live_server, browser, console_errors
):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN", is_mobile=True)
    page = context.new_page()
    page.set_default_timeout(15000)
    console_errors.watch(page)
    try:
        log_in(page, live_server, "owner", factories.PASSWORD)
        page.goto(grid_url(live_server, district))
        steps = page.locator(".grid-steps")
        assert steps.is_visible()
        assert page.locator("#data-grid tbody tr:visible").count() == 1
        assert "1 / 40" in steps.inner_text()
        assert not page.locator(".data-grid thead").is_visible()
        total = DataElement.objects.get(code="workers_total")
        first = page.locator("#data-grid tbody tr.is-current td.cell-number").filter(
            has=page.locator(f"[id$='-{total.pk}']")
        )
        assert "Tổng số người lao động" in first.locator(".cell-label").inner_text()  # a labelled form field
        field = first.locator(".cell-input")
        assert field.bounding_box()["width"] > 300  # a form field across the phone's width, not a grid's column
        field.fill("120")
        with page.expect_response(lambda r: f"/cell/{cast.branch.code}/workers_total/" in r.url):
            page.locator("[data-grid-step='1']").click()  # leaving the field saves it, on the same address
        assert "2 / 40" in steps.inner_text()
        row = page.locator("#data-grid tbody tr.is-current")
        assert row.get_attribute("data-r") == "XP-A-02"
        second = row.locator(f"td[id$='-{total.pk}'] .cell-input")
        second.fill("80")
        with page.expect_response(lambda r: "/cell/XP-A-02/workers_total/" in r.url):
            page.locator("[data-grid-step='-1']").click()
        assert "1 / 40" in steps.inner_text()
        page.locator(f"#data-grid tbody tr.is-current td[id$='-{total.pk}'].cell-saved").wait_for()
        saved = {v.organization.code: v for v in DataValue.objects.filter(element=total)}
        assert saved[cast.branch.code].number == Decimal(120) and saved[cast.branch.code].version == 1
        assert saved["XP-A-02"].number == Decimal(80)

        # Typed again after someone else saved it: the same version check, the same conflict.
        DataValue.objects.filter(pk=saved[cast.branch.code].pk).update(number=Decimal(121), version=2)
        field = page.locator(f"#data-grid tbody tr.is-current td[id$='-{total.pk}'] .cell-input")
        field.fill("125")
        console_errors.allow(r"status of 409")
        with page.expect_response(lambda r: r.status == 409):
            page.locator("[data-grid-step='1']").click()
        assert DataValue.objects.get(pk=saved[cast.branch.code].pk).number == Decimal(121)
    finally:
        context.close()
    console_errors.check()


def test_the_rows_below_the_first_screen_join_the_grid_and_keep_what_was_typed_in_them(
    cast, district, live_server, page, console_errors
):
    """The first rows (FIRST_ROWS) are laid out at once, the others follow from a template (grid.js); an
    edit waiting in a late row is put back after a reload, once that row is there (keepedits.js)."""
    from indicators.entry.views.grid import FIRST_ROWS

    console_errors.allow(r"status of 503")
    log_in(page, live_server, "owner", factories.PASSWORD)
    page.goto(grid_url(live_server, district))
    page.locator("#data-grid[data-ready]").wait_for(state="attached")
    assert page.locator("#grid-rest").count() == 0
    rows = page.locator("#data-grid tbody tr")
    assert rows.count() == 40 > FIRST_ROWS
    late = page.locator('#data-grid tr[data-r="XP-A-38"] input.cell-input').first
    assert late.get_attribute("aria-labelledby")  # hydrated like the first rows

    page.route("**/cell/**", lambda route: route.fulfill(status=503, body="busy"))
    late.fill("777")
    late.press("Tab")
    page.locator("#keep-status").wait_for()
    page.reload()
    page.locator("#data-grid[data-ready]").wait_for(state="attached")
    late = page.locator('#data-grid tr[data-r="XP-A-38"] input.cell-input').first
    wait_until(page, "document.querySelector('#data-grid tr[data-r=\"XP-A-38\"] input.cell-input').value === '777'")
    assert late.input_value() == "777"
