"""branch_split: one organization into two or more new ones under the same parent."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from organizations import services
from organizations.models import (
    Level,
    OperationKind,
    Organization,
    OrganizationStatus,
    RestructuringLink,
    RestructuringOperation,
    Sector,
    Workplace,
    WorkplaceKind,
)
from organizations.services import NewOrganization
from tests import factories

JULY_1 = datetime.date(2025, 7, 1)
PARTS = [
    NewOrganization(code="XP-A-02", name="CĐCS Trường Tiểu học A"),
    NewOrganization(code="XP-A-03", name="CĐCS Trường THCS A", short_name="THCS A"),
]


@pytest.fixture
def workplaces(cast) -> list[Workplace]:
    return [
        factories.make_workplace(cast.district, code=code, kind=WorkplaceKind.SCHOOL, branch=cast.branch)
        for code in ("W-1", "W-2", "W-3")
    ]


def test_the_source_is_marked_split_on_the_effective_date(cast):
    services.branch_split(source=cast.branch, into=PARTS, effective_date=JULY_1)

    source = Organization.objects.get(pk=cast.branch.pk)
    assert source.status == OrganizationStatus.SPLIT
    assert source.dissolved_on == JULY_1


def test_the_parts_are_active_under_the_same_parent_with_the_source_sector(cast):
    parts, _operation = services.branch_split(source=cast.branch, into=PARTS, effective_date=JULY_1)

    assert [(p.code, p.name, p.short_name) for p in parts] == [
        ("XP-A-02", "CĐCS Trường Tiểu học A", ""),
        ("XP-A-03", "CĐCS Trường THCS A", "THCS A"),
    ]
    for part in parts:
        assert part.status == OrganizationStatus.ACTIVE
        assert part.level.code == Level.BASE
        assert part.sector == Sector.SCHOOL
        assert part.founded_on == JULY_1
        assert part.parent() == cast.district
    assert [o.code for o in Organization.objects.within(cast.district).active()] == ["XP-A", "XP-A-02", "XP-A-03"]


def test_a_part_may_name_a_sector_of_its_own(cast):
    parts, _operation = services.branch_split(
        source=cast.branch,
        into=[PARTS[0], NewOrganization(code="XP-A-03", name="CĐCS Căng tin", sector=Sector.COOPERATIVE)],
        effective_date=JULY_1,
    )

    assert [p.sector for p in parts] == [Sector.SCHOOL, Sector.COOPERATIVE]


def test_the_operation_links_the_source_and_every_part(cast):
    _parts, operation = services.branch_split(
        source=cast.branch, into=PARTS, effective_date=JULY_1, by=cast.owner, decision="9/QĐ"
    )

    operation.refresh_from_db()
    assert operation.kind == OperationKind.SPLIT
    assert operation.effective_date == JULY_1
    assert operation.performed_by == cast.owner
    assert operation.decision == "9/QĐ"
    links = operation.links.values_list("organization__code", "role", "previous_parent__code", "new_parent__code")
    assert sorted(links) == [
        ("XP-A-01", RestructuringLink.SOURCE, "XP-A", None),
        ("XP-A-02", RestructuringLink.RESULT, None, "XP-A"),
        ("XP-A-03", RestructuringLink.RESULT, None, "XP-A"),
    ]


def test_workplaces_are_distributed_by_the_mapping(cast, workplaces):
    factories.make_workplace(cast.sibling, code="W-B", branch=cast.sibling_branch)

    services.branch_split(source=cast.branch, into=PARTS, effective_date=JULY_1, workplaces={"W-2": 1, "W-3": 0})

    assert dict(Workplace.objects.values_list("code", "branch__code")) == {
        "W-1": "XP-A-02",  # not in the mapping: the first part takes it
        "W-2": "XP-A-03",
        "W-3": "XP-A-02",
        "W-B": "XP-B-01",
    }


def test_a_split_into_three_uses_the_third_index(cast, workplaces):
    parts = [*PARTS, NewOrganization(code="XP-A-04", name="CĐCS Trường Mầm non A")]

    services.branch_split(source=cast.branch, into=parts, effective_date=JULY_1, workplaces={"W-3": 2})

    assert dict(Workplace.objects.values_list("code", "branch__code")) == {
        "W-1": "XP-A-02",
        "W-2": "XP-A-02",
        "W-3": "XP-A-04",
    }


def _assert_nothing_split(cast) -> None:
    assert Organization.objects.get(pk=cast.branch.pk).status == OrganizationStatus.ACTIVE
    assert not Organization.objects.filter(code__in=["XP-A-02", "XP-A-03"]).exists()
    assert not RestructuringOperation.objects.filter(kind=OperationKind.SPLIT).exists()
    assert set(Workplace.objects.values_list("branch__code", flat=True)) <= {"XP-A-01"}


@pytest.mark.parametrize("count", [0, 1])
def test_it_refuses_fewer_than_two_parts(cast, workplaces, count):
    with pytest.raises(ValidationError, match="ít nhất hai"):
        services.branch_split(source=cast.branch, into=PARTS[:count], effective_date=JULY_1)

    _assert_nothing_split(cast)


@pytest.mark.parametrize("index", [2, -1])
def test_it_refuses_a_mapping_out_of_range(cast, workplaces, index):
    with pytest.raises(ValidationError, match="W-2"):
        services.branch_split(source=cast.branch, into=PARTS, effective_date=JULY_1, workplaces={"W-2": index})

    _assert_nothing_split(cast)


def test_it_refuses_while_units_below_the_source_are_active(cast):
    factories.make_organization(cast.branch, code="XP-A-01-T1")

    with pytest.raises(ValidationError, match="trực thuộc"):
        services.branch_split(source=cast.branch, into=PARTS, effective_date=JULY_1)

    _assert_nothing_split(cast)


def test_it_refuses_an_inactive_source(cast):
    services.organization_dissolve(organization=cast.branch, effective_date=datetime.date(2024, 6, 30))

    with pytest.raises(ValidationError, match="không còn hoạt động"):
        services.branch_split(source=cast.branch, into=PARTS, effective_date=JULY_1)

    assert not Organization.objects.filter(code__in=["XP-A-02", "XP-A-03"]).exists()


def test_it_refuses_a_date_before_the_source_was_founded(cast):
    with pytest.raises(ValidationError, match="31/12/2014"):
        services.branch_split(source=cast.branch, into=PARTS, effective_date=datetime.date(2014, 12, 31))

    _assert_nothing_split(cast)


def test_a_mapping_naming_a_workplace_the_branch_does_not_cover_is_refused(cast):
    from organizations.models import Organization

    factories.make_workplace(cast.district, code="OWN", branch=cast.branch)
    with pytest.raises(ValidationError):
        services.branch_split(
            source=cast.branch,
            into=[services.NewOrganization("XP-A-Q1", "Q1"), services.NewOrganization("XP-A-Q2", "Q2")],
            workplaces={"own": 1},  # a mistyped (lowercase) code
            effective_date=datetime.date(2024, 1, 1),
        )
    assert not Organization.objects.filter(code__in=["XP-A-Q1", "XP-A-Q2"]).exists()


def test_splitting_a_district_shares_out_the_workplaces_it_is_responsible_for(cast):
    from organizations.models import Workplace

    services.organization_move(
        organization=cast.branch, new_parent=cast.sibling, effective_date=datetime.date(2024, 1, 1)
    )
    factories.make_workplace(cast.district, code="NOUNION1")
    factories.make_workplace(cast.district, code="NOUNION2")
    results, _op = services.branch_split(
        source=cast.district,
        into=[services.NewOrganization("XP-N", "LĐLĐ Bắc"), services.NewOrganization("XP-S", "LĐLĐ Nam")],
        workplaces={"NOUNION2": 1},
        effective_date=datetime.date(2025, 7, 1),
    )
    assert Workplace.objects.get(code="NOUNION1").upper_union.code == "XP-N"
    assert Workplace.objects.get(code="NOUNION2").upper_union.code == "XP-S"
