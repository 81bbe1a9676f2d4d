"""In a real browser: district staff merge two branches; the new branch shows both predecessors."""

import pytest

from organizations.models import Organization, OrganizationStatus
from tests import factories
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_district_staff_merge_two_branches_in_the_browser(live_server, page, shot):
    national = factories.make_organization(code="XVN", name="Tổng Liên đoàn")
    province = factories.make_organization(national, code="XP", name="LĐLĐ tỉnh Thử")
    district = factories.make_organization(province, code="XP-A", name="LĐLĐ huyện A")
    factories.make_branch(district, code="XP-A-01", name="CĐCS Trường Tiểu học Yên Bình")
    factories.make_branch(district, code="XP-A-02", name="CĐCS Trường THCS Yên Bình")
    factories.make_user("staff", organization=district, role="upper_staff", first_name="Lan", last_name="Triệu Thị")

    log_in(page, live_server, "staff", factories.PASSWORD)
    assert page.locator("html").get_attribute("lang") == "vi"
    page.goto(f"{live_server.url}/organizations/XP-A/")
    page.click("text=Hợp nhất tổ chức trực thuộc")
    page.check("label:has-text('XP-A-01')")
    page.check("label:has-text('XP-A-02')")
    page.fill("input[name=new_code]", "XP-A-LC01")
    page.fill("input[name=new_name]", "CĐCS Trường PTDTBT Liên cấp Yên Bình")
    page.fill("input[name=effective_date]", "01/08/2024")
    page.fill("input[name=decision]", "112/QĐ-LĐLĐ")
    shot("merge-1-form")
    page.click("button:has-text('Xem trước')")
    page.wait_for_selector("text=Bước 2/2")
    shot("merge-2-review")
    assert not Organization.objects.filter(code="XP-A-LC01").exists()
    page.click("button:has-text('Xác nhận')")
    page.wait_for_url(f"{live_server.url}/organizations/XP-A-LC01/")
    shot("merge-3-new-branch")

    history = page.locator(".history-list").inner_text()
    assert "01/08/2024" in history
    assert "CĐCS Trường Tiểu học Yên Bình" in history and "CĐCS Trường THCS Yên Bình" in history

    page.click("text=CĐCS Trường Tiểu học Yên Bình")
    page.wait_for_url(f"{live_server.url}/organizations/XP-A-01/")
    body = page.locator("main").inner_text()
    assert "Đã hợp nhất" in body and "01/08/2024" in body
    shot("merge-4-old-branch")
    assert Organization.objects.get(code="XP-A-02").status == OrganizationStatus.MERGED
