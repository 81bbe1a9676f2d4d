"""axe-core on the main pages behind the login, on the demo data (issue 13 point 6).

Each page fails on any serious or critical violation (colour contrast, names of controls, labels,
ARIA misuse…), with the rule, the element and the fix in the message. The demo's district
(`quangbinh`, Quang Bình) and its province (`hagiang`, Hà Giang, who reviews the district).
"""

import pytest
from django.contrib.auth import get_user_model

from indicators.models import ReportingPeriod
from indicators.workflow import services as workflow_services
from organizations.models import Level, Organization
from tests.browser.accessibility import axe_violations, describe
from tests.browser.conftest import DEMO_PASSWORD, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DISTRICT = "HG-QB"
PROVINCE = "HG"
PROGRAM = "QB-CTR04"
PERIOD = "2024"
GRID_TABLE = ".grid-wrap"


def check_pages(
    page, live_server, pages: list[tuple[str, str]], *, exclude: dict[str, tuple[str, ...]], opened: dict[str, str]
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
        violations = axe_violations(page, exclude=exclude.get(name, ()))
        if violations:
            failures.append(describe(violations, f"{name} ({path})"))
    assert not failures, "\n\n".join(failures)


def a_branch_of(code: str) -> str:
    district = Organization.objects.get(code=code)
    return Organization.objects.within(district).filter(level__code=Level.BASE).order_by("code").first().code


def test_the_district_pages_have_no_serious_accessibility_violation(live_demo, live_server, page):
    branch = a_branch_of(DISTRICT)
    log_in(page, live_server, "quangbinh", DEMO_PASSWORD)
    pages = [
        ("home", "/"),
        ("tree", "/organizations/"),
        ("base unions list", "/branches/"),
        ("branch page", f"/organizations/{branch}/"),
        ("members list", f"/members/?under={branch}"),
        ("programs list", "/programs/"),
        ("scorecard", f"/programs/{PROGRAM}/"),
        ("data entry grid", f"/data/{PERIOD}/{DISTRICT}/"),
        ("submit page", f"/data/{PERIOD}/{DISTRICT}/submit/"),
        ("reports page", f"/reports/{DISTRICT}/{PROGRAM}/{PERIOD}/"),
        ("imports page", "/imports/"),
        ("audit page", f"/organizations/{DISTRICT}/history/"),
        ("quality page", f"/quality/{DISTRICT}/"),
    ]
    # grid13 fixes the scroll region: the grid table itself (its keyboard-reachable scroll region,
    # its cells) belongs to that branch; everything around it on the page is checked here.
    check_pages(page, live_server, pages, exclude={"data entry grid": (GRID_TABLE,)}, opened={})


def test_the_province_review_page_has_no_serious_accessibility_violation(live_demo, live_server, page):
    # Quang Bình has sent its year up, so that the review page shows "Duyệt" and "Trả lại…".
    workflow_services.submission_submit(
        organization=Organization.objects.get(code=DISTRICT),
        period=ReportingPeriod.objects.get(code=PERIOD),
        by=get_user_model().objects.get(username="quangbinh"),
        comment="Gửi số liệu năm 2024.",
    )
    log_in(page, live_server, "hagiang", DEMO_PASSWORD)
    pages = [
        ("home", "/"),
        ("review page", f"/data/{PERIOD}/{PROVINCE}/review/"),
        ("reports page", f"/reports/{PROVINCE}/"),
        ("quality page", f"/quality/{PROVINCE}/"),
    ]
    check_pages(page, live_server, pages, exclude={}, opened={"review page": "summary:has-text('Trả lại')"})
