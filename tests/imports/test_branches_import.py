"""Importing base unions: founded through organization_create, linked to their workplace, never moved."""

from __future__ import annotations

import datetime

import pytest

from imports.services import export_file, import_file
from organizations.models import OperationKind, Organization, RestructuringOperation, Sector, Workplace
from tests import factories

from .files import snapshot

D = datetime.date


@pytest.fixture
def workplaces(cast):
    return [
        factories.make_workplace(cast.district, code="DV-A-10", kind="school", name="Trường THCS A10"),
        factories.make_workplace(cast.district, code="DV-A-11", name="Công ty A11"),
    ]


def rows() -> list[list]:
    return [
        ["XP-A-10", "CĐCS Trường THCS A10", "XP-A", "Trường học", D(2012, 9, 5), "DV-A-10"],
        ["XP-A-11", "CĐCS Công ty A11", "XP-A", "Doanh nghiệp ngoài nhà nước", "01/06/2020", "DV-A-11"],
        ["XP-A-12", "CĐCS UBND xã A12", "XP-A", "Hành chính sự nghiệp", None, None],
    ]


def test_a_hand_written_branches_file_founds_the_branches_and_unionizes_their_workplaces(cast, xlsx, workplaces, login):
    outcome = import_file("branches", xlsx("branches", rows()), user=cast.owner, commit=True)

    assert outcome.committed and outcome.counts.created == 3
    school = Organization.objects.get(code="XP-A-10")
    assert (school.name, school.sector, school.founded_on, school.parent()) == (
        "CĐCS Trường THCS A10",
        Sector.SCHOOL,
        D(2012, 9, 5),
        cast.district,
    )
    assert school.is_base and school.is_active
    assert Workplace.objects.get(code="DV-A-10").branch == school
    assert Workplace.objects.unionized().filter(code__in=["DV-A-10", "DV-A-11"]).count() == 2
    assert RestructuringOperation.objects.filter(kind=OperationKind.CREATE, links__organization=school).exists()
    page = login(cast.owner).get("/branches/", {"under": "XP-A"})
    assert "CĐCS Trường THCS A10" in page.content.decode()


def test_an_export_of_branches_imports_back_unchanged(cast, xlsx, workplaces, tmp_path):
    import_file("branches", xlsx("branches", rows()), user=cast.owner, commit=True)
    exported = tmp_path / "branches.xlsx"
    assert export_file("branches", exported, user=cast.owner, under=cast.district) == 4  # with the cast's XP-A-01
    before = snapshot()
    outcome = import_file("branches", exported, user=cast.owner, commit=True)
    assert (outcome.counts.created, outcome.counts.updated, outcome.counts.unchanged) == (0, 0, 4)
    assert snapshot() == before


def test_a_new_name_updates_the_branch(cast, xlsx, workplaces):
    import_file("branches", xlsx("branches", rows()), user=cast.owner, commit=True)
    changed = rows()
    changed[2][1] = "CĐCS Ủy ban nhân dân xã A12"
    outcome = import_file("branches", xlsx("branches", changed), user=cast.owner, commit=True)
    assert (outcome.counts.updated, outcome.counts.unchanged) == (1, 2)
    assert Organization.objects.get(code="XP-A-12").name == "CĐCS Ủy ban nhân dân xã A12"


def test_another_upper_union_for_an_existing_branch_is_a_move_to_make_on_its_page(cast, xlsx, workplaces):
    factories.make_organization(cast.province, code="XP-C")
    grant = factories.make_user("both")
    from organizations.services import assignment_create

    assignment_create(user=grant, organization=cast.province, role="provincial_officer")
    before = snapshot()
    moved = [["XP-A-01", "CĐCS Trường A1", "XP-C", "Trường học", D(2015, 1, 1), None]]
    outcome = import_file("branches", xlsx("branches", moved), user=grant, commit=True)
    assert [(e.code, e.row, e.column) for e in outcome.errors] == [("branch_moved", 2, "C")]
    assert "XP-A" in outcome.errors[0].message
    assert snapshot() == before


CASES = [
    ("parent of another subtree", 0, 2, "XP-B", "parent_unknown", "C"),
    ("parent that is a province", 0, 2, "XP", "parent_unknown", "C"),  # the owner does not see the province
    ("parent that is a base union", 0, 2, "XP-A-01", "parent_not_upper", "C"),
    ("wrong sector", 0, 3, "Trường", "choice", "D"),
    ("impossible founding date", 0, 4, "30/02/2012", "date_impossible", "E"),
    ("unknown workplace", 0, 5, "DV-ZZ", "workplace_unknown", "F"),
    ("same workplace twice", 1, 5, "DV-A-10", "duplicate_workplace", "F"),
    ("a code of another subtree", 0, 0, "XP-B-01", "code_taken", "A"),
    ("a code that is not a base union", 0, 0, "XP-A", "not_a_branch", "A"),
]


@pytest.mark.parametrize(("what", "row", "column", "value", "code", "letter"), CASES, ids=[c[0] for c in CASES])
def test_a_bad_branch_row_gets_its_error_and_nothing_is_written(
    cast, xlsx, workplaces, what, row, column, value, code, letter
):
    bad = rows()
    bad[row][column] = value
    before = snapshot()
    outcome = import_file("branches", xlsx("branches", bad), user=cast.owner, commit=True)
    assert [(e.code, e.row, e.column) for e in outcome.errors] == [(code, row + 2, letter)]
    assert snapshot() == before


def test_a_workplace_that_already_has_a_union_cannot_get_a_second(cast, xlsx, workplaces):
    Workplace.objects.filter(code="DV-A-10").update(branch=cast.branch)
    outcome = import_file("branches", xlsx("branches", rows()), user=cast.owner, commit=True)
    assert [(e.code, e.row) for e in outcome.errors] == [("workplace_linked", 2)]
