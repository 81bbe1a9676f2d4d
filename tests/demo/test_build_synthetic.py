"""manage.py build_synthetic (demo/synthetic): the benchmarks' national dataset, at a tiny scale."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count

from indicators.models import DataValue, Indicator
from members.models import BranchRole, Member, MemberRole, MembershipPeriod
from organizations.models import Level, Organization, Workplace
from reports.models import Rollup
from tests import factories

pytestmark = pytest.mark.django_db
on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="the dataset is loaded with COPY")

# Scale 0.0005: 2 provinces, 2 upper-level unions, 68 base unions, 5,500 members.
SCALE = "0.0005"


def build(*args: str) -> str:
    out = io.StringIO()
    call_command("build_synthetic", "--scale", SCALE, *args, stdout=out)
    return out.getvalue()


@on_postgresql
def test_it_builds_a_consistent_tree_with_every_table_filled_and_its_rollups():
    output = build()

    levels = dict(Organization.objects.order_by().values_list("level__code").annotate(n=Count("pk")))
    assert levels == {Level.NATIONAL: 1, Level.PROVINCIAL: 2, Level.UPPER: 2, Level.BASE: 68}
    assert Organization.objects.find_problems() == ([], [], [], [], [])  # paths, depths and child counts agree
    assert Member.objects.count() == MembershipPeriod.objects.count() == 5500
    assert Workplace.objects.filter(branch__isnull=False).count() == 68
    assert DataValue.objects.exists()
    assert Indicator.objects.filter(program__code="TLD-THONGKE").exists()
    assert Rollup.objects.exists()
    assert "organizations: 73 (" in output and "Loaded: {'organizations': 73, 'members': 5500" in output
    assert "Rollups: " in output


@on_postgresql
def test_every_branch_has_one_chair_among_its_members():
    build("--no-rollups")

    chairs = MemberRole.objects.filter(role=BranchRole.CHAIR).values("branch").annotate(n=Count("pk"))

    assert len(chairs) == 68 and {row["n"] for row in chairs} == {1}
    assert Member.objects.filter(role=BranchRole.CHAIR).count() == 68


@on_postgresql
def test_the_sequences_are_moved_past_the_copied_rows():
    build("--no-rollups")
    upper = Organization.objects.filter(level__code=Level.UPPER).first()

    branch = factories.make_branch(upper)
    member = factories.make_member(branch)

    assert branch.pk > Organization.objects.exclude(pk=branch.pk).order_by("-pk").values_list("pk", flat=True)[0]
    assert member.pk > Member.objects.exclude(pk=member.pk).order_by("-pk").values_list("pk", flat=True)[0]


@on_postgresql
def test_it_refuses_a_database_that_has_organizations():
    factories.make_organization(code="VN")

    with pytest.raises(CommandError, match="already has organizations"):
        build()


@pytest.mark.skipif(connection.vendor == "postgresql", reason="the refusal of any other database")
def test_it_refuses_a_database_other_than_postgresql():
    with pytest.raises(CommandError, match="run it on PostgreSQL"):
        build()


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_the_loaded_tables_are_vacuumed_as_autovacuum_would():
    output = build("--no-rollups")

    assert "VACUUM (ANALYZE) of the members and figures" in output
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, relallvisible FROM pg_class WHERE relname IN (%s, %s)",
            [Member._meta.db_table, MembershipPeriod._meta.db_table],
        )
        visible = dict(cursor.fetchall())
    assert visible[Member._meta.db_table] > 0 and visible[MembershipPeriod._meta.db_table] > 0


@on_postgresql
def test_inside_a_transaction_the_tables_are_left_as_loaded():
    assert "VACUUM (ANALYZE) skipped: inside a transaction" in build("--no-rollups")
