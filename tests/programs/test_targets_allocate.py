"""Phân bổ chỉ tiêu: the parent sets its children's targets for the term or a year, in one form."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from indicators.models import Target
from indicators.targets import services
from tests import builders, factories


@pytest.fixture
def indicator(cast):
    program = builders.program(cast.province, start=2018, end=2023, code="XP-CTR")
    return builders.indicator(program, "members_joined", code="1", target_value=9900, allocation="sum")


def allocate_url(indicator, **params) -> str:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    url = reverse("indicators:allocate", kwargs={"code": indicator.program.code, "indicator": indicator.code})
    return f"{url}?{query}" if query else url


def test_the_province_allocates_the_term_target_to_its_districts(cast, indicator):
    services.targets_allocate(
        indicator=indicator,
        parent=cast.province,
        year=None,
        allocations=[
            services.Allocation(cast.district, Decimal(5940)),
            services.Allocation(cast.sibling, Decimal(3960)),
        ],
        by=cast.provincial,
    )
    assert {(t.organization.code, t.year, t.value) for t in Target.objects.all()} == {
        ("XP-A", None, 5940),
        ("XP-B", None, 3960),
    }


def test_an_empty_value_removes_the_childs_own_target(cast, indicator):
    builders.target(indicator, cast.district, 100, year=2020)
    services.targets_allocate(
        indicator=indicator,
        parent=cast.province,
        year=2020,
        allocations=[services.Allocation(cast.district, None)],
        by=cast.provincial,
    )
    assert not Target.objects.exists()


def test_only_the_parents_children_and_the_programs_years_are_allowed(cast, indicator):
    with pytest.raises(ValidationError):
        services.targets_allocate(
            indicator=indicator,
            parent=cast.province,
            year=None,
            allocations=[services.Allocation(cast.branch, Decimal(1))],
            by=cast.provincial,
        )
    with pytest.raises(ValidationError):
        services.targets_allocate(
            indicator=indicator, parent=cast.province, year=2030, allocations=[], by=cast.provincial
        )


def test_district_staff_cannot_allocate(cast, indicator):
    with pytest.raises(PermissionDenied):
        services.targets_allocate(indicator=indicator, parent=cast.district, year=None, allocations=[], by=cast.owner)


def test_a_range_takes_both_ends(cast):
    program = builders.program(cast.province, code="XP-CTR2")
    founded = builders.indicator(
        program, "branches_founded", code="2", comparison="range", target_value=30, target_value_max=35
    )
    services.targets_allocate(
        indicator=founded,
        parent=cast.province,
        year=2022,
        allocations=[services.Allocation(cast.district, Decimal(12), Decimal(14))],
        by=cast.provincial,
    )
    target = Target.objects.get()
    assert (target.comparison, target.value, target.value_max) == ("range", 12, 14)
    with pytest.raises(ValidationError):
        services.targets_allocate(
            indicator=founded,
            parent=cast.province,
            year=2022,
            allocations=[services.Allocation(cast.district, Decimal(14), Decimal(12))],
            by=cast.provincial,
        )


def test_the_allocation_editor_sets_every_child_in_one_form_and_shows_the_sum(cast, login, indicator):
    client = login(cast.provincial)
    page = client.get(allocate_url(indicator, org="XP"))
    assert [child for child, _value, _max in page.context["form"].rows()] == [cast.district, cast.sibling]
    response = client.post(
        allocate_url(indicator, org="XP"),
        {f"value_{cast.district.pk}": "5.940", f"value_{cast.sibling.pk}": "3.960"},
    )
    assert response.status_code == 302
    check = client.get(response.url).context["check"]
    assert (check.parent_value, check.children_value, check.ok, check.missing) == (9900, 9900, True, [])
    assert (
        Target.objects.get(organization=cast.district).value == 5940
    )  # "5.940" is five thousand nine hundred and forty


def test_a_yearly_allocation_is_kept_apart_from_the_terms(cast, login, indicator):
    client = login(cast.provincial)
    client.post(allocate_url(indicator, org="XP", year=2020), {f"value_{cast.district.pk}": "1.000"})
    page = client.get(allocate_url(indicator, org="XP", year=2020))
    assert page.context["year"] == 2020
    assert page.context["check"].missing == [cast.sibling]
    assert Target.objects.get().year == 2020
    assert client.get(allocate_url(indicator, org="XP", year=2031)).status_code == 404


def test_the_form_refuses_what_is_not_a_number(cast, login, indicator):
    response = login(cast.provincial).post(allocate_url(indicator, org="XP"), {f"value_{cast.district.pk}": "nhiều"})
    assert response.status_code == 200 and response.context["form"].errors
    assert not Target.objects.exists()


def test_a_district_officer_cannot_open_the_editor_and_an_outsider_sees_nothing(cast, login, indicator):
    assert login(cast.owner).get(allocate_url(indicator, org="XP-A")).status_code == 403
    other = factories.make_organization(cast.national, code="XQ")
    far = factories.make_user("far", organization=other, role="provincial_officer")
    assert login(far).get(allocate_url(indicator, org="XP")).status_code == 404
