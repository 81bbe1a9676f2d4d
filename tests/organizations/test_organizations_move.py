"""organizations_move: many moves at once write what the moves one by one write, in bulk."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from organizations import services
from organizations.models import Level, Organization, OrganizationStatus, RestructuringLink, RestructuringOperation
from tests import factories

DAY = datetime.date(2025, 7, 1)
DATED = {"effective_date": DAY, "decision": "QĐ 1/2025", "note": "Sắp xếp 2025"}


def _tree(cast):
    """Two districts with branches (one with units below it), two successors, one with children already."""
    for n in range(2, 6):
        branch = factories.make_branch(cast.district, code=f"XP-A-0{n}")
        if n == 3:
            factories.make_organization(branch, code="XP-A-03-T1", level_code=Level.BELOW_BASE)
            factories.make_organization(branch, code="XP-A-03-T2", level_code=Level.BELOW_BASE)
    factories.make_branch(cast.sibling, code="XP-B-02")
    factories.make_organization(cast.province, code="XP-KV1", name="Công đoàn khu vực 1")
    factories.make_organization(cast.province, code="XP-KV2", name="Công đoàn khu vực 2")
    factories.make_branch(Organization.objects.get(code="XP-KV2"), code="XP-KV2-01")
    return [
        ("XP-A-01", "XP-KV1"),
        ("XP-A-02", "XP-KV2"),
        ("XP-A-03", "XP-KV1"),
        ("XP-B-01", "XP-KV2"),
        ("XP-A-05", "XP-KV2"),
        ("XP-B-02", "XP-KV1"),
    ]


def _moves(pairs):
    bodies = {o.code: o for o in Organization.objects.select_related("level")}
    return [(bodies[child], bodies[parent]) for child, parent in pairs]


def _written(since: int) -> tuple[list, list]:
    """The tree, and the records written after `since`, by position (ids differ between two runs)."""
    tree = list(Organization.objects.order_by("code").values_list("code", "path", "depth", "numchild", "status"))
    records = []
    for n, operation in enumerate(RestructuringOperation.objects.filter(pk__gt=since).order_by("pk")):
        links = [
            (link.organization.code, link.role, link.previous_parent.code, link.new_parent.code)
            for link in RestructuringLink.objects.filter(operation=operation).select_related(
                "organization", "previous_parent", "new_parent"
            )
        ]
        records.append(
            (
                n,
                operation.kind,
                operation.effective_date,
                operation.decision,
                operation.note,
                operation.performed_by_id,
                links,
            )  # fmt: skip
        )
    return tree, records


def test_the_bulk_moves_write_the_same_paths_and_records_as_the_moves_one_by_one(cast):
    pairs = _tree(cast)
    since = RestructuringOperation.objects.order_by("pk").values_list("pk", flat=True).last() or 0

    with transaction.atomic():
        one_by_one = transaction.savepoint()
        for body, parent in _moves(pairs):
            services.organization_move(organization=body, new_parent=parent, by=cast.provincial, **DATED)
        single = _written(since)
        transaction.savepoint_rollback(one_by_one)

    with CaptureQueriesContext(connection) as queries:
        records = services.organizations_move(moves=_moves(pairs), by=cast.provincial, **DATED)
    bulk = _written(since)

    assert bulk == single
    assert [r.kind for r in records] == ["move"] * 6
    assert Organization.objects.get(code="XP-A-03-T2").path.startswith(Organization.objects.get(code="XP-A-03").path)
    assert Organization.objects.get(code="XP-KV1").numchild == 3
    assert len(queries) < 20  # not one query per body
    assert Organization.objects.find_problems() == ([], [], [], [], [])  # treebeard's own check of the tree


def test_a_bulk_move_into_a_body_below_the_one_moved_is_refused_and_writes_nothing(cast):
    before = list(Organization.objects.values_list("code", "path", "numchild"))
    count = RestructuringOperation.objects.count()
    with pytest.raises(ValidationError):
        services.organizations_move(moves=_moves([("XP-B-01", "XP-A"), ("XP-A", "XP-A-01")]), **DATED)
    assert list(Organization.objects.values_list("code", "path", "numchild")) == before
    assert RestructuringOperation.objects.count() == count


def test_a_bulk_move_of_a_dissolved_body_is_refused(cast):
    Organization.objects.filter(code="XP-B-01").update(status=OrganizationStatus.DISSOLVED)
    with pytest.raises(ValidationError):
        services.organizations_move(moves=_moves([("XP-A-01", "XP-B"), ("XP-B-01", "XP-A")]), **DATED)
    assert Organization.objects.get(code="XP-A-01").path.startswith(cast.district.path)
