import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from indicators.entry import services
from indicators.models import DataElementRule, DataValue, ValueType
from indicators.workflow import services as workflow
from tests import builders
from unionportal.concurrency import StaleEdit

D = datetime.date
TODAY = D(2025, 3, 1)


def save(element, organization, period, raw, by, **kw):
    return services.data_value_save(
        element=element, organization=organization, period=period, raw=raw, by=by, today=TODAY, **kw
    )


def test_numbers_are_read_the_vietnamese_way(cast):
    revenue = builders.element("revenue", ValueType.MONEY, level="upper")
    year = builders.period("2024")
    assert save(revenue, cast.district, year, "1.234.567", cast.owner).number == Decimal("1234567")
    assert save(revenue, cast.district, year, "12,5", cast.owner).number == Decimal("12.5")
    with pytest.raises(ValidationError):
        save(revenue, cast.district, year, "mười", cast.owner)


def test_yes_no_and_grades_accept_the_words_people_type(cast):
    fund = builders.element("mutual_fund", ValueType.BOOLEAN)
    rating = builders.element("rating", ValueType.CHOICE)
    year = builders.period("2024")
    assert save(fund, cast.branch, year, "Có", cast.owner).boolean is True
    assert save(fund, cast.branch, year, "không", cast.owner).boolean is False
    assert save(rating, cast.branch, year, "Hoàn thành tốt nhiệm vụ", cast.owner).choice == "good"
    with pytest.raises(ValidationError, match="Hoàn thành xuất sắc"):
        save(rating, cast.branch, year, "Tốt", cast.owner)


def test_a_value_out_of_range_is_refused(cast):
    houses = builders.element("houses", level="upper", min_value=Decimal(0), max_value=Decimal(1000))
    with pytest.raises(ValidationError):
        save(houses, cast.district, builders.period("2024"), "-1", cast.owner)


def test_women_cannot_outnumber_the_total_whichever_is_saved_first(cast):
    total = builders.element("t_staff_total", level="upper")
    women = builders.element("t_staff_women", level="upper")
    DataElementRule.objects.create(
        element=women, operator="lte", other=total, message="Số nữ không thể lớn hơn tổng số."
    )
    year = builders.period("2024")
    save(total, cast.district, year, "100", cast.owner)
    with pytest.raises(ValidationError, match="Số nữ"):
        save(women, cast.district, year, "120", cast.owner)
    save(women, cast.district, year, "80", cast.owner)
    with pytest.raises(ValidationError, match="Số nữ"):
        save(total, cast.district, year, "70", cast.owner)
    assert DataValue.objects.get(element=total).number == 100


def test_a_future_period_is_closed(cast):
    houses = builders.element("houses", level="upper")
    with pytest.raises(ValidationError):
        save(houses, cast.district, builders.period("2025-H2"), "5", cast.owner)


def test_a_figure_of_another_level_or_period_kind_is_refused(cast):
    rating = builders.element("rating", ValueType.CHOICE)  # base level, annual
    with pytest.raises(ValidationError):
        save(rating, cast.district, builders.period("2024"), "good", cast.owner)
    with pytest.raises(ValidationError):
        save(rating, cast.branch, builders.period("2024-H1"), "good", cast.owner)


def test_a_stale_edit_is_refused_with_the_newer_value(cast):
    houses = builders.element("houses", level="upper")
    year = builders.period("2024")
    first = save(houses, cast.district, year, "10", cast.owner, expected_version=0)
    assert first.version == 1
    save(houses, cast.district, year, "12", cast.provincial, expected_version=1)
    with pytest.raises(StaleEdit) as conflict:
        save(houses, cast.district, year, "11", cast.owner, expected_version=1)
    assert conflict.value.current.number == 12
    assert DataValue.objects.get(element=houses).number == 12


def test_saving_the_same_value_again_changes_nothing(cast):
    houses = builders.element("houses", level="upper")
    year = builders.period("2024")
    save(houses, cast.district, year, "10", cast.owner)
    again = save(houses, cast.district, year, "10", cast.owner)
    assert again.version == 1


def test_submitted_figures_are_locked_for_the_branches_too(cast):
    rating = builders.element("rating", ValueType.CHOICE)
    year = builders.period("2024")
    save(rating, cast.branch, year, "good", cast.owner)
    workflow.submission_submit(organization=cast.district, period=year, by=cast.owner)
    with pytest.raises(ValidationError):
        save(rating, cast.branch, year, "excellent", cast.owner)
