"""organization_update: editing the registry fields of an organization."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from organizations import services
from organizations.models import Level, Organization, OrganizationStatus, Sector


def test_it_changes_the_fields_it_is_given(cast):
    branch = services.organization_update(
        organization=cast.branch,
        name="CĐCS Trường THCS A1",
        address="Xã A, huyện A",
        founded_on=datetime.date(2016, 9, 5),
    )

    branch.refresh_from_db()
    assert branch.name == "CĐCS Trường THCS A1"
    assert branch.address == "Xã A, huyện A"
    assert branch.founded_on == datetime.date(2016, 9, 5)
    assert branch.code == "XP-A-01"
    assert branch.sector == Sector.SCHOOL
    assert branch.level.code == Level.BASE


def test_it_leaves_other_fields_alone_even_when_given_a_stale_instance(cast):
    stale = cast.branch
    Organization.objects.filter(pk=stale.pk).update(short_name="A1", address="Địa chỉ mới")

    services.organization_update(organization=stale, name="CĐCS Trường A1 (đổi tên)")

    branch = Organization.objects.get(pk=stale.pk)
    assert branch.name == "CĐCS Trường A1 (đổi tên)"
    assert branch.short_name == "A1"
    assert branch.address == "Địa chỉ mới"


def test_it_writes_nothing_when_nothing_changes(cast):
    before = Organization.objects.get(pk=cast.branch.pk).updated_at

    services.organization_update(organization=cast.branch, name=cast.branch.name, sector=Sector.SCHOOL)

    assert Organization.objects.get(pk=cast.branch.pk).updated_at == before


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("code", "XP-A-99"),
        ("status", OrganizationStatus.DISSOLVED),
        ("dissolved_on", datetime.date(2024, 1, 1)),
        ("path", "0009"),
        ("depth", 1),
    ],
)
def test_it_refuses_a_field_that_is_not_editable(cast, field, value):
    with pytest.raises(ValueError, match=field):
        services.organization_update(organization=cast.branch, name="Tên khác", **{field: value})

    branch = Organization.objects.get(pk=cast.branch.pk)
    assert branch.name == "CĐCS Trường A1"
    assert branch.code == "XP-A-01"
    assert branch.status == OrganizationStatus.ACTIVE
    assert branch.dissolved_on is None
    assert branch.path == "0001000100010001"


def test_it_refuses_a_founding_date_after_the_dissolution(cast):
    services.organization_dissolve(organization=cast.branch, effective_date=datetime.date(2020, 6, 30))

    with pytest.raises(ValidationError) as excinfo:
        services.organization_update(organization=cast.branch, founded_on=datetime.date(2021, 1, 1))

    assert list(excinfo.value.message_dict) == ["dissolved_on"]
    assert Organization.objects.get(pk=cast.branch.pk).founded_on == datetime.date(2015, 1, 1)


def test_it_accepts_a_founding_date_on_the_day_of_dissolution(cast):
    services.organization_dissolve(organization=cast.branch, effective_date=datetime.date(2020, 6, 30))

    services.organization_update(organization=cast.branch, founded_on=datetime.date(2020, 6, 30))

    assert Organization.objects.get(pk=cast.branch.pk).founded_on == datetime.date(2020, 6, 30)


def test_it_refuses_to_remove_the_sector_of_a_base_branch(cast):
    with pytest.raises(ValidationError) as excinfo:
        services.organization_update(organization=cast.branch, sector="")

    assert list(excinfo.value.message_dict) == ["sector"]
    assert Organization.objects.get(pk=cast.branch.pk).sector == Sector.SCHOOL


def test_it_refuses_a_sector_on_a_district(cast):
    with pytest.raises(ValidationError) as excinfo:
        services.organization_update(organization=cast.district, sector=Sector.SCHOOL)

    assert list(excinfo.value.message_dict) == ["sector"]
    assert Organization.objects.get(pk=cast.district.pk).sector == ""
