"""manage.py load_demo: the hierarchy of the seeds, their workplaces and the demo users, loaded idempotently."""

from __future__ import annotations

import datetime
import io
import re
from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Count, Sum

from organizations.models import (
    Assignment,
    Level,
    OperationKind,
    Organization,
    OrganizationStatus,
    RestructuringLink,
    RestructuringOperation,
    Role,
    Sector,
    Workplace,
    WorkplaceKind,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo")]

DEFAULT_PASSWORD = "unionportal-demo"
UPPER_LEVEL_UNIONS = {"HG-QB", "HG-BQ", "BP-PR", "DL-BMT", "DL-KP", "DL-EH", "QT-DH", "QT-VL", "QT-HL"}
USERS = {
    "tw": ("VN", Role.NATIONAL_OFFICER),
    "hagiang": ("HG", Role.PROVINCIAL_OFFICER),
    "quangbinh": ("HG-QB", Role.UPPER_STAFF),
    "phurieng": ("BP-PR", Role.UPPER_STAFF),
    "daklak": ("DL", Role.PROVINCIAL_OFFICER),
    "quangtri": ("QT", Role.PROVINCIAL_OFFICER),
}
KINDS_OF_SECTOR = {
    Sector.ADMINISTRATION: {WorkplaceKind.AGENCY, WorkplaceKind.PUBLIC_SERVICE},
    Sector.SCHOOL: {WorkplaceKind.SCHOOL},
    Sector.STATE_ENTERPRISE: {WorkplaceKind.STATE_ENTERPRISE},
    Sector.NON_STATE_ENTERPRISE: {WorkplaceKind.NON_STATE_ENTERPRISE, WorkplaceKind.FDI_ENTERPRISE},
    Sector.COOPERATIVE: {WorkplaceKind.COOPERATIVE},
}
PREFIX_OF_SECTOR = {
    Sector.ADMINISTRATION: "HC",
    Sector.SCHOOL: "TH",
    Sector.STATE_ENTERPRISE: "DN",
    Sector.NON_STATE_ENTERPRISE: "DN",
    Sector.COOPERATIVE: "HTX",
}


def load_demo(*args: str) -> str:
    """The demo before its 2025 reform, as the tests' demo (the reform: tests/demo/test_demo_reform.py)."""
    out = io.StringIO()
    call_command("load_demo", "--before-reform", *args, stdout=out)
    return out.getvalue()


def org(code: str) -> Organization:
    return Organization.objects.select_related("level").get(code=code)


def codes(queryset) -> set[str]:
    return set(queryset.values_list("code", flat=True))


def sector_counts(upper: Organization) -> dict[str, int]:
    # order_by(): the manager orders by path, which would split the GROUP BY per row.
    rows = Organization.objects.below(upper).base().active().order_by().values("sector").annotate(n=Count("id"))
    return {row["sector"]: row["n"] for row in rows}


def snapshot() -> dict[str, object]:
    User = get_user_model()
    return {
        "organizations": Organization.objects.count(),
        "workplaces": Workplace.objects.count(),
        "assignments": Assignment.objects.count(),
        "operations": RestructuringOperation.objects.count(),
        "links": RestructuringLink.objects.count(),
        "users": User.objects.count(),
        "passwords": dict(User.objects.values_list("username", "password")),
        "updated": dict(Organization.objects.values_list("code", "updated_at")),
    }


def test_it_creates_the_confederation_the_four_provinces_and_their_upper_level_unions():
    national = org("VN")
    assert national.level.code == Level.NATIONAL
    assert (national.name, national.short_name) == ("Tổng Liên đoàn Lao động Việt Nam", "Tổng LĐLĐ Việt Nam")
    assert codes(Organization.objects.at_level(Level.NATIONAL)) == {"VN"}
    assert codes(national.children()) == {"HG", "BP", "DL", "QT"}
    assert codes(Organization.objects.at_level(Level.PROVINCIAL)) == {"HG", "BP", "DL", "QT"}
    hagiang = org("HG")
    assert (hagiang.name, hagiang.short_name) == ("Liên đoàn Lao động tỉnh Hà Giang", "LĐLĐ tỉnh Hà Giang")

    assert codes(Organization.objects.at_level(Level.UPPER)) == UPPER_LEVEL_UNIONS
    for code in UPPER_LEVEL_UNIONS:
        assert org(code).parent().code == code.split("-")[0]
    quang_binh = org("HG-QB")
    assert (quang_binh.name, quang_binh.short_name) == (
        "Liên đoàn Lao động huyện Quang Bình",
        "LĐLĐ huyện Quang Bình",
    )
    assert codes(hagiang.children()) == {"HG-QB", "HG-BQ"}


def test_quang_binh_has_the_87_branches_of_seed_000():
    quang_binh = org("HG-QB")

    branches = Organization.objects.below(quang_binh)
    assert branches.count() == 87
    assert codes(branches.base().active()) == (
        {f"HG-QB-HC{n:02d}" for n in range(1, 43)} | {f"HG-QB-TH{n:02d}" for n in range(1, 45)} | {"HG-QB-HTX01"}
    )
    assert sector_counts(quang_binh) == {Sector.ADMINISTRATION: 42, Sector.SCHOOL: 44, Sector.COOPERATIVE: 1}
    assert org("HG-QB-HTX01").name == "CĐCS Hợp tác xã Quỹ tín dụng Xuân Giang"
    assert org("HG-QB-HTX01").sector == Sector.COOPERATIVE
    assert org("HG-QB-HC02").name == "CĐCS UBND xã Bằng Lang"
    assert org("HG-QB-HC01").name == "CĐCS UBND thị trấn Yên Bình"


def test_quang_binhs_branch_workplaces_employ_a_few_percent_more_than_seed_000s_2358_people_of_2020():
    totals = Workplace.objects.filter(branch__path__startswith=org("HG-QB").path).aggregate(
        workers=Sum("worker_count"), women=Sum("female_worker_count"), n=Count("id")
    )

    assert totals["n"] == 87
    assert 2358 * 1.03 <= totals["workers"] <= 2358 * 1.10 and 1273 * 1.02 <= totals["women"] <= 1273 * 1.11


def test_every_branch_has_one_workplace_of_its_sector_under_its_upper_level_union():
    branches = list(Organization.objects.base().select_related("level"))
    workplaces = Workplace.objects.filter(branch__isnull=False).select_related("branch", "upper_union")
    by_branch = Counter(w.branch.code for w in workplaces)

    # Quảng Trị's districts with the 14, 18 and 8 branches founded in 2021.
    assert len(branches) == 87 + 6 + 38 + 21 + 18 + 15 + (20 + 14) + (17 + 18) + (16 + 8)
    assert by_branch == Counter(b.code for b in branches)
    for workplace in workplaces:
        branch = workplace.branch
        assert workplace.upper_union.path == branch.parent_path, workplace.code
        assert workplace.kind in KINDS_OF_SECTOR[branch.sector], workplace.code
        assert 0 <= workplace.female_worker_count <= workplace.worker_count
        assert workplace.worker_count >= 5
        # Quảng Trị's founding wave of 2021 aside (seed 004: 30–35 new CĐCS a year).
        latest = datetime.date(2022, 1, 1) if branch.code.startswith("QT-") else datetime.date(2021, 1, 1)
        assert branch.founded_on < latest
        assert branch.founded_on >= workplace.upper_union.founded_on
    founded_2021 = [b for b in branches if b.founded_on >= datetime.date(2021, 1, 1)]
    assert len(founded_2021) == 40 and {b.code[:5] for b in founded_2021} == {"QT-DH", "QT-VL", "QT-HL"}
    schools = [w.worker_count for w in workplaces if w.kind == WorkplaceKind.SCHOOL]
    assert min(schools) >= 15
    assert max(schools) <= 65


def test_branch_codes_read_upper_level_union_then_sector_prefix_then_number():
    for branch in Organization.objects.base():
        upper, rest = branch.code.rsplit("-", 1)
        assert upper in UPPER_LEVEL_UNIONS
        assert re.fullmatch(rf"{PREFIX_OF_SECTOR[branch.sector]}\d{{2}}", rest), branch.code
        assert org(upper).path == branch.parent_path


def test_quang_binh_has_enterprises_with_five_or_more_workers_and_no_union():
    in_quang_binh = Workplace.objects.within(org("HG-QB")).enterprises()

    without_union = in_quang_binh.with_at_least(5).without_union()
    assert without_union.count() == 15
    assert set(without_union.values_list("kind", flat=True)) == {
        WorkplaceKind.NON_STATE_ENTERPRISE,
        WorkplaceKind.STATE_ENTERPRISE,
        WorkplaceKind.COOPERATIVE,
    }
    assert without_union.filter(name="Công ty TNHH Xây dựng Bằng Lang", worker_count__gte=5).exists()
    assert in_quang_binh.without_union().filter(worker_count__lt=5).count() == 4
    assert list(in_quang_binh.unionized().values_list("branch__code", flat=True)) == ["HG-QB-HTX01"]


@pytest.mark.parametrize("province", ["DL", "QT"])
def test_every_upper_level_union_of_dak_lak_and_quang_tri_has_branches_in_all_five_sectors(province):
    uppers = org(province).children()

    assert uppers.count() >= 3
    for upper in uppers:
        counts = sector_counts(upper)
        assert set(counts) == set(Sector.values), upper.code
        # Quảng Trị's districts founded 8 to 18 more in 2021.
        assert 10 <= sum(counts.values()) <= (25 if province == "DL" else 45), upper.code


def test_phu_rieng_has_non_state_enterprise_branches_for_seed_002():
    counts = sector_counts(org("BP-PR"))

    assert 25 <= sum(counts.values()) <= 40
    assert counts[Sector.NON_STATE_ENTERPRISE] == 8
    assert set(counts) == set(Sector.values)


def test_every_demo_user_has_its_assignment_and_the_default_password():
    User = get_user_model()

    for username, (code, role) in USERS.items():
        user = User.objects.get(username=username)
        assert list(user.assignments.values_list("organization__code", "role")) == [(code, role)]
        assert user.check_password(DEFAULT_PASSWORD), username
        assert user.first_name and not user.is_staff
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff
    assert admin.check_password(DEFAULT_PASSWORD)
    assert User.objects.count() == 7


def test_every_organization_is_recorded_as_created_on_its_founding_date():
    assert RestructuringOperation.objects.filter(kind=OperationKind.CREATE).count() == Organization.objects.count()
    branch = org("HG-QB-HTX01")
    link = branch.restructuring_links.get()
    assert (link.operation.kind, link.operation.effective_date) == (OperationKind.CREATE, branch.founded_on)
    assert link.new_parent.code == "HG-QB"


def test_running_it_twice_changes_nothing():
    before = snapshot()

    load_demo()

    assert snapshot() == before
    assert before["organizations"] == 1 + 4 + 9 + 238 + 40  # 40: Quảng Trị's branches of 2021
    assert Organization.objects.exclude(status=OrganizationStatus.ACTIVE).count() == 0


def test_the_password_option_changes_every_password():
    counts = {k: v for k, v in snapshot().items() if k not in ("passwords", "updated")}

    load_demo("--password", "mat-khau-moi")

    for user in get_user_model().objects.all():
        assert user.check_password("mat-khau-moi"), user.username
        assert not user.check_password(DEFAULT_PASSWORD), user.username
    assert {k: v for k, v in snapshot().items() if k not in ("passwords", "updated")} == counts
