"""The admin covers the programs and indicators models for super-administrators."""

import pytest
from django.urls import reverse

from indicators.workflow import services
from tests import builders, factories

MODELS = [
    "programs.program",
    "programs.programbasis",
    "programs.programsection",
    "programs.milestone",
    "indicators.indicator",
    "indicators.target",
    "indicators.dataelement",
    "indicators.dataelementrule",
    "indicators.datavalue",
    "indicators.reportingperiod",
    "indicators.submission",
    "indicators.submissionevent",
    "indicators.waiver",
]


@pytest.mark.parametrize("model", MODELS)
def test_a_superuser_opens_the_admin_list_and_a_page_of_every_model(cast, login, model):
    superuser = factories.make_user("root", is_superuser=True, is_staff=True)
    program = builders.program(cast.province, code="XP-CTR")
    program.bases.create(order=1, text="Nghị quyết Đại hội Công đoàn tỉnh")
    program.sections.create(order=1, title="Phát triển đoàn viên").responsible.set([cast.district])
    program.milestones.create(kind="final", year=2025, title="Tổng kết")
    indicator = builders.indicator(program, "branches_founded", target_value=4)
    builders.target(indicator, cast.district, 2)
    year = builders.period("2024")
    builders.report(builders.element("t_total"), cast.branch, year, 10)
    services.submission_submit(organization=cast.district, period=year, by=cast.owner)
    services.waiver_grant(organization=cast.sibling, period=year, reason="Sáp nhập", by=cast.provincial)
    app_label, model_name = model.split(".")
    client = login(superuser)
    listing = client.get(reverse(f"admin:{app_label}_{model_name}_changelist"))
    assert listing.status_code == 200
    obj = listing.context["cl"].result_list[0]
    assert client.get(reverse(f"admin:{app_label}_{model_name}_change", args=[obj.pk])).status_code == 200
