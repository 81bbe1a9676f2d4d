"""organization_dissolve: dissolving an organization, dated and recorded, deleting nothing."""

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
    Workplace,
)
from tests import factories

JUNE_30 = datetime.date(2024, 6, 30)


def test_it_marks_the_branch_dissolved_on_the_effective_date(cast):
    services.organization_dissolve(organization=cast.branch, effective_date=JUNE_30)

    branch = Organization.objects.get(pk=cast.branch.pk)
    assert branch.status == OrganizationStatus.DISSOLVED
    assert branch.dissolved_on == JUNE_30
    assert Organization.objects.get(pk=cast.sibling_branch.pk).status == OrganizationStatus.ACTIVE


def test_it_deletes_nothing(cast):
    unit = factories.make_organization(cast.branch, code="XP-A-01-T1")
    assert Organization.objects.count() == 7

    services.organization_dissolve(organization=cast.branch, effective_date=JUNE_30)

    assert Organization.objects.count() == 7
    assert Organization.objects.filter(pk__in=[cast.branch.pk, unit.pk]).count() == 2
    assert [o.code for o in Organization.objects.within(cast.branch)] == ["XP-A-01", "XP-A-01-T1"]


def test_units_below_the_branch_are_dissolved_with_it(cast):
    first = factories.make_organization(cast.branch, code="XP-A-01-T1")
    second = factories.make_organization(cast.branch, code="XP-A-01-T2")
    earlier = factories.make_organization(cast.branch, code="XP-A-01-T0")
    services.organization_dissolve(organization=earlier, effective_date=datetime.date(2019, 12, 31))
    assert first.level.code == Level.BELOW_BASE

    operation = services.organization_dissolve(organization=cast.branch, effective_date=JUNE_30)

    rows = Organization.objects.within(cast.branch).values_list("code", "status", "dissolved_on").order_by("code")
    assert list(rows) == [
        ("XP-A-01", OrganizationStatus.DISSOLVED, JUNE_30),
        ("XP-A-01-T0", OrganizationStatus.DISSOLVED, datetime.date(2019, 12, 31)),
        ("XP-A-01-T1", OrganizationStatus.DISSOLVED, JUNE_30),
        ("XP-A-01-T2", OrganizationStatus.DISSOLVED, JUNE_30),
    ]
    # The unit dissolved in 2019 took no part in this operation.
    assert sorted(link.organization.code for link in operation.links.all()) == ["XP-A-01", "XP-A-01-T1", "XP-A-01-T2"]
    assert {link.role for link in operation.links.all()} == {RestructuringLink.SOURCE}
    assert second.pk in {link.organization_id for link in operation.links.all()}


def test_it_refuses_to_dissolve_a_district_while_active_branches_hang_below_it(cast):
    factories.make_branch(cast.district, code="XP-A-02")
    operations_before = RestructuringOperation.objects.filter(kind=OperationKind.DISSOLVE).count()

    with pytest.raises(ValidationError, match="Còn 2 tổ chức trực thuộc"):
        services.organization_dissolve(organization=cast.district, effective_date=JUNE_30)

    assert Organization.objects.within(cast.district).active().count() == 3
    assert RestructuringOperation.objects.filter(kind=OperationKind.DISSOLVE).count() == operations_before


def test_a_district_can_be_dissolved_once_its_branches_are_gone(cast):
    services.organization_dissolve(organization=cast.branch, effective_date=datetime.date(2024, 3, 31))

    services.organization_dissolve(organization=cast.district, effective_date=JUNE_30)

    district = Organization.objects.get(pk=cast.district.pk)
    branch = Organization.objects.get(pk=cast.branch.pk)
    assert (district.status, district.dissolved_on) == (OrganizationStatus.DISSOLVED, JUNE_30)
    # The branch keeps the date it was dissolved on.
    assert (branch.status, branch.dissolved_on) == (OrganizationStatus.DISSOLVED, datetime.date(2024, 3, 31))


def test_it_refuses_a_date_before_the_founding(cast):
    with pytest.raises(ValidationError, match="31/12/2014"):
        services.organization_dissolve(organization=cast.branch, effective_date=datetime.date(2014, 12, 31))

    branch = Organization.objects.get(pk=cast.branch.pk)
    assert branch.status == OrganizationStatus.ACTIVE
    assert branch.dissolved_on is None


def test_it_refuses_an_organization_already_dissolved(cast):
    services.organization_dissolve(organization=cast.branch, effective_date=datetime.date(2024, 3, 31))

    with pytest.raises(ValidationError, match="không còn hoạt động"):
        services.organization_dissolve(organization=cast.branch, effective_date=JUNE_30)

    assert Organization.objects.get(pk=cast.branch.pk).dissolved_on == datetime.date(2024, 3, 31)


def test_the_record_keeps_the_previous_parent(cast):
    operation = services.organization_dissolve(
        organization=cast.branch, effective_date=JUNE_30, by=cast.owner, decision="15/QĐ-LĐLĐ", note="Trường sáp nhập"
    )

    operation.refresh_from_db()
    assert operation.kind == OperationKind.DISSOLVE
    assert operation.effective_date == JUNE_30
    assert operation.performed_by == cast.owner
    assert operation.decision == "15/QĐ-LĐLĐ"
    assert operation.note == "Trường sáp nhập"
    link = operation.links.get()
    assert link.organization == cast.branch
    assert link.role == RestructuringLink.SOURCE
    assert link.previous_parent == cast.district
    assert link.new_parent is None


def test_workplaces_of_the_branch_become_without_union(cast):
    served = factories.make_workplace(cast.district, code="W-A1", branch=cast.branch)
    factories.make_workplace(cast.district, code="W-A2")
    factories.make_workplace(cast.sibling, code="W-B1", branch=cast.sibling_branch)
    assert [w.code for w in Workplace.objects.without_union()] == ["W-A2"]

    services.organization_dissolve(organization=cast.branch, effective_date=JUNE_30)

    assert [w.code for w in Workplace.objects.without_union()] == ["W-A1", "W-A2"]
    assert [w.code for w in Workplace.objects.unionized()] == ["W-B1"]
    # The link to the dissolved branch is history, and stays.
    served = Workplace.objects.get(pk=served.pk)
    assert served.branch_id == cast.branch.pk
    assert served.is_unionized is False


def test_a_district_still_responsible_for_workplaces_cannot_be_dissolved(cast):
    from organizations.models import OrganizationStatus

    empty = factories.make_organization(cast.province, code="XP-E")
    factories.make_workplace(empty, code="LEFTOVER")
    with pytest.raises(ValidationError, match="LEFTOVER|1"):
        services.organization_dissolve(organization=empty, effective_date=datetime.date(2025, 7, 1))
    empty.refresh_from_db()
    assert empty.status == OrganizationStatus.ACTIVE
