"""No edit is ever lost (static/js/keepedits.js), in a real browser on a small district.

The session ends while typing, the network goes, the server fails, someone else saves the same
cell, the page is reloaded: what was typed stays in the grid marked "chưa lưu", a counter says
how many edits wait, and they are saved once the cause is gone — never over a newer value.
"""

from decimal import Decimal

import pytest
from django.contrib.sessions.models import Session
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from indicators.models import DataElement, DataValue, Submission
from organizations.models import Organization, Sector
from tests import builders, factories
from tests.browser.conftest import ARTIFACTS, new_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PERIOD = "2024"
ELEMENT = "workers_total"  # a number every base union reports, whatever its sector


@pytest.fixture
def district(cast):
    """The cast's district with eleven more base unions: twelve rows, one figure typed in each."""
    builders.period(PERIOD)
    for number in range(2, 13):
        factories.make_branch(cast.district, code=f"XP-A-{number:02d}", name=f"CĐCS Thử {number}", sector=Sector.SCHOOL)
    return cast.district


def sign_in(page, live_server, user, *, then: str | None = None) -> None:
    """Sign in on the login page; `then` is where it leads (the home page, or the two-step check)."""
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", factories.PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(then or f"{live_server.url}/")


def open_grid(page, live_server, district) -> None:
    page.goto(f"{live_server.url}/data/{PERIOD}/{district.code}/")
    page.locator("table.data-grid[data-keep]").first.wait_for()


def ids(row: str) -> str:
    """The ids' end of the test figure's cell in a row: <row's id>-<element's id>, as grid.js names it."""
    return f"{Organization.objects.get(code=row).pk}-{DataElement.objects.get(code=ELEMENT).pk}"


def cell(page, row: str):
    """The input of the test figure in a row (by the row's code)."""
    return page.locator(f"table.data-grid #v-{ids(row)}.cell-input")


def saved(page, row: str):
    return page.locator(f"td#cell-{ids(row)}.cell-saved .cell-input")


def type_in(page, row: str, value: str) -> None:
    entry = cell(page, row)
    entry.click()
    entry.press("Control+A")
    entry.press_sequentially(value)
    entry.press("Tab")  # leaving the cell saves it


def stored(row: str):
    value = DataValue.objects.filter(organization__code=row, element__code=ELEMENT, period__code=PERIOD).first()
    return value.number if value else None


def waiting(page) -> str:
    return page.locator("#keep-status [data-keep-count]").inner_text()


def wait_for_count(page, count: int) -> None:
    """The counter moves as each failed save comes back: wait for it rather than read it once."""
    expect(page.locator("#keep-status [data-keep-count]")).to_have_text(str(count))


ROWS = [f"XP-A-{number:02d}" for number in range(1, 13)]


def test_the_session_ends_while_typing_and_signing_in_in_the_dialog_saves_every_value(
    district, cast, live_server, page, shot, console_errors
):
    # The browser's own line for each refused request: provoked on purpose here.
    console_errors.allow(r"status of (400|401|403)")  # 400: the wrong password
    sign_in(page, live_server, cast.owner)
    open_grid(page, live_server, district)
    type_in(page, ROWS[0], "40")
    saved(page, ROWS[0]).wait_for()

    Session.objects.all().delete()  # thirty idle minutes later, the session is gone
    type_in(page, ROWS[1], "41")
    dialog = page.locator("dialog#keep-login")
    dialog.wait_for(state="visible")
    assert dialog.locator("[name=username]").input_value() == cast.owner.username
    page.keyboard.press("Escape")  # closed for now: the user goes on typing
    for number, row in enumerate(ROWS[2:5], start=42):
        type_in(page, row, str(number))
        dialog.wait_for(state="visible")
        page.keyboard.press("Escape")
    assert waiting(page) == "4"
    for row, value in zip(ROWS[1:5], ("41", "42", "43", "44"), strict=True):
        assert cell(page, row).input_value() == value  # what was typed is still there
        assert cell(page, row).get_attribute("data-keep-state") == "unsaved"
        assert stored(row) is None
    assert page.locator(".keep-badge", has_text="chưa lưu").count() == 4
    assert "đăng nhập lại" in page.locator("#keep-status").inner_text()
    assert page.locator("table.data-grid .login-card, table.data-grid form").count() == 0  # no login page in a cell
    shot("keep-0-session-ended-four-cells-waiting")

    page.locator("#keep-status [data-keep-signin]").click()
    dialog.wait_for(state="visible")
    dialog.locator("[name=password]").fill("not the password")
    dialog.get_by_role("button", name="Đăng nhập và lưu").click()
    dialog.locator("[data-keep-login-error]").wait_for(state="visible")
    assert "Sai tên đăng nhập hoặc mật khẩu" in dialog.inner_text()
    shot("keep-1-grid-not-saved-and-dialog")
    dialog.locator("[name=password]").fill(factories.PASSWORD)
    dialog.get_by_role("button", name="Đăng nhập và lưu").click()
    page.locator("#keep-status").wait_for(state="hidden")
    assert [stored(row) for row in ROWS[:5]] == [Decimal(n) for n in (40, 41, 42, 43, 44)]
    assert page.url == f"{live_server.url}/data/{PERIOD}/{district.code}/"  # never left the grid

    # The cookies gone altogether (the CSRF token with them): the same, through a stale token.
    page.context.clear_cookies()
    type_in(page, ROWS[5], "45")
    dialog.wait_for(state="visible")
    dialog.locator("[name=password]").fill(factories.PASSWORD)
    dialog.get_by_role("button", name="Đăng nhập và lưu").click()
    page.locator("#keep-status").wait_for(state="hidden")
    assert stored(ROWS[5]) == Decimal(45)
    shot("keep-2-grid-saved-after-sign-in")


