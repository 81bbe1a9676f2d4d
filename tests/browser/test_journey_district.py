"""In a real browser, on the demo data: Quang Bình's district staff (`quangbinh`) found a branch,
import its members from the portal's own Excel template, fill every empty cell of the 2024
grid by typing in it, and submit the year to the province."""

import datetime
import re
from pathlib import Path

import openpyxl
import pytest
from django.db import connection
from django.utils import timezone

from indicators.entry.selectors import grid_for
from indicators.models import DataValue, QualityWarning, ReportingPeriod, Submission, SubmissionStatus, ValueType
from indicators.workflow.selectors import tasks_unrecorded
from members.models import BranchRole, Member
from organizations.models import Level, Organization, Sector
from tests.browser.conftest import DEMO_PASSWORD, log_in
from tests.imports.files import HEADERS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DISTRICT = "HG-QB"
PERIOD = "2024"
NEW_BRANCH = "HG-QB-DN01"
NEW_BRANCH_NAME = "CĐCS Công ty TNHH Chè Tiên Nguyên"
# What a district officer types for a branch's yes/no answers and ratings.
CHOICES = {"rating_1294": "good", "rating_strong": "strong"}
YES = "1"


def vn_date(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


def numbers_for(row: int) -> dict[str, str]:
    """The figures typed for the row-th branch filled in: consistent with each other (members ≤ workers)."""
    total = 20 + row
    return {
        "workers_total": str(total),
        "workers_members": str(total - 1),
        "workers_informed": str(total - 2),
        "workers_studying": str(total // 2),
        "party_introductions": "1",
    }


def fill_members_template(template: Path, target: Path, founded: datetime.date) -> list[tuple]:
    """Three members of the new branch, written into the downloaded template as a user would."""
    joined = founded + datetime.timedelta(days=5)
    members = [
        (
            "HG26QB0001",
            "Lò Thị Hoa",
            "Nữ",
            datetime.date(1988, 3, 12),
            "Tày",
            "Chủ tịch",
            joined + datetime.timedelta(days=10),
        ),
        ("HG26QB0002", "Nguyễn Văn Bình", "Nam", datetime.date(1992, 9, 5), "Kinh", "Phó Chủ tịch", None),
        ("HG26QB0003", "Hoàng Thị Mai", "Nữ", datetime.date(1999, 1, 20), "Nùng", "Đoàn viên", None),
    ]
    workbook = openpyxl.load_workbook(template)
    sheet = workbook.worksheets[0]
    assert [c.value for c in sheet[1]] == HEADERS["members"]
    for number, (card, name, gender, born, ethnicity, role, trained) in enumerate(members, start=2):
        # Dates typed both ways the template allows: as Excel dates, and as dd/mm/yyyy text.
        values = [card, name, gender, born, ethnicity, NEW_BRANCH, vn_date(joined), role, trained]
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=number, column=column, value=value)
            if isinstance(value, datetime.date):
                cell.number_format = "DD/MM/YYYY"
    workbook.save(target)
    return members


def test_district_staff_found_a_branch_import_its_members_fill_the_year_and_submit_it(
    live_demo, live_server, page, shot, settings, tmp_path: Path, console_errors
):
    # The browser logs the one cell this journey has refused on purpose (more members than workers).
    console_errors.allow(r"status of 422 .*/cell/[^/]+/workers_members/")
    # On PostgreSQL the import runs in a background thread as in production, and its page polls
    # the progress; SQLite's in-memory test database cannot be shared with such a thread.
    settings.JOBS_RUN_INLINE = connection.vendor == "sqlite"
    period = ReportingPeriod.objects.get(code=PERIOD)
    district = Organization.objects.get(code=DISTRICT)
    founded = timezone.localdate() - datetime.timedelta(days=60)
    log_in(page, live_server, "quangbinh", DEMO_PASSWORD)

    # 1. Found the branch under the district.
    page.click("nav >> text=Tổ chức")
    page.click("nav >> text=Cây tổ chức")
    page.click(f"a[href='/organizations/{DISTRICT}/']")
    page.wait_for_url(f"{live_server.url}/organizations/{DISTRICT}/")
    page.get_by_role("link", name="Thêm tổ chức trực thuộc").click()
    page.wait_for_url(f"{live_server.url}/organizations/{DISTRICT}/new/")
    assert page.locator("#id_level option:checked").inner_text() == "Công đoàn cơ sở"
    page.fill("#id_code", NEW_BRANCH)
    page.fill("#id_name", NEW_BRANCH_NAME)
    page.select_option("#id_sector", label="Doanh nghiệp ngoài nhà nước")
    page.fill("#id_founded_on", vn_date(founded))
    page.fill("#id_address", "xã Tiên Nguyên, huyện Quang Bình, tỉnh Hà Giang")
    shot("journey-a-1-new-branch-form")
    page.get_by_role("button", name="Lưu").click()
    page.wait_for_url(f"{live_server.url}/organizations/{NEW_BRANCH}/")
    assert f"Đã lập {NEW_BRANCH_NAME}." in page.locator(".alert-success").inner_text()
    branch = Organization.objects.get(code=NEW_BRANCH)
    assert branch.parent() == district and branch.level.code == Level.BASE
    assert branch.sector == Sector.NON_STATE_ENTERPRISE and branch.founded_on == founded
    shot("journey-a-2-new-branch")

    # 2. Download the members template from the import page, fill it in, upload it, confirm.
    page.click("nav >> text=Excel")
    page.wait_for_url(f"{live_server.url}/imports/")
    members_card = page.locator(".card", has=page.locator("h2", has_text="Đoàn viên"))
    with page.expect_download() as download:
        members_card.get_by_role("link", name="Tải tệp mẫu").click()
    template = tmp_path / download.value.suggested_filename
    download.value.save_as(template)
    filled = tmp_path / "doan-vien-cdcs-che-tien-nguyen.xlsx"
    members = fill_members_template(template, filled, founded)

    members_card.get_by_role("link", name="Nhập tệp").click()
    page.wait_for_url(f"{live_server.url}/imports/members/upload/")
    page.set_input_files("input[name=file]", filled)
    shot("journey-a-3-upload")
    page.get_by_role("button", name="Tải lên và kiểm tra").click()
    page.wait_for_url(re.compile(r"/imports/jobs/\d+/$"))
    confirm = page.get_by_role("button", name="Xác nhận nhập dữ liệu")
    confirm.wait_for()
    figures = page.locator("#job-status .figure").all_inner_texts()
    assert figures == ["3", "3", "0", "0"]  # rows, to create, to update, unchanged
    assert not Member.objects.filter(branch=branch).exists()
    shot("journey-a-4-import-checked")
    confirm.click()
    page.locator("#job-status .alert-success", has_text="Đã nhập lúc").wait_for()
    shot("journey-a-5-import-done")
    imported = {m.card_number: m for m in Member.objects.filter(branch=branch)}
    assert sorted(imported) == [m[0] for m in members]
    chair = imported["HG26QB0001"]
    assert (chair.full_name, chair.role, chair.ethnicity) == ("Lò Thị Hoa", BranchRole.CHAIR, "Tày")
    assert chair.joined_on == founded + datetime.timedelta(days=5)
    assert chair.last_trained_on == founded + datetime.timedelta(days=15)
    assert imported["HG26QB0002"].role == BranchRole.VICE_CHAIR

    # The members on the branch's page.
    page.goto(f"{live_server.url}/organizations/{NEW_BRANCH}/")
    page.locator("main").get_by_role("link", name="Đoàn viên", exact=True).click()
    page.wait_for_url(f"{live_server.url}/members/?under={NEW_BRANCH}")
    listed = page.locator("main table").inner_text()
    for _card, name, *_rest in members:
        assert name in listed
    shot("journey-a-6-members-of-the-branch")

    # 3. The 2024 grid: every empty cell, typed in. Without the green flash of each saved cell
    # (prefers-reduced-motion), which kept Chromium repainting the grid for a quarter of the time.
    page.emulate_media(reduced_motion="reduce")
    page.click("nav >> text=Nhập số liệu")
    page.wait_for_url(f"{live_server.url}/data/")
    year_row = page.locator("tr", has=page.locator("td:first-child", has_text=re.compile(f"^Năm {PERIOD}$")))
    year_row.get_by_role("link", name="Nhập", exact=True).click()
    page.wait_for_url(f"{live_server.url}/data/{PERIOD}/{DISTRICT}/")
    grid = page.locator("table.data-grid:not(.own-grid)")
    progress = page.locator("#grid-progress progress")
    assert progress.get_attribute("max") == "87"
    assert progress.get_attribute("value") == "77"
    # Each empty cell: its id, the row and figure it saves (from its address), and whether it is a list.
    empty = page.eval_on_selector_all(
        "table.data-grid:not(.own-grid) td.cell:has(.cell-input[data-saved=''])",
        "cells => cells.map(td => [td.id, td.closest('tr').dataset.r + '/' +"
        " td.closest('table').tHead.rows[0].cells[td.cellIndex].dataset.e,"
        " td.querySelector('select') !== null])",
    )
    assert len(empty) == 160  # the demo's ten Quang Bình branches left blank, sixteen figures each
    shot("journey-a-7-grid-before")

    rows_seen: dict[str, int] = {}
    typed: dict[tuple[str, str], str] = {}
    for cell_id, address, is_list in empty:
        entry = page.locator(f"#{cell_id} .cell-input")
        row_code, element = address.rstrip("/").split("/")[-2:]
        row = rows_seen.setdefault(row_code, len(rows_seen))
        if is_list:
            value = CHOICES.get(element, YES)
            entry.select_option(value)  # saved on change, like a pick with the mouse or Alt+↓
        else:
            value = numbers_for(row)[element]
            if (row, element) == (0, "workers_members"):
                # More members than workers: refused with the rule's message, then typed again.
                entry.press_sequentially(str(int(numbers_for(row)["workers_total"]) + 5))
                page.keyboard.press("Tab")
                page.locator(f"#{cell_id}.cell-invalid .cell-message").wait_for()
                assert "cell-saved" not in page.locator(f"#{cell_id}").get_attribute("class")
                shot("journey-a-8-grid-refused-cell")
                entry.press("Control+A")
            entry.press_sequentially(value)
            page.keyboard.press("Tab")  # leaving the cell saves it
        page.locator(f"#{cell_id}.cell-saved").wait_for()
        typed[(row_code, element)] = value

    assert progress.get_attribute("value") == "87"
    assert grid.locator(".cell-input[data-saved='']").count() == 0
    assert grid_for(district, period).progress.complete == 87
    stored = {
        (v.organization.code, v.element.code): v
        for v in DataValue.objects.filter(period=period, organization__code__in=rows_seen).select_related(
            "organization", "element"
        )
    }
    for (row_code, element), value in typed.items():
        v = stored[(row_code, element)]
        if element in CHOICES:
            assert v.choice == value, (row_code, element)
        elif v.element.value_type == ValueType.BOOLEAN:
            assert v.boolean is True, (row_code, element)
        else:
            assert v.number == int(value), (row_code, element)
    shot("journey-a-9-grid-complete")

    # 4. Submit the year to the province. "Gửi báo cáo…" asks first: the figures will be locked,
    # how many branches have entered figures, and each flagged figure needs an explanation.
    page.get_by_role("link", name="Gửi báo cáo…").click()
    page.wait_for_url(f"{live_server.url}/data/{PERIOD}/{DISTRICT}/submit/")
    assert "Sau khi gửi, số liệu sẽ bị khóa" in page.locator(".alert-warning").inner_text()
    assert "87/87 CĐCS đã nhập số liệu" in page.content()
    # The demo leaves one task of 2024 without a status: the page links to it, and it is recorded first.
    unrecorded = page.locator("#unrecorded-tasks li a")
    assert unrecorded.count() == len(tasks_unrecorded(district, period)) >= 1
    for _n in range(unrecorded.count()):
        page.locator("#unrecorded-tasks li a").first.click()
        card = page.locator(".task-card:target")
        card.locator("select[name='status']").select_option("in_progress")
        card.locator("textarea[name='result']").fill("Đang rà soát quy chế hoạt động tại các CĐCS.")
        with page.expect_navigation():
            card.get_by_role("button", name="Lưu nhiệm vụ").click()
        page.goto(f"{live_server.url}/data/{PERIOD}/{DISTRICT}/submit/")
    assert page.locator("#unrecorded-tasks").count() == 0
    flagged = (
        QualityWarning.objects.filter(period=period, organization__path__startswith=district.path)
        .values("organization", "element")
        .distinct()
        .count()
    )
    explanations = page.locator("textarea[name^='comment_']")
    assert explanations.count() == flagged
    submit = page.get_by_role("button", name="Gửi báo cáo và khóa số liệu")
    if flagged:
        assert submit.is_disabled()
        shot("journey-a-10-submit-asks-for-explanations")
        for n in range(flagged):
            explanations.nth(n).fill("Đã kiểm tra lại với chủ tịch CĐCS: số liệu đúng.")
        with page.expect_navigation(url=f"{live_server.url}/data/{PERIOD}/{DISTRICT}/submit/"):
            page.get_by_role("button", name="Xác nhận các số liệu đã giải trình").click()
        assert explanations.count() == 0
    page.fill("#submit-comment", "Đã nhập đủ số liệu năm 2024 của 87 CĐCS.")
    with page.expect_navigation(url=f"{live_server.url}/data/{PERIOD}/{DISTRICT}/"):
        submit.click()  # back to the same grid, now read only
    assert "Đã gửi báo cáo số liệu năm 2024" in page.locator(".alert-success").inner_text()
    submission = Submission.objects.get(organization=district, period=period)
    assert submission.status == SubmissionStatus.SUBMITTED
    assert submission.events.get().comment == "Đã nhập đủ số liệu năm 2024 của 87 CĐCS."
    assert "Đã gửi" in page.locator("h1 + div .badge").first.inner_text()
    assert "Chỉ xem." in page.locator(".alert-info").inner_text()
    assert grid.locator(".cell-input").count() == 0
    shot("journey-a-11-submitted")
