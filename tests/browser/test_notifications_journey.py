"""In a real browser: a district's report is returned; its staff see the count, the notification, and the grid."""

import pytest

from indicators.workflow import services as workflow
from tests import builders, factories
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_returned_report_reaches_the_district_staff_in_the_browser(live_server, page, shot, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    national = factories.make_organization(code="XVN", name="Tổng Liên đoàn")
    province = factories.make_organization(national, code="XP", name="LĐLĐ tỉnh Thử")
    district = factories.make_organization(province, code="XP-A", name="LĐLĐ huyện A")
    factories.make_branch(district, code="XP-A-01", name="CĐCS Trường Tiểu học Yên Bình")
    staff = factories.make_user("staff", organization=district, role="upper_staff", email="staff@congdoan.example.vn")
    officer = factories.make_user("officer", organization=province, role="provincial_officer")
    year = builders.period("2024")
    # A transactional test: each service commits, so the notifications follow as they would in use.
    workflow.submission_submit(organization=district, period=year, by=staff)
    workflow.submission_return(organization=district, period=year, by=officer, comment="Thiếu số liệu xếp loại")

    log_in(page, live_server, "staff", factories.PASSWORD)
    badge = page.locator("#nav-notifications")
    assert badge.inner_text().split() == ["Thông", "báo", "1"]
    badge.click()
    page.wait_for_url(f"{live_server.url}/notifications/")
    item = page.locator("#notifications .list-group-item").first
    assert "Báo cáo kỳ Năm 2024 của LĐLĐ huyện A bị trả lại" in item.inner_text()
    assert "Ý kiến: Thiếu số liệu xếp loại" in item.inner_text()
    shot("notifications-1-list")
    item.click()
    page.wait_for_url(f"{live_server.url}/data/2024/XP-A/")
    assert page.locator("#nav-notifications").inner_text().split() == ["Thông", "báo"]
    page.goto(f"{live_server.url}/notifications/settings/")
    shot("notifications-2-settings")
