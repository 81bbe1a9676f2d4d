"""branch_merge: several organizations into one, new or existing; the sources stay, marked merged."""

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
)
from organizations.services import NewOrganization
from tests import factories

JAN_1 = datetime.date(2025, 1, 1)
MERGED = NewOrganization(code="XP-A-03", name="CĐCS Trường liên cấp A")


@pytest.fixture
def second(cast) -> Organization:
    """A second school branch in the owner's district, beside XP-A-01."""
    return factories.make_branch(cast.district, code="XP-A-02", name="CĐCS Trường A2", sector=Sector.SCHOOL)


def _links(operation) -> list[tuple]:
    return sorted(
        operation.links.values_list("organization__code", "role", "previous_parent__code", "new_parent__code")
    )


def test_two_branches_merge_into_a_new_active_branch_under_their_parent(cast, second):
    target, _operation = services.branch_merge(sources=[cast.branch, second], new=MERGED, effective_date=JAN_1)

    assert target.code == "XP-A-03"
    assert target.name == "CĐCS Trường liên cấp A"
    assert target.level.code == Level.BASE
    assert target.sector == Sector.SCHOOL
    assert target.status == OrganizationStatus.ACTIVE
    assert target.founded_on == JAN_1
    assert target.parent() == cast.district
    assert target.path == "0001000100010003"


def test_the_sources_stay_marked_merged_on_the_effective_date(cast, second):
    services.branch_merge(sources=[cast.branch, second], new=MERGED, effective_date=JAN_1)

    rows = Organization.objects.filter(code__in=["XP-A-01", "XP-A-02"]).values_list("code", "status", "dissolved_on")
    assert sorted(rows) == [
        ("XP-A-01", OrganizationStatus.MERGED, JAN_1),
        ("XP-A-02", OrganizationStatus.MERGED, JAN_1),
    ]
    assert [o.code for o in Organization.objects.within(cast.district)] == ["XP-A", "XP-A-01", "XP-A-02", "XP-A-03"]


def test_the_operation_links_both_sources_and_the_result(cast, second):
    _target, operation = services.branch_merge(
        sources=[cast.branch, second], new=MERGED, effective_date=JAN_1, by=cast.owner, decision="3/QĐ-LĐLĐ"
    )

    operation.refresh_from_db()
    assert operation.kind == OperationKind.MERGE
    assert operation.effective_date == JAN_1
    assert operation.performed_by == cast.owner
    assert operation.decision == "3/QĐ-LĐLĐ"
    assert _links(operation) == [
        ("XP-A-01", RestructuringLink.SOURCE, "XP-A", "XP-A-03"),
        ("XP-A-02", RestructuringLink.SOURCE, "XP-A", "XP-A-03"),
        ("XP-A-03", RestructuringLink.RESULT, None, "XP-A"),
    ]
    # The new branch is founded by the merge, not by a separate CREATE operation.
    assert not RestructuringOperation.objects.filter(kind=OperationKind.CREATE, links__organization__code="XP-A-03")


def test_workplaces_of_the_sources_now_point_to_the_target(cast, second):
    factories.make_workplace(cast.district, code="W-A1", branch=cast.branch)
    factories.make_workplace(cast.district, code="W-A2", branch=second)
    factories.make_workplace(cast.sibling, code="W-B1", branch=cast.sibling_branch)
    factories.make_workplace(cast.district, code="W-A9")

    target, _operation = services.branch_merge(sources=[cast.branch, second], new=MERGED, effective_date=JAN_1)

    assert dict(Workplace.objects.values_list("code", "branch__code")) == {
        "W-A1": "XP-A-03",
        "W-A2": "XP-A-03",
        "W-B1": "XP-B-01",
        "W-A9": None,
    }
    assert [w.code for w in Workplace.objects.unionized()] == ["W-A1", "W-A2", "W-B1"]


def test_units_below_the_sources_move_to_the_target(cast, second):
    factories.make_organization(cast.branch, code="XP-A-01-T1")
    gone = factories.make_organization(cast.branch, code="XP-A-01-T0")
    factories.make_organization(second, code="XP-A-02-T1")
    services.organization_dissolve(organization=gone, effective_date=datetime.date(2020, 1, 1))

    target, _operation = services.branch_merge(sources=[cast.branch, second], new=MERGED, effective_date=JAN_1)

    assert [o.code for o in target.children()] == ["XP-A-01-T1", "XP-A-02-T1"]
    assert [o.path for o in target.children()] == ["00010001000100030001", "00010001000100030002"]
    assert target.numchild == 2
    # A unit dissolved before the merge stays where it was, as history.
    assert [o.code for o in Organization.objects.below(Organization.objects.get(code="XP-A-01"))] == ["XP-A-01-T0"]


def test_it_merges_into_an_existing_branch(cast, second):
    factories.make_workplace(cast.district, code="W-A2", branch=second)

    target, operation = services.branch_merge(sources=[second], into=cast.branch, effective_date=JAN_1)

    assert target.pk == cast.branch.pk
    assert target.status == OrganizationStatus.ACTIVE
    assert target.dissolved_on is None
    merged = Organization.objects.get(code="XP-A-02")
    assert (merged.status, merged.dissolved_on) == (OrganizationStatus.MERGED, JAN_1)
    assert Workplace.objects.get(code="W-A2").branch == cast.branch
    assert _links(operation) == [
        ("XP-A-01", RestructuringLink.RESULT, None, "XP-A"),
        ("XP-A-02", RestructuringLink.SOURCE, "XP-A", "XP-A-01"),
    ]
    assert Organization.objects.filter(code__startswith="XP-A").count() == 3


