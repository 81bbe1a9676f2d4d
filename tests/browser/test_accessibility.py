"""axe-core on the main pages behind the login, on the demo data (issue 13 point 6).

Each page fails on any serious or critical violation (colour contrast, names of controls, labels,
ARIA misuse…), with the rule, the element and the fix in the message. The demo's district
(`quangbinh`, Quang Bình) and its province (`hagiang`, Hà Giang, who reviews the district).
"""

import pytest
from django.contrib.auth import get_user_model

from indicators.models import Indicator, ReportingPeriod
from indicators.workflow import services as workflow_services
from members.models import Member
from organizations.models import Level, Organization
from tests import builders
from tests.browser.accessibility import axe_violations, describe
from tests.browser.conftest import DEMO_PASSWORD, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DISTRICT = "HG-QB"
PROVINCE = "HG"
PROGRAM = "QB-CTR04"
PERIOD = "2024"


def check_pages(
    page, live_server, pages: list[tuple[str, str]], *, skip: dict[str, tuple[str, ...]], opened: dict[str, str]
) -> None:
    """Open every page (and the disclosure `opened` names on it) and run axe on it.

    One failure lists every page's violations, so that a change of the stylesheet is judged at once.
    """
    failures = []
    for name, path in pages:
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, f"{name} ({path}) answered {response.status}"
        page.wait_for_load_state("networkidle")
        if name in opened:
            page.locator(opened[name]).first.click()
        violations = axe_violations(page, skip_rules=skip.get(name, ()))
        if violations:
            failures.append(describe(violations, f"{name} ({path})"))
    assert not failures, "\n\n".join(failures)


def a_branch_of(code: str) -> str:
    district = Organization.objects.get(code=code)
    return Organization.objects.within(district).filter(level__code=Level.BASE).order_by("code").first().code


def test_the_district_pages_have_no_serious_accessibility_violation(live_demo, live_server, page):
    branch = a_branch_of(DISTRICT)
    member = Member.objects.filter(branch__code=branch).order_by("card_number").first().card_number
    indicator = Indicator.objects.filter(program__code=PROGRAM).order_by("code").first().code
    page.goto(f"{live_server.url}/login/")  # the one page before the login, checked on the way in
    assert not (violations := axe_violations(page)), describe(violations, "the login page")
    log_in(page, live_server, "quangbinh", DEMO_PASSWORD)
    pages = [
        ("home", "/"),
        ("tree", "/organizations/"),
        ("base unions list", "/branches/"),
        ("branch page", f"/organizations/{branch}/"),
        ("members list", f"/members/?under={branch}"),
        ("member page", f"/members/{member}/"),
        ("workplaces list", "/workplaces/"),
        ("programs list", "/programs/"),
        ("scorecard", f"/programs/{PROGRAM}/"),
        ("indicator page", f"/programs/{PROGRAM}/indicators/{indicator}/"),
        ("data entry grid", f"/data/{PERIOD}/{DISTRICT}/"),
        ("submit page", f"/data/{PERIOD}/{DISTRICT}/submit/"),
        ("reports page", f"/reports/{DISTRICT}/{PROGRAM}/{PERIOD}/"),
        ("report document", f"/reports/{DISTRICT}/{PROGRAM}/{PERIOD}/document/"),
        ("tasks page", f"/tasks/{PERIOD}/{DISTRICT}/"),
        ("imports page", "/imports/"),
        ("audit page", f"/organizations/{DISTRICT}/history/"),
        ("quality page", f"/quality/{DISTRICT}/"),
    ]
    check_pages(page, live_server, pages, skip={}, opened={})


def test_the_province_review_page_has_no_serious_accessibility_violation(live_demo, live_server, page):
    # Quang Bình has sent its year up, so that the review page shows "Duyệt" and "Trả lại…".
    district, period = Organization.objects.get(code=DISTRICT), ReportingPeriod.objects.get(code=PERIOD)
    builders.tasks_recorded(district, period, get_user_model().objects.get(username="quangbinh"))
    workflow_services.submission_submit(
        organization=district,
        period=period,
        by=get_user_model().objects.get(username="quangbinh"),
        comment="Gửi số liệu năm 2024.",
    )
    log_in(page, live_server, "hagiang", DEMO_PASSWORD)
    pages = [
        ("home", "/"),
        ("review page", f"/data/{PERIOD}/{PROVINCE}/review/"),
        ("locked grid", f"/data/{PERIOD}/{DISTRICT}/"),  # submitted: read-only, no input to focus
        ("reports page", f"/reports/{PROVINCE}/"),
        ("quality page", f"/quality/{PROVINCE}/"),
        ("notifications", "/notifications/"),  # the district's submission is waiting for the province
        ("notification settings", "/notifications/settings/"),
    ]
    check_pages(
        page,
        live_server,
        pages,
        skip={},
        opened={"review page": "summary:has-text('Trả lại')"},
    )


def test_the_check_fails_on_a_serious_violation_with_the_rule_the_element_and_the_fix(live_server, page):
    page.goto(f"{live_server.url}/login/")
    assert axe_violations(page) == []
    page.evaluate(
        "() => { const input = document.createElement('input'); input.id = 'unlabelled'; document.body.append(input); }"
    )
    violations = axe_violations(page)
    assert [v["id"] for v in violations] == ["label"] and violations[0]["impact"] == "critical"
    message = describe(violations, "the login page")
    assert "[critical] label:" in message and "at #unlabelled" in message and "fix: Fix any of the following" in message
