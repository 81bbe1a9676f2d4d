"""In a real browser, on the demo data, on 20/01/2025 (the year 2024 was due on 15/01): the provincial
officer `hagiang` reads "Việc cần làm" on the home page — Quang Bình's report waiting for a decision,
the late districts with "Nhắc", the province's own report with its progress — and presses "Nhắc"
twice: one reminder. The district's staff `quangbinh` then read the returned report with its comment."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model

from indicators.models import ReportingPeriod
from indicators.workflow import services as workflow
from notifications.models import Reminder
from organizations.models import Organization
from tests import builders
from tests.browser.conftest import DEMO_PASSWORD, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CLOCK = datetime.datetime(2025, 1, 20, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


@pytest.fixture
def clock(live_demo):
    with time_machine.travel(CLOCK, tick=True):
        yield


def test_the_province_reads_its_to_do_and_reminds_a_late_district_once(live_server, live_demo, clock, page, shot):
    users = get_user_model().objects
    period = ReportingPeriod.objects.get(code="2024")
    quang_binh = Organization.objects.get(code="HG-QB")
    builders.tasks_recorded(quang_binh, period, users.get(username="quangbinh"))
    workflow.submission_submit(organization=quang_binh, period=period, by=users.get(username="quangbinh"))

    log_in(page, live_server, "hagiang", DEMO_PASSWORD)
    todo = page.locator("#viec-can-lam")
    assert "Việc cần làm" in todo.inner_text()
    assert "chấp nhận hoặc trả lại" in todo.inner_text()
    assert page.locator(".nav-todo .badge").inner_text().strip().isdigit()
    shot("todo-province")

    first = todo.locator(".todo-late li").first
    name = first.locator("span").first.inner_text()
    first.get_by_role("button", name="Nhắc").click()
    page.wait_for_selector(".alert-success")
    assert f"Đã nhắc {name} gửi báo cáo." in page.locator(".alert-success").inner_text()
    assert "đã nhắc hôm nay lúc" in page.locator("#viec-can-lam .todo-late li").first.inner_text()
    shot("todo-province-reminded")
    assert Reminder.objects.filter(period=period).count() == 1


def test_the_district_reads_its_returned_report_with_the_comment(live_server, live_demo, clock, page, shot):
    users = get_user_model().objects
    period = ReportingPeriod.objects.get(code="2024")
    quang_binh = Organization.objects.get(code="HG-QB")
    log_in(page, live_server, "quangbinh", DEMO_PASSWORD)
    todo = page.locator("#viec-can-lam")
    fill = todo.locator(".todo-item").first
    assert "báo cáo năm 2024" in fill.inner_text() and "CĐCS đã nhập số liệu" in fill.inner_text()
    shot("todo-district-fill")
    builders.tasks_recorded(quang_binh, period, users.get(username="quangbinh"))
    workflow.submission_submit(organization=quang_binh, period=period, by=users.get(username="quangbinh"))
    workflow.submission_return(
        organization=quang_binh,
        period=period,
        by=users.get(username="hagiang"),
        comment="Số đoàn viên nữ của CĐCS Trường THCS Tân Lập chưa khớp với sổ đoàn viên.",
    )
    page.reload()
    assert "bị trả lại" in todo.inner_text()
    assert "chưa khớp với sổ đoàn viên" in todo.inner_text()
    shot("todo-district")
    todo.locator(".todo-danger a").first.click()
    page.wait_for_url(f"{live_server.url}/data/2024/HG-QB/")
