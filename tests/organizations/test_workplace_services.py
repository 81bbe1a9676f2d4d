"""workplace_create, workplace_update and the workplace querysets the targets count with."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from organizations import services
from organizations.models import Workplace, WorkplaceKind
from tests import factories


def _create(cast, **overrides) -> Workplace:
    fields = {
        "code": " w-01 ",
        "name": "Công ty TNHH May A",
        "kind": WorkplaceKind.FDI_ENTERPRISE,
        "worker_count": 120,
        "female_worker_count": 95,
        "upper_union": cast.district,
        "branch": None,
        "tax_code": "6000123456",
    }
    return services.workplace_create(**{**fields, **overrides})


def _codes(queryset) -> list[str]:
    return [w.code for w in queryset.order_by("code")]


# --- workplace_create ---------------------------------------------------------------------------


def test_it_creates_a_workplace_under_its_upper_union(cast):
    workplace = _create(cast)

    workplace = Workplace.objects.get(pk=workplace.pk)
    assert workplace.code == "W-01"
    assert workplace.name == "Công ty TNHH May A"
    assert workplace.kind == WorkplaceKind.FDI_ENTERPRISE
    assert (workplace.worker_count, workplace.female_worker_count) == (120, 95)
    assert workplace.upper_union == cast.district
    assert workplace.branch is None
    assert workplace.is_unionized is False


def test_a_province_may_be_responsible_for_a_workplace(cast):
    workplace = _create(cast, upper_union=cast.province, branch=cast.branch)

    assert Workplace.objects.get(pk=workplace.pk).upper_union == cast.province


def test_it_refuses_more_women_than_workers(cast):
    with pytest.raises(ValidationError) as excinfo:
        _create(cast, worker_count=10, female_worker_count=11)

    assert "female_worker_count" in excinfo.value.message_dict
    assert not Workplace.objects.exists()


def test_it_accepts_as_many_women_as_workers(cast):
    workplace = _create(cast, worker_count=10, female_worker_count=10)

    assert Workplace.objects.get(pk=workplace.pk).female_worker_count == 10


@pytest.mark.parametrize("upper", ["branch", "unit"])
def test_it_refuses_an_upper_union_at_or_below_base_level(cast, upper):
    union = cast.branch if upper == "branch" else factories.make_organization(cast.branch, code="XP-A-01-T1")

    with pytest.raises(ValidationError) as excinfo:
        _create(cast, upper_union=union)

    assert list(excinfo.value.message_dict) == ["upper_union"]
    assert not Workplace.objects.exists()


def test_it_refuses_a_branch_that_is_not_a_base_branch(cast):
    with pytest.raises(ValidationError) as excinfo:
        _create(cast, branch=cast.sibling)

    assert list(excinfo.value.message_dict) == ["branch"]
    assert not Workplace.objects.exists()


def test_it_refuses_a_code_already_taken_whatever_its_case(cast):
    _create(cast)

    with pytest.raises(ValidationError) as excinfo:
        _create(cast, code="w-01", name="Trùng mã")

    assert list(excinfo.value.message_dict) == ["code"]
    assert Workplace.objects.count() == 1


# --- workplace_update ---------------------------------------------------------------------------


def test_update_changes_the_fields_it_is_given(cast):
    workplace = _create(cast)

    services.workplace_update(workplace=workplace, worker_count=150, female_worker_count=110, branch=cast.branch)

    workplace = Workplace.objects.get(pk=workplace.pk)
    assert (workplace.worker_count, workplace.female_worker_count) == (150, 110)
    assert workplace.branch == cast.branch
    assert workplace.is_unionized is True
    assert workplace.name == "Công ty TNHH May A"
    assert workplace.tax_code == "6000123456"


def test_update_leaves_other_fields_alone_even_when_given_a_stale_instance(cast):
    stale = _create(cast)
    Workplace.objects.filter(pk=stale.pk).update(address="KCN Hòa Phú")

    services.workplace_update(workplace=stale, name="Công ty TNHH May A (đổi tên)")

    workplace = Workplace.objects.get(pk=stale.pk)
    assert workplace.name == "Công ty TNHH May A (đổi tên)"
    assert workplace.address == "KCN Hòa Phú"


def test_update_refuses_more_women_than_workers(cast):
    workplace = _create(cast)

    with pytest.raises(ValidationError) as excinfo:
        services.workplace_update(workplace=workplace, worker_count=90)

    assert "female_worker_count" in excinfo.value.message_dict
    assert Workplace.objects.get(pk=workplace.pk).worker_count == 120


def test_update_refuses_a_base_branch_as_upper_union(cast):
    workplace = _create(cast)

    with pytest.raises(ValidationError) as excinfo:
        services.workplace_update(workplace=workplace, upper_union=cast.branch)

    assert list(excinfo.value.message_dict) == ["upper_union"]
    assert Workplace.objects.get(pk=workplace.pk).upper_union == cast.district


def test_update_refuses_a_district_as_the_branch(cast):
    workplace = _create(cast)

    with pytest.raises(ValidationError) as excinfo:
        services.workplace_update(workplace=workplace, branch=cast.district)

    assert list(excinfo.value.message_dict) == ["branch"]
    assert Workplace.objects.get(pk=workplace.pk).branch is None


@pytest.mark.parametrize("field", ["code", "created_at", "id"])
def test_update_refuses_a_field_that_is_not_editable(cast, field):
    workplace = _create(cast)

    with pytest.raises(ValueError, match=field):
        services.workplace_update(workplace=workplace, name="Tên khác", **{field: "X"})

    assert Workplace.objects.get(pk=workplace.pk).name == "Công ty TNHH May A"


# --- querysets ----------------------------------------------------------------------------------


@pytest.fixture
def registry(cast) -> None:
    """Six workplaces: (code, kind, workers, branch)."""
    rows = [
        ("W-1", WorkplaceKind.NON_STATE_ENTERPRISE, 10, cast.branch),
        ("W-2", WorkplaceKind.FDI_ENTERPRISE, 4, None),
        ("W-3", WorkplaceKind.SCHOOL, 30, cast.branch),
        ("W-4", WorkplaceKind.COOPERATIVE, 5, cast.sibling_branch),
        ("W-5", WorkplaceKind.AGENCY, 25, None),
        ("W-6", WorkplaceKind.STATE_ENTERPRISE, 100, cast.sibling_branch),
    ]
    for code, kind, workers, branch in rows:
        factories.make_workplace(cast.district, code=code, kind=kind, workers=workers, branch=branch)


def test_unionized_and_without_union_split_the_registry(registry):
    assert _codes(Workplace.objects.unionized()) == ["W-1", "W-3", "W-4", "W-6"]
    assert _codes(Workplace.objects.without_union()) == ["W-2", "W-5"]


def test_enterprises_include_cooperatives_but_not_schools_or_agencies(registry):
    assert _codes(Workplace.objects.enterprises()) == ["W-1", "W-2", "W-4", "W-6"]


def test_with_at_least_counts_the_threshold_itself(registry):
    assert _codes(Workplace.objects.with_at_least(5)) == ["W-1", "W-3", "W-4", "W-5", "W-6"]
    assert _codes(Workplace.objects.with_at_least(25)) == ["W-3", "W-5", "W-6"]


def test_the_querysets_compose_as_a_target_counts(registry):
    eligible = Workplace.objects.enterprises().with_at_least(5)

    assert _codes(eligible) == ["W-1", "W-4", "W-6"]
    assert _codes(eligible.unionized()) == ["W-1", "W-4", "W-6"]
    assert _codes(eligible.without_union()) == []


def test_a_workplace_of_a_dissolved_branch_counts_as_without_union(cast, registry):
    services.organization_dissolve(organization=cast.sibling_branch, effective_date=datetime.date(2024, 12, 31))

    assert _codes(Workplace.objects.unionized()) == ["W-1", "W-3"]
    assert _codes(Workplace.objects.without_union()) == ["W-2", "W-4", "W-5", "W-6"]
    assert _codes(Workplace.objects.enterprises().with_at_least(5).without_union()) == ["W-4", "W-6"]
    assert Workplace.objects.get(code="W-4").is_unionized is False