def test_signing_in_again_in_another_tab_saves_what_waits_in_the_grid(
    district, cast, live_server, page, console_errors
):
    console_errors.allow(r"status of 401")  # the save refused by the ended session, on purpose
    sign_in(page, live_server, cast.owner)
    open_grid(page, live_server, district)
    Session.objects.all().delete()
    type_in(page, ROWS[0], "61")
    page.locator("dialog#keep-login").wait_for(state="visible")
    page.keyboard.press("Escape")
    assert waiting(page) == "1" and stored(ROWS[0]) is None

    other = page.context.new_page()  # the user prefers the login page, in a tab of its own
    console_errors.watch(other)
    sign_in(other, live_server, cast.owner)
    # The grid's tab, left in the background, shows the cell saved once the other tab has sent it.
    saved(page, ROWS[0]).wait_for()
    assert stored(ROWS[0]) == Decimal(61)
    page.locator("#keep-status").wait_for(state="hidden")
    assert page.locator("[data-keep-state]").count() == 0
    other.close()


def test_ten_cells_typed_offline_are_all_saved_once_back_online(district, cast, live_server, page, shot):
    sign_in(page, live_server, cast.owner)
    open_grid(page, live_server, district)
    page.context.set_offline(True)
    for number, row in enumerate(ROWS[:10], start=100):
        type_in(page, row, str(number))
    assert waiting(page) == "10"
    assert "mất kết nối" in page.locator("#keep-status").inner_text().lower()
    assert page.locator("[data-keep-state=unsaved]").count() == 10
    assert all(stored(row) is None for row in ROWS[:10])
    shot("keep-3-offline-ten-cells-waiting")

    page.context.set_offline(False)
    page.locator("#keep-status").wait_for(state="hidden")
    assert [stored(row) for row in ROWS[:10]] == [Decimal(n) for n in range(100, 110)]
    assert page.locator("[data-keep-state]").count() == 0
    assert page.locator("table.data-grid td.cell-saved").count() == 10


def test_two_users_on_one_cell_the_second_sees_the_conflict_and_nothing_is_overwritten(
    district, cast, live_server, page, browser, console_errors
):
    console_errors.allow(r"status of 409")  # the browser's line for the refused replay
    colleague = factories.make_user("owner2", organization=district, role="upper_staff")
    sign_in(page, live_server, cast.owner)
    open_grid(page, live_server, district)
    other = new_page(browser, console_errors)
    try:
        sign_in(other, live_server, colleague)
        open_grid(other, live_server, district)

        # The second user is offline while typing; the first saves the same cell meanwhile.
        other.context.set_offline(True)
        type_in(other, ROWS[0], "70")
        assert waiting(other) == "1"
        type_in(page, ROWS[0], "55")
        page.locator("td.cell-saved").wait_for()
        assert stored(ROWS[0]) == Decimal(55)

        other.context.set_offline(False)  # the replay carries the version seen before: refused
        conflict = other.locator("td.cell-conflict .cell-message")
        conflict.wait_for()
        assert "55" in conflict.inner_text() and "“70”" in conflict.inner_text()
        assert stored(ROWS[0]) == Decimal(55)  # not overwritten
        assert waiting(other) == "1"  # the choice is still waiting
        assert cell(other, ROWS[0]).get_attribute("data-keep-state") == "conflict"
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        other.screenshot(path=str(ARTIFACTS / "keep-4-conflict.png"), full_page=True, caret="initial")

        # Reloaded, the conflict is still there; then the second user keeps their own value, knowingly.
        other.reload()
        other.locator("td.cell-conflict .cell-message").wait_for()
        assert stored(ROWS[0]) == Decimal(55)
        other.get_by_role("button", name="Lưu “70” thay thế").click()
        other.locator("td.cell-saved").wait_for()
        assert stored(ROWS[0]) == Decimal(70)
        other.locator("#keep-status").wait_for(state="hidden")
    finally:
        other.context.close()


