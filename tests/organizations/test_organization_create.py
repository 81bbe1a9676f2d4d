"""organization_create: founding an organization under a parent."""

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
)
from tests import factories


def test_it_creates_a_branch_under_a_district_at_the_next_level_by_default(cast):
    branch = services.organization_create(
        parent=cast.district,
        code=" xp-a-02 ",
        name="  CĐCS Trạm y tế A2 ",
        sector=Sector.ADMINISTRATION,
        founded_on=datetime.date(2020, 3, 1),
    )

    branch.refresh_from_db()
    assert branch.code == "XP-A-02"
    assert branch.name == "CĐCS Trạm y tế A2"
    assert branch.level.code == Level.BASE
    assert branch.status == OrganizationStatus.ACTIVE
    assert branch.founded_on == datetime.date(2020, 3, 1)
    # XP-A is 0001.0001.0001 and already has XP-A-01 as its first child.
    assert branch.path == "0001000100010002"
    assert branch.depth == 4
    assert branch.parent() == cast.district
    cast.district.refresh_from_db()
    assert cast.district.numchild == 2


def test_a_body_created_under_a_province_is_an_upper_level_union(cast):
    district = services.organization_create(parent=cast.province, code="XP-C", name="LĐLĐ huyện C")

    assert district.level.code == Level.UPPER
    assert district.sector == ""
    assert district.path == "000100010003"


def test_a_unit_created_under_a_branch_is_below_base(cast):
    unit = services.organization_create(parent=cast.branch, code="XP-A-01-T1", name="Tổ công đoàn Toán")

    assert unit.level.code == Level.BELOW_BASE
    assert unit.parent() == cast.branch


def test_it_refuses_a_base_branch_without_a_sector(cast):
    with pytest.raises(ValidationError) as excinfo:
        services.organization_create(parent=cast.district, code="XP-A-02", name="CĐCS A2")

    assert list(excinfo.value.message_dict) == ["sector"]
    assert not Organization.objects.filter(code="XP-A-02").exists()


def test_it_refuses_a_sector_on_an_upper_level_union(cast):
    with pytest.raises(ValidationError) as excinfo:
        services.organization_create(parent=cast.province, code="XP-C", name="LĐLĐ huyện C", sector=Sector.SCHOOL)

    assert list(excinfo.value.message_dict) == ["sector"]
    assert not Organization.objects.filter(code="XP-C").exists()


def test_it_refuses_a_code_already_taken_whatever_its_case(cast):
    with pytest.raises(ValidationError) as excinfo:
        services.organization_create(parent=cast.sibling, code="xp-a-01", name="CĐCS trùng mã", sector=Sector.SCHOOL)

    assert list(excinfo.value.message_dict) == ["code"]
    assert Organization.objects.filter(code="XP-A-01").count() == 1
    assert Organization.objects.within(cast.sibling).count() == 2


@pytest.mark.parametrize("level_code", [Level.UPPER, Level.PROVINCIAL, Level.NATIONAL])
def test_it_refuses_a_level_that_is_not_below_the_parent_level(cast, level_code):
    with pytest.raises(ValidationError) as excinfo:
        services.organization_create(
            parent=cast.district, code="XP-A-X", name="Cấp sai", level=factories.level(level_code)
        )

    assert list(excinfo.value.message_dict) == ["level"]
    assert not Organization.objects.filter(code="XP-A-X").exists()


def test_it_refuses_to_create_under_a_dissolved_organization(cast):
    services.organization_dissolve(organization=cast.branch, effective_date=datetime.date(2024, 6, 30))

    with pytest.raises(ValidationError, match="không còn hoạt động"):
        services.organization_create(parent=cast.branch, code="XP-A-01-T1", name="Tổ công đoàn Văn")

    assert not Organization.objects.filter(code="XP-A-01-T1").exists()


def test_it_refuses_a_root_without_a_level(db):
    with pytest.raises(ValidationError) as excinfo:
        services.organization_create(parent=None, code="ROOT", name="Gốc")

    assert list(excinfo.value.message_dict) == ["level"]
    assert not Organization.objects.exists()


def test_it_records_a_create_operation_with_the_parent(cast):
    branch = services.organization_create(
        parent=cast.district,
        code="XP-A-02",
        name="CĐCS A2",
        sector=Sector.COOPERATIVE,
        founded_on=datetime.date(2021, 5, 19),
        by=cast.owner,
    )

    operation = RestructuringOperation.objects.get(links__organization=branch)
    assert operation.kind == OperationKind.CREATE
    assert operation.effective_date == datetime.date(2021, 5, 19)
    assert operation.performed_by == cast.owner
    link = operation.links.get()
    assert link.organization == branch
    assert link.role == RestructuringLink.RESULT
    assert link.new_parent == cast.district
    assert link.previous_parent is None


def test_a_create_without_a_founding_date_is_recorded_as_of_today(cast):
    branch = services.organization_create(
        parent=cast.district, code="XP-A-02", name="CĐCS A2", sector=Sector.COOPERATIVE
    )

    operation = RestructuringOperation.objects.get(links__organization=branch)
    assert operation.effective_date == datetime.date.today()


def test_it_records_nothing_when_asked_not_to(cast):
    before = RestructuringOperation.objects.count()

    branch = services.organization_create(
        parent=cast.district, code="XP-A-02", name="CĐCS A2", sector=Sector.COOPERATIVE, record=False
    )

    assert RestructuringOperation.objects.count() == before
    assert not RestructuringLink.objects.filter(organization=branch).exists()
