"""In a real browser: the district's staff edit section II of the report, then go back to the automatic draft."""

import pytest

from reports.models import EditedSection
from tests.browser.conftest import log_in
from tests.factories import PASSWORD
from tests.reports.test_report_data import setup_program

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_edit_a_section_see_it_marked_and_go_back_to_the_draft(cast, live_server, page, shot):
    setup_program(cast)
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, live_server, cast.owner.username, PASSWORD)
    page.goto(f"{live_server.url}/reports/XP-A/XP-CTR/2024/document/")
    box = page.locator("#id_shortcomings_text")
    assert box.input_value().startswith("2 chỉ tiêu chưa đạt hoặc có nguy cơ không đạt:")
    box.fill("Hai CĐCS chưa tổ chức hội nghị <b>đúng hạn</b>.")
    page.locator("#section-shortcomings").get_by_role("button", name="Lưu phần này").click()
    page.wait_for_url("**#section-shortcomings")
    section = page.locator("#section-shortcomings")
    assert section.get_by_text("đã chỉnh sửa", exact=True).is_visible()
    assert "Đã chỉnh sửa bởi owner lúc" in section.inner_text()
    assert EditedSection.objects.get().text == "Hai CĐCS chưa tổ chức hội nghị <b>đúng hạn</b>."
    shot("report-section-edited")
    # The same address before and after: wait for the page to load again, not for the address.
    with page.expect_navigation():
        section.get_by_role("button", name="Quay về bản nháp tự động").click()
    assert page.locator("#id_shortcomings_text").input_value().startswith("2 chỉ tiêu chưa đạt")
    assert page.locator("#section-shortcomings").get_by_text("bản nháp tự động", exact=True).is_visible()
    assert not EditedSection.objects.exists()
    assert errors == []