def test_a_reload_keeps_the_queued_edits_and_a_server_error_is_retried(
    district, cast, live_server, page, shot, console_errors
):
    console_errors.allow(r"status of 503")
    sign_in(page, live_server, cast.owner)
    open_grid(page, live_server, district)
    page.route("**/cell/**", lambda route: route.fulfill(status=503, body="busy"))
    type_in(page, ROWS[0], "31")
    type_in(page, ROWS[1], "32")
    page.locator("#keep-status").wait_for()
    wait_for_count(page, 2)
    assert "máy chủ" in page.locator("#keep-status").inner_text().lower()

    page.reload()  # the server still fails: after the reload the edits are in the grid, waiting
    page.locator("[data-keep-state=unsaved]").nth(1).wait_for()
    assert waiting(page) == "2"
    assert cell(page, ROWS[0]).input_value() == "31" and cell(page, ROWS[1]).input_value() == "32"
    assert stored(ROWS[0]) is None
    shot("keep-5-after-reload")

    page.unroute("**/cell/**")
    page.locator("#keep-status [data-keep-retry]").click()
    page.locator("#keep-status").wait_for(state="hidden")
    assert (stored(ROWS[0]), stored(ROWS[1])) == (Decimal(31), Decimal(32))


def test_a_stale_form_gets_the_vietnamese_csrf_page_with_a_way_back(district, cast, live_server, browser):
    """Without scripts (nothing checks the session first), a form sent without its CSRF cookie."""
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="vi-VN", java_script_enabled=False)
    try:
        page = context.new_page()
        sign_in(page, live_server, cast.owner)
        grid = f"{live_server.url}/data/{PERIOD}/{district.code}/submit/"  # the page that asks before submitting
        page.goto(grid)
        session = [c for c in context.cookies() if c["name"] == "sessionid"]
        context.clear_cookies()
        context.add_cookies(session)  # the session alive, the CSRF cookie gone
        page.get_by_role("button", name="Gửi báo cáo và khóa số liệu").click()
        assert "Biểu mẫu đã hết hạn" in page.locator("h1").inner_text()
        assert "Chưa có gì được lưu" in page.locator(".alert-warning").inner_text()
        assert page.get_by_role("link", name="Quay lại trang bạn đang làm").get_attribute("href") == grid
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "keep-6-csrf-page.png"), full_page=True, caret="initial")
        assert not Submission.objects.exists()
    finally:
        context.close()


def test_a_form_sent_after_the_session_ended_goes_once_signed_in_in_the_dialog(district, cast, live_server, page):
    sign_in(page, live_server, cast.owner)
    page.goto(f"{live_server.url}/data/{PERIOD}/{district.code}/submit/")
    page.fill("#submit-comment", "Đã nhập đủ số liệu năm 2024.")
    Session.objects.all().delete()
    page.get_by_role("button", name="Gửi báo cáo và khóa số liệu").click()
    dialog = page.locator("dialog#keep-login")
    dialog.wait_for(state="visible")
    assert not Submission.objects.exists()
    assert page.locator("#submit-comment").input_value() == "Đã nhập đủ số liệu năm 2024."
    dialog.locator("[name=password]").fill(factories.PASSWORD)
    with page.expect_navigation(url=f"{live_server.url}/data/{PERIOD}/{district.code}/"):
        dialog.get_by_role("button", name="Đăng nhập và lưu").click()
    assert "Đã gửi báo cáo số liệu năm 2024" in page.locator(".alert-success").inner_text()
    assert Submission.objects.get().events.get().comment == "Đã nhập đủ số liệu năm 2024."
    assert page.evaluate("localStorage.getItem('unionportal.keep.drafts.v1')") == "{}"  # the draft is gone