def test_two_districts_merge_with_their_branches_and_the_workplaces_they_cover(cast):
    factories.make_workplace(cast.district, code="W-A9")
    factories.make_workplace(cast.sibling, code="W-B9")
    factories.make_workplace(cast.province, code="W-P9")

    target, _operation = services.branch_merge(
        sources=[cast.district, cast.sibling],
        new=NewOrganization(code="XP-AB", name="Công đoàn khu vực AB"),
        effective_date=JAN_1,
    )

    assert target.level.code == Level.UPPER
    assert target.sector == ""
    assert [(o.code, o.path) for o in Organization.objects.within(target)] == [
        ("XP-AB", "000100010003"),
        ("XP-A-01", "0001000100030001"),
        ("XP-B-01", "0001000100030002"),
    ]
    # Workplaces without a union yet must not be left with a merged district.
    assert dict(Workplace.objects.values_list("code", "upper_union__code")) == {
        "W-A9": "XP-AB",
        "W-B9": "XP-AB",
        "W-P9": "XP",
    }
    assert sorted(w.code for w in Workplace.objects.within(target)) == ["W-A9", "W-B9"]


def _assert_nothing_merged(organizations_before: int) -> None:
    assert Organization.objects.count() == organizations_before
    assert not Organization.objects.exclude(status=OrganizationStatus.ACTIVE).exists()
    assert not RestructuringOperation.objects.filter(kind=OperationKind.MERGE).exists()


@pytest.mark.parametrize("sources", ["one", "the same twice"])
def test_it_refuses_fewer_than_two_sources_for_a_new_branch(cast, sources):
    chosen = [cast.branch] if sources == "one" else [cast.branch, cast.branch]
    before = Organization.objects.count()

    with pytest.raises(ValidationError, match="ít nhất hai"):
        services.branch_merge(sources=chosen, new=MERGED, effective_date=JAN_1)

    _assert_nothing_merged(before)


def test_it_refuses_sources_of_different_levels(cast):
    unit = factories.make_organization(cast.branch, code="XP-A-01-T1")
    before = Organization.objects.count()

    with pytest.raises(ValidationError, match="cùng cấp"):
        services.branch_merge(sources=[cast.sibling_branch, unit], new=MERGED, effective_date=JAN_1)

    _assert_nothing_merged(before)


def test_it_refuses_a_target_of_another_level(cast, second):
    before = Organization.objects.count()

    with pytest.raises(ValidationError, match="cùng cấp"):
        services.branch_merge(sources=[cast.branch, second], into=cast.sibling, effective_date=JAN_1)

    _assert_nothing_merged(before)


def test_it_refuses_an_inactive_source(cast, second):
    services.organization_dissolve(organization=second, effective_date=datetime.date(2024, 6, 30))
    before = Organization.objects.count()

    with pytest.raises(ValidationError, match="không còn hoạt động"):
        services.branch_merge(sources=[cast.branch, second], new=MERGED, effective_date=JAN_1)

    assert Organization.objects.count() == before
    assert Organization.objects.get(pk=cast.branch.pk).status == OrganizationStatus.ACTIVE
    assert not RestructuringOperation.objects.filter(kind=OperationKind.MERGE).exists()


def test_it_refuses_a_target_among_the_sources(cast, second):
    before = Organization.objects.count()

    with pytest.raises(ValidationError, match="không được nằm"):
        services.branch_merge(sources=[cast.branch, second], into=cast.branch, effective_date=JAN_1)

    _assert_nothing_merged(before)


def test_it_refuses_a_date_before_a_source_was_founded(cast, second):
    before = Organization.objects.count()

    with pytest.raises(ValidationError, match="31/12/2014"):
        services.branch_merge(sources=[cast.branch, second], new=MERGED, effective_date=datetime.date(2014, 12, 31))

    _assert_nothing_merged(before)


def test_sources_under_different_parents_need_an_explicit_parent(cast):
    before = Organization.objects.count()

    with pytest.raises(ValidationError, match="nhiều cấp trên"):
        services.branch_merge(sources=[cast.branch, cast.sibling_branch], new=MERGED, effective_date=JAN_1)

    _assert_nothing_merged(before)


def test_sources_under_different_parents_merge_under_the_parent_given(cast):
    target, operation = services.branch_merge(
        sources=[cast.branch, cast.sibling_branch], new=MERGED, parent=cast.sibling, effective_date=JAN_1
    )

    assert target.parent() == cast.sibling
    assert target.path == "0001000100020002"
    assert _links(operation) == [
        ("XP-A-01", RestructuringLink.SOURCE, "XP-A", "XP-A-03"),
        ("XP-A-03", RestructuringLink.RESULT, None, "XP-B"),
        ("XP-B-01", RestructuringLink.SOURCE, "XP-B", "XP-A-03"),
    ]


def test_it_needs_exactly_one_of_into_and_new(cast, second):
    with pytest.raises(ValueError, match="exactly one"):
        services.branch_merge(sources=[cast.branch, second], effective_date=JAN_1)
    with pytest.raises(ValueError, match="exactly one"):
        services.branch_merge(sources=[cast.branch, second], into=cast.sibling_branch, new=MERGED, effective_date=JAN_1)


def test_merging_into_an_existing_branch_before_it_was_founded_is_refused(cast):
    young = factories.make_branch(cast.district, code="XP-A-YOUNG", founded_on=datetime.date(2024, 6, 1))
    with pytest.raises(ValidationError):
        services.branch_merge(sources=[cast.branch], into=young, effective_date=datetime.date(2024, 1, 1))
