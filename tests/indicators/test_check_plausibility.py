"""`manage.py check_plausibility`: the rules evaluated in bulk over figures saved before they existed."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from indicators.entry.services import data_value_save
from indicators.models import DataElement, DataValue, QualityConfirmation, QualityWarning
from indicators.quality.evaluation import findings, grid_organizations
from indicators.quality.services import warnings_confirm
from tests import builders


@pytest.fixture
def year(db):
    return builders.period("2024")


def save(element: str, organization, value, user) -> None:
    data_value_save(
        element=DataElement.objects.get(code=element),
        organization=organization,
        period=builders.period("2024"),
        raw=value,
        by=user,
    )


def warnings() -> set[tuple[str, str, str]]:
    return set(QualityWarning.objects.values_list("rule__code", "organization__code", "period__code"))


def check(*args: str) -> str:
    out = io.StringIO()
    call_command("check_plausibility", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def figures_from_before_the_rules(cast, year):
    """Implausible figures in both districts, saved while no rule raised anything about them."""
    save("workers_informed", cast.branch, "99.999", cast.owner)  # informed, with no workforce entered
    save("workers_informed", cast.sibling_branch, "5.000", cast.outsider)
    raised = warnings()
    assert ("informed_within_workers", "XP-A-01", "2024") in raised
    assert ("informed_within_workers", "XP-B-01", "2024") in raised
    QualityWarning.objects.all().delete()
    return raised


def test_it_raises_the_warnings_of_figures_saved_before_the_rules_and_twice_raises_nothing_more(
    figures_from_before_the_rules,
):
    first = check()
    assert warnings() == figures_from_before_the_rules  # what a save of each figure would have raised
    count = len(figures_from_before_the_rules)
    assert f"2024: {count} " in first and f"Tổng số: {count} " in first
    rows = QualityWarning.objects.count()

    second = check()
    assert QualityWarning.objects.count() == rows and warnings() == figures_from_before_the_rules
    assert "2024: 0 " in second and f"{count} không đổi" in second


def test_it_keeps_to_the_organization_and_the_period_given(cast, figures_from_before_the_rules):
    builders.period("2023")
    output = check("--organization", "xp-a", "--period", "2024")
    assert {organization for _rule, organization, _period in warnings()} == {"XP-A-01"}
    assert "2023" not in output  # only the period asked for
    check("--period", "2023")
    assert {organization for _rule, organization, _period in warnings()} == {"XP-A-01"}  # 2023 holds no figures


def test_a_confirmed_warning_keeps_its_confirmation(cast, year):
    save("workers_informed", cast.branch, "99.999", cast.owner)
    warning = QualityWarning.objects.get(organization=cast.branch, rule__code="informed_within_workers")
    warnings_confirm(unit=cast.district, period=year, comments={warning.pk: "Số liệu đã kiểm tra lại."}, by=cast.owner)
    check()
    warning = QualityWarning.objects.get(pk=warning.pk)
    assert warning.is_confirmed and QualityConfirmation.objects.get().comment == "Số liệu đã kiểm tra lại."


def test_a_warning_that_no_longer_holds_is_dropped(cast, year):
    save("workers_informed", cast.branch, "99.999", cast.owner)
    assert ("informed_within_workers", "XP-A-01", "2024") in warnings()
    # Corrected behind the portal's back (a restored backup, a data fix): the warning is stale.
    DataValue.objects.filter(organization=cast.branch, element__code="workers_informed").update(number=Decimal(0))
    check("--organization", "XP-A")
    assert ("informed_within_workers", "XP-A-01", "2024") not in warnings()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--period", "2031"), "2031"),
        (("--organization", "XP-Z"), "XP-Z"),
    ],
)
def test_an_unknown_period_or_organization_is_refused_and_nothing_is_written(
    figures_from_before_the_rules, args, message
):
    with pytest.raises(CommandError, match=message):
        check(*args)
    assert QualityWarning.objects.count() == 0


def test_a_band_of_more_than_two_places_is_compared_as_stored_and_not_rewritten_each_run(cast, year):
    element = DataElement.objects.get(code="workers_total")
    # A median of 100 and a MAD of 7: a band of 100 ± k × 1.4826 × 7, with more than two places.
    for past, value in zip(range(2019, 2024), (100, 107, 93, 111, 89), strict=True):
        builders.report(element, cast.branch, builders.period(str(past)), value)
    save("workers_total", cast.branch, "150", cast.owner)
    warning = QualityWarning.objects.get(organization=cast.branch, rule__code="workers_total_outlier")
    findings_band = [f for f in findings(grid_organizations(cast.district), year) if f.rule.pk == warning.rule_id]
    assert findings_band[0].low != findings_band[0].low.quantize(Decimal("0.01"))  # the band has more places
    assert "0 cập nhật" in check("--period", "2024").splitlines()[-1]
