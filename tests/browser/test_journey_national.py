"""In a real browser, on the demo data: the national officer `tw` watches the four provinces
and, as docs/permissions.md says, may not edit a branch (no edit control, and 403 on the URL)."""

import json

import pytest

from organizations.models import Organization
from tests.browser.conftest import DEMO_PASSWORD, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PROVINCES = {
    "HG": "Liên đoàn Lao động tỉnh Hà Giang",
    "BP": "Liên đoàn Lao động tỉnh Bình Phước",
    "DL": "Liên đoàn Lao động tỉnh Đắk Lắk",
    "QT": "Liên đoàn Lao động tỉnh Quảng Trị",
}
BRANCH = "HG-QB-TH01"


def test_the_national_officer_sees_the_four_provinces_and_cannot_edit_a_branch(
    live_demo, live_server, page, shot, console_errors
):
    # The browser logs the refusal this test provokes on purpose; any other error still fails it.
    console_errors.allow(rf"status of 403 .*/organizations/{BRANCH}/edit/")
    branch = Organization.objects.get(code=BRANCH)
    log_in(page, live_server, "tw", DEMO_PASSWORD)

    # The organization tree: the confederation and its four provinces.
    page.click("nav >> text=Tổ chức")
    page.click("nav >> text=Cây tổ chức")
    page.wait_for_url(f"{live_server.url}/organizations/")
    provinces = page.locator("#children-VN > li")
    assert provinces.count() == len(PROVINCES)
    tree = page.locator(".tree").inner_text()
    for code, name in PROVINCES.items():
        assert name in tree and code in tree
    shot("journey-c-1-tree-four-provinces")

    # Open Hà Giang, then Quang Bình, down to a branch.
    with page.expect_response(lambda r: r.url.endswith("/organizations/HG/children/")):
        page.click("button[hx-get$='/organizations/HG/children/']")
    with page.expect_response(lambda r: r.url.endswith("/organizations/HG-QB/children/")):
        page.click("button[hx-get$='/organizations/HG-QB/children/']")
    assert page.locator("#children-HG-QB > li").count() == 87
    shot("journey-c-2-tree-open-to-the-branches")

    # The national dashboard: the same four provinces in the drill-down.
    page.click("nav >> text=Báo cáo")
    page.wait_for_url(f"{live_server.url}/reports/VN/")
    page.click("text=Thống kê định kỳ 6 tháng và năm về tổ chức, đoàn viên công đoàn")
    page.wait_for_url(f"{live_server.url}/reports/VN/TLD-THONGKE/*/")
    codes = page.locator("#children tbody td.code").all_inner_texts()
    assert sorted(codes) == sorted(PROVINCES)
    shot("journey-c-3-dashboard-four-provinces")

    # A branch's page: readable, with no control to edit, found below, restructure or merge.
    page.goto(f"{live_server.url}/organizations/")
    page.click("button[hx-get$='/organizations/HG/children/']")
    page.click("button[hx-get$='/organizations/HG-QB/children/']")
    page.click(f"#children-HG-QB a[href='/organizations/{BRANCH}/']")
    page.wait_for_url(f"{live_server.url}/organizations/{BRANCH}/")
    main = page.locator("main")
    assert branch.name in main.locator("h1").inner_text()
    assert main.locator(f"a[href='/organizations/{BRANCH}/edit/']").count() == 0
    assert main.locator(f"a[href='/organizations/{BRANCH}/new/']").count() == 0
    assert main.get_by_role("button", name="Sắp xếp tổ chức").count() == 0
    for word in ("Sửa", "Thêm tổ chức trực thuộc", "Hợp nhất tổ chức trực thuộc", "Giải thể", "Chia tách"):
        assert main.get_by_role("link", name=word).count() == 0, word
    shot("journey-c-4-branch-read-only")

    # Typing the edit address: refused with 403, as for any role without the registry right.
    response = page.goto(f"{live_server.url}/organizations/{BRANCH}/edit/")
    assert response.status == 403
    assert "Bạn không có quyền thực hiện thao tác này tại tổ chức này." in page.locator("body").inner_text()
    shot("journey-c-5-edit-refused")

    # A forged POST with a valid CSRF token is refused too, and changes nothing.
    page.goto(f"{live_server.url}/organizations/{BRANCH}/")
    token = json.loads(page.locator("body").get_attribute("hx-headers"))["X-CSRFToken"]
    response = page.request.post(
        f"{live_server.url}/organizations/{BRANCH}/edit/",
        form={"name": "CĐCS đã bị sửa", "sector": branch.sector, "csrfmiddlewaretoken": token},
        headers={"X-CSRFToken": token, "Referer": page.url},
        max_redirects=0,
    )
    assert response.status == 403
    assert "Bạn không có quyền thực hiện thao tác này tại tổ chức này." in response.text()
    assert Organization.objects.get(code=BRANCH).name == branch.name
