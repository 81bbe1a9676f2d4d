"""The plan's pages: made on a page, previewed side by side, applied after a confirmation."""

from __future__ import annotations

import re

from django.urls import reverse

from organizations.models import Organization, OrganizationStatus
from restructure.models import PlanState, RestructuringPlan

from .helpers import make_plan, tree_state
from .test_plan_apply import REFORM

BLANK_FORMSET = {"op-TOTAL_FORMS": "3", "op-INITIAL_FORMS": "0", "op-MIN_NUM_FORMS": "0", "op-MAX_NUM_FORMS": "1000"}


def test_a_plan_is_made_and_its_operations_entered_on_the_pages(cast, login):
    client = login(cast.provincial)

    response = client.post(
        reverse("restructure:create"),
        {"scope": cast.province.pk, "name": "Sắp xếp 2025", "effective_date": "01/07/2025"},
    )
    plan = RestructuringPlan.objects.get()
    assert response.url == reverse("restructure:edit", kwargs={"pk": plan.pk})
    form = {
        "name": "Sắp xếp 2025",
        "effective_date": "01/07/2025",
        **BLANK_FORMSET,
        "op-0-kind": "create",
        "op-0-new_code": "XP-KV1",
        "op-0-new_name": "Công đoàn khu vực 1",
        "op-0-target": "xp",
        "op-1-kind": "dissolve",
        "op-1-codes": "XP-A, XP-B",
        "op-1-target": "XP-KV1",
        "op-1-successors": "XP-B-01=XP-KV1",
    }
    assert client.post(reverse("restructure:edit", kwargs={"pk": plan.pk}), form).status_code == 302

    ops = list(plan.operations.values_list("kind", "codes", "target", "successors"))
    assert ops == [
        ("create", [], "XP", {}),
        ("dissolve", ["XP-A", "XP-B"], "XP-KV1", {"XP-B-01": "XP-KV1"}),
    ]
    page = client.get(reverse("restructure:detail", kwargs={"pk": plan.pk})).content.decode()
    assert "XP-A (LĐLĐ huyện A) có trong nhiều thao tác" not in page
    assert "Trước" in page and "Sau" in page


def test_the_apply_page_previews_then_applies_on_confirmation(cast, login):
    plan = make_plan(cast, REFORM)
    client = login(cast.provincial)
    url = reverse("restructure:apply", kwargs={"pk": plan.pk})
    state = tree_state()

    page = client.get(url).content.decode()
    assert client.post(url, {}).status_code == 200
    assert tree_state() == state
    assert "Công đoàn khu vực 1" in page and "Xác nhận và áp dụng" in page

    assert client.post(url, {"confirm": "1"}).status_code == 302
    plan.refresh_from_db()
    assert plan.state == PlanState.APPLIED
    assert Organization.objects.get(code="XP-A").status == OrganizationStatus.DISSOLVED


def test_a_plan_with_conflicts_offers_no_confirmation(cast, login):
    plan = make_plan(cast, [{"kind": "dissolve", "codes": ["XP-A"]}])

    page = login(cast.provincial).get(reverse("restructure:apply", kwargs={"pk": plan.pk})).content.decode()

    assert "không còn tổ chức cấp trên" in page and "Xác nhận và áp dụng" not in page


def test_the_reverse_page_says_why_it_is_refused(cast, login):
    from restructure import services
    from tests import builders

    plan = make_plan(cast, REFORM)
    services.plan_apply(plan=plan, by=cast.provincial)
    builders.report(builders.element("reform_page"), cast.branch, builders.period("2025-H2"), 1)
    client = login(cast.provincial)

    response = client.post(reverse("restructure:reverse", kwargs={"pk": plan.pk}), {"confirm": "1"})

    assert "Đã có số liệu được nhập trên cây mới" in response.content.decode()
    plan.refresh_from_db()
    assert plan.state == PlanState.APPLIED


def test_the_district_staff_sees_only_the_plans_of_its_district(cast, login):
    make_plan(cast, REFORM)  # the province's: not the district's to see
    own = make_plan(
        cast, [{"kind": "rename", "codes": ["XP-A-01"], "new_name": "X"}], by=cast.owner, scope=cast.district
    )

    page = login(cast.owner).get(reverse("restructure:list")).content.decode()

    assert reverse("restructure:detail", kwargs={"pk": own.pk}) in page
    assert len(re.findall(r'href="/restructure/\d+/"', page)) == 1


def test_a_plan_for_a_later_date_is_scheduled_from_the_apply_page(cast, login):
    import datetime

    plan = make_plan(cast, REFORM, day=datetime.date.today() + datetime.timedelta(days=30))
    client = login(cast.provincial)
    url = reverse("restructure:apply", kwargs={"pk": plan.pk})
    state = tree_state()

    assert "Xác nhận lên lịch" in client.get(url).content.decode()
    assert client.post(url, {"confirm": "1"}).status_code == 302

    plan.refresh_from_db()
    assert plan.state == PlanState.SCHEDULED and tree_state() == state
    page = client.get(url).content.decode()
    assert "Kế hoạch đã được lên lịch" in page and "Xác nhận" not in page