def test_a_form_that_met_a_server_error_is_filled_in_again_back_on_its_page(
    district, cast, live_server, page, console_errors
):
    console_errors.allow(r"status of 500")  # the failure provoked below
    sign_in(page, live_server, cast.owner)
    page.goto(f"{live_server.url}/data/{PERIOD}/{district.code}/submit/")
    asking = page.url
    grid = f"{live_server.url}/data/{PERIOD}/{district.code}/"
    page.route(
        "**/submit/",
        lambda route: route.fulfill(
            status=500,
            content_type="text/html; charset=utf-8",
            # As templates/500.html is: marked as an error page, with the portal's scripts.
            body='<html><body data-keep-failed="500">Lỗi máy chủ<script src="/static/js/keepedits.js"></script></body></html>',
        ),
    )
    page.fill("#submit-comment", "Ghi chú dài gõ cả buổi chiều.")
    page.get_by_role("button", name="Gửi báo cáo và khóa số liệu").click()
    page.get_by_text("Lỗi máy chủ").wait_for()
    assert not Submission.objects.exists()
    page.unroute("**/submit/")
    page.goto(asking)  # the error page's link back
    assert page.locator("#submit-comment").input_value() == "Ghi chú dài gõ cả buổi chiều."
    assert "đã được điền lại" in page.locator("form .keep-restored").inner_text()
    with page.expect_navigation(url=grid):
        page.get_by_role("button", name="Gửi báo cáo và khóa số liệu").click()
    assert Submission.objects.get().events.get().comment == "Ghi chú dài gõ cả buổi chiều."


@pytest.mark.urls("tests.unionportal.broken_urls")
def test_a_server_error_page_is_in_vietnamese_and_leads_back(district, cast, live_server, page, shot, console_errors):
    console_errors.allow(r"status of (500|503)")  # the failures provoked below
    sign_in(page, live_server, cast.owner)
    open_grid(page, live_server, district)
    grid = page.url
    page.evaluate("location.href = '/broken/'")  # a link that meets a bug
    page.wait_for_url(f"{live_server.url}/broken/")
    assert "Lỗi máy chủ" in page.locator("h1").inner_text()
    shot("keep-7-server-error-page")
    page.get_by_role("link", name="Quay lại trang bạn đang làm").click()
    page.wait_for_url(grid)
    page.goto(f"{live_server.url}/database-down/")
    assert "Hệ thống đang bận" in page.locator("h1").inner_text()
    shot("keep-8-busy-page")


def test_a_user_with_two_step_sign_in_types_the_code_in_the_dialog_and_every_value_is_saved(
    district, cast, live_server, page, settings, console_errors
):
    console_errors.allow(r"status of (400|401)")  # the expired session's saves, the dialog's asking and refusal
    settings.TWO_FACTOR_REQUIRED = True
    cast.owner.is_staff = True  # an administrator: two-step sign-in is required of them
    cast.owner.save(update_fields=["is_staff"])
    device = TOTPDevice.objects.create(user=cast.owner, name="authenticator", confirmed=True)
    sign_in(page, live_server, cast.owner, then=f"{live_server.url}/2fa/verify/?next=/")
    page.fill("#id_token", f"{totp(device.bin_key):06d}")
    page.locator("form:has(#id_token) button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/")
    open_grid(page, live_server, district)

    Session.objects.all().delete()  # the session ends while typing
    dialog = page.locator("dialog#keep-login")
    type_in(page, ROWS[0], "50")
    dialog.wait_for(state="visible")
    page.keyboard.press("Escape")  # closed for now: the user goes on typing
    type_in(page, ROWS[1], "51")
    dialog.wait_for(state="visible")
    code_field = dialog.locator("[data-keep-login-otp]")
    assert code_field.is_hidden()  # asked only once the password is right
    dialog.locator("[name=password]").fill(factories.PASSWORD)
    dialog.get_by_role("button", name="Đăng nhập và lưu").click()
    code_field.wait_for(state="visible")
    assert "mã 6 chữ số" in dialog.locator("[data-keep-login-error]").inner_text()
    assert page.evaluate("document.activeElement.name") == "token"

    dialog.locator("[name=token]").fill("000000")
    dialog.get_by_role("button", name="Đăng nhập và lưu").click()
    expect(dialog.locator("[data-keep-login-error]")).to_contain_text("Mã không đúng")
    assert [stored(row) for row in ROWS[:2]] == [None, None]
    assert [cell(page, row).input_value() for row in ROWS[:2]] == ["50", "51"]  # nothing lost
    wait_for_count(page, 2)

    device.refresh_from_db()
    device.throttle_reset()  # django-otp slows the next try after a wrong code down
    # The code of the next 30-second step: the one of the first sign-in may not be used twice.
    dialog.locator("[name=token]").fill(f"{totp(device.bin_key, drift=1):06d}")
    dialog.get_by_role("button", name="Đăng nhập và lưu").click()
    page.locator("#keep-status").wait_for(state="hidden")
    assert [stored(row) for row in ROWS[:2]] == [Decimal(50), Decimal(51)]
    assert page.url == f"{live_server.url}/data/{PERIOD}/{district.code}/"
