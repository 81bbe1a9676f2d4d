"""plan_preview: the tree before and after with its counts, and what follows, read without writing."""

from __future__ import annotations

from indicators.models import Submission
from restructure.selectors import plan_preview
from tests import builders, factories

from .helpers import make_plan, tree_state
from .test_plan_apply import REFORM


def test_it_shows_both_trees_with_branches_and_members_and_changes_nothing(cast):
    builders.member(cast.branch)
    builders.member(cast.branch)
    builders.member(cast.sibling_branch)
    program = builders.program(cast.sibling)
    indicator = builders.indicator(program, "members_total", code="9", name="Đoàn viên")
    builders.target(indicator, cast.sibling, 120, year=2026)
    builders.target(indicator, cast.sibling, 100, year=2024)
    Submission.objects.create(organization=cast.district, period=builders.period("2025-H2"))
    Submission.objects.create(organization=cast.district, period=builders.period("2024"))
    plan = make_plan(cast, REFORM)
    state = tree_state()

    preview = plan_preview(plan, cast.provincial)

    assert tree_state() == state
    assert preview.conflicts == []
    assert [(n.code, n.depth, n.branches, n.members, n.change) for n in preview.before] == [
        ("XP", 0, 2, 3, ""),
        ("XP-A", 1, 1, 2, "ended"),
        ("XP-A-01", 2, 1, 2, ""),
        ("XP-B", 1, 1, 1, "ended"),
        ("XP-B-01", 2, 1, 1, ""),
    ]
    assert [(n.code, n.depth, n.branches, n.members, n.change) for n in preview.after] == [
        ("XP", 0, 2, 3, ""),
        ("XP-KV1", 1, 2, 3, "new"),
        ("XP-A-01", 2, 1, 2, "moved"),
        ("XP-B-01", 2, 1, 1, "moved"),
    ]
    assert [(p.what, p.source, p.heir) for p in preview.programs] == [
        (str(program), "LĐLĐ huyện B", "Công đoàn khu vực 1")
    ]
    assert [(t.what, t.detail, t.source, t.heir) for t in preview.targets] == [
        ("9 Đoàn viên", "2026", "LĐLĐ huyện B", "Công đoàn khu vực 1")
    ]
    assert ("owner", "LĐLĐ huyện A", "Công đoàn khu vực 1") in [(u.what, u.source, u.heir) for u in preview.users]
    assert [p.code for p in preview.periods] == ["2025-H2"]
    assert [(s.organization.code, s.period.code) for s in preview.submissions] == [("XP-A", "2025-H2")]


def test_it_lists_the_conflicts_it_would_refuse(cast):
    plan = make_plan(cast, [{"kind": "dissolve", "codes": ["XP-A"]}])

    preview = plan_preview(plan, cast.provincial)

    assert len(preview.conflicts) == 1


def test_a_body_shown_only_as_the_parent_of_one_moved_counts_its_whole_subtree(cast):
    """The province above a district merged into its sibling: counted whole (its other bodies too)."""
    other = factories.make_organization(cast.province, code="XP-C")
    builders.member(factories.make_branch(other, code="XP-C-01"))
    builders.member(cast.branch)
    builders.member(cast.sibling_branch)
    plan = make_plan(cast, [{"kind": "merge_into", "codes": ["XP-A"], "target": "XP-B"}])

    preview = plan_preview(plan, cast.provincial)

    before = {n.code: (n.branches, n.members) for n in preview.before}
    after = {n.code: (n.branches, n.members) for n in preview.after}
    assert before["XP"] == after["XP"] == (3, 3)
    assert (before["XP-A"], before["XP-B"], after["XP-B"]) == ((1, 1), (1, 1), (2, 2))
    assert "XP-A" not in after
