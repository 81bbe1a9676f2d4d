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
    "indicators.plausibilityrule",
    "indicators.qualitywarning",
    "indicators.qualityconfirmation",
]


@pytest.mark.parametrize("model", MODELS)
def test_a_superuser_opens_the_admin_list_and_a_page_of_every_model(cast, login, model):
    superuser = factories.make_user("root", is_superuser=True, is_staff=True)
    program = builders.program(cast.province, code="XP-CTR")
    program.bases.create(order=1, text="Nghị quyết Đại hội Công đoàn tỉnh")
    section = program.sections.create(order=1, title="Phát triển đoàn viên")
    section.responsible.set([cast.district])
    program.milestones.create(kind="final", year=2025, title="Tổng kết")
    indicator = builders.indicator(program, "branches_founded", target_value=4)
    builders.target(indicator, cast.district, 2)
    year = builders.period("2024")
    builders.report(builders.element("t_total"), cast.branch, year, 10)
    builders.task_status(section, cast.district, year, cast.owner)
    services.submission_submit(organization=cast.district, period=year, by=cast.owner)
    services.waiver_grant(organization=cast.sibling, period=year, reason="Sáp nhập", by=cast.provincial)
    _confirmed_warning(cast, year)
    app_label, model_name = model.split(".")
    client = login(superuser)
    listing = client.get(reverse(f"admin:{app_label}_{model_name}_changelist"))
    assert listing.status_code == 200
    obj = listing.context["cl"].result_list[0]
    assert client.get(reverse(f"admin:{app_label}_{model_name}_change", args=[obj.pk])).status_code == 200


def _confirmed_warning(cast, year) -> None:
    """A warning and its confirmation, for the admin pages of data quality."""
    from indicators.models import PlausibilityRule, QualityConfirmation, QualityWarning

    rule = PlausibilityRule.objects.get(code="informed_within_workers")
    warning = QualityWarning.objects.create(
        rule=rule, organization=cast.branch, period=year, element=rule.element, value=99999, reference=0
    )
    QualityConfirmation.objects.create(
        warning=warning, organization=cast.branch, value=99999, comment="Số liệu đúng", by=cast.owner
    )


def test_periods_are_not_added_in_the_admin_they_open_with_their_first_figure(cast, login):
    superuser = factories.make_user("root", is_superuser=True, is_staff=True)
    assert login(superuser).get(reverse("admin:indicators_reportingperiod_add")).status_code == 403


def test_a_target_set_in_the_admin_is_the_services_target(cast, login):
    from indicators.models import Target

    superuser = factories.make_user("root", is_superuser=True, is_staff=True)
    indicator = builders.indicator(builders.program(cast.province, code="XP-CTR"), "branches_founded", target_value=4)
    data = {
        "indicator": str(indicator.pk),
        "organization": str(cast.district.pk),
        "year": "2024",
        "comparison": indicator.comparison,
        "value": "3",
        "value_max": "",
        "note": "",
    }
    client = login(superuser)
    assert client.post(reverse("admin:indicators_target_add"), data).status_code == 302
    target = Target.objects.get(indicator=indicator, organization=cast.district, year=2024)
    assert target.value == 3
    delete = reverse("admin:indicators_target_delete", args=[target.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 302
    assert not Target.objects.filter(indicator=indicator).exists()
