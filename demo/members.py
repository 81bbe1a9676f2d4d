"""Demo members for every base union of the demo hierarchy (demo/organizations.py), with their history.

Quang Bình follows seed 000: 2,358 active members, 1,273 of them women (53,98 %), spread
over its 87 branches as the branches' workplaces employ them. The other branches get
most of their workers as members. Every branch has exactly one current chairperson,
elected at the 2022–2023 congresses, and an executive committee; some branches' former
chairs retired on that day. About 80 % of chairs and 60 % of executive members attended
a training. Members joined from 2005 to 2024; some transferred in from another branch
of their province, some have left or transferred out, so the counts "on a day" and "in
a period" come out different from year to year.

Deterministic: one `random.Random` per branch, seeded with its code. Idempotent: card
numbers are part of the plan, and a member whose card number exists is not created
again (nor their history). Fast: members and their history are written with bulk_create,
not through the services, which the plan satisfies by construction (one open period and
at most one open role per member, one chair per branch, denormalized values in step).
"""

from __future__ import annotations

import datetime
import itertools
import random
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TextIO

from django.db import transaction
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from members.models import BranchRole, Gender, Member, MemberRole, MembershipPeriod, MemberStatus, Training
from organizations.models import Level, Organization, Sector

from .data.organizations import DISTRICTS, PROVINCES, District, OrganizationSpec
from .organizations import build as build_organizations

SEED = "unionportal-demo-members"
AS_OF = datetime.date(2025, 6, 30)  # the demo's "today": nothing in it happens later
FIRST_JOIN = datetime.date(2005, 1, 1)
LAST_JOIN = datetime.date(2024, 12, 31)
# CĐCS congresses open a five-year term; those of the 2023–2028 term were held from autumn 2022 to mid-2023.
TERMS = (2008, 2013, 2018, 2023)
QUANG_BINH = "HG-QB"
BATCH = 1000
# The share of a workplace's workers who are members, by the branch's sector (outside Quang Bình).
MEMBERSHIP_RATE = {
    Sector.ADMINISTRATION: (0.85, 0.98),
    Sector.SCHOOL: (0.85, 0.98),
    Sector.STATE_ENTERPRISE: (0.70, 0.90),
    Sector.NON_STATE_ENTERPRISE: (0.45, 0.75),
    Sector.COOPERATIVE: (0.60, 0.90),
}

# Province → (the three digits citizen IDs start with, ethnicities and their weights).
PROVINCE_PEOPLE: dict[str, tuple[str, list[tuple[str, int]]]] = {
    "HG": ("002", [("Kinh", 35), ("Tày", 33), ("Dao", 15), ("Nùng", 9), ("H'Mông", 8)]),
    "BP": ("070", [("Kinh", 85), ("Stiêng", 15)]),
    "DL": ("066", [("Kinh", 80), ("Ê Đê", 20)]),
    "QT": ("045", [("Kinh", 86), ("Vân Kiều", 14)]),
}

KINH_FAMILIES = [
    ("Nguyễn", 30),
    ("Trần", 11),
    ("Lê", 9),
    ("Phạm", 7),
    ("Hoàng", 5),
    ("Vũ", 4),
    ("Đặng", 3),
    ("Bùi", 3),
    ("Đỗ", 3),
    ("Hồ", 2),
    ("Ngô", 2),
    ("Dương", 2),
    ("Lý", 1),
]
FAMILIES = {
    "Tày": [("Nông", 4), ("Hoàng", 4), ("Lục", 2)],
    "Nùng": [("Hoàng", 3), ("Nông", 3), ("Lục", 2), ("Lò", 1)],
    "Dao": [("Triệu", 6), ("Đặng", 2), ("Lý", 1)],
    "H'Mông": [("Giàng", 3), ("Sùng", 3), ("Vàng", 3), ("Lò", 1)],
    "Vân Kiều": [("Hồ", 6), ("Lê", 1)],
    "Stiêng": [("Điểu", 6), ("Lâm", 1)],
    "Ê Đê": [("Niê", 3), ("Mlô", 2), ("Êban", 2), ("Byă", 1), ("Ksor", 1), ("Ayun", 1)],
}
MALE_MIDDLE = ["Văn", "Văn", "Văn", "Đức", "Minh", "Quang", "Hữu", "Công", "Xuân", "Thanh", "Mạnh", "Ngọc", "Tiến"]
MALE_GIVEN = [
    "Hùng",
    "Dũng",
    "Tuấn",
    "Nam",
    "Long",
    "Thắng",
    "Cường",
    "Hải",
    "Sơn",
    "Trung",
    "Bình",
    "Quân",
    "Phong",
    "Tùng",
    "Khánh",
    "Đạt",
    "Hiếu",
    "Thành",
    "Toàn",
    "Vinh",
    "Huy",
    "Kiên",
    "Lâm",
    "Tâm",
    "Việt",
    "An",
    "Phúc",
    "Hưng",
    "Thịnh",
    "Quý",
    "Lợi",
    "Hoàn",
    "Chiến",
    "Tài",
    "Duy",
]
FEMALE_MIDDLE = ["Thị", "Thị", "Thị", "Thị", "Thu", "Ngọc", "Thanh", "Thùy", "Hồng", "Kim", "Phương", "Thị Thu"]
FEMALE_GIVEN = [
    "Lan",
    "Hương",
    "Hoa",
    "Mai",
    "Thảo",
    "Hằng",
    "Nga",
    "Linh",
    "Trang",
    "Huyền",
    "Phương",
    "Thủy",
    "Yến",
    "Dung",
    "Hạnh",
    "Loan",
    "Nhung",
    "Oanh",
    "Quyên",
    "Vân",
    "Hà",
    "Ngân",
    "Hiền",
    "Thúy",
    "Liên",
    "Chi",
    "Giang",
    "Anh",
    "Tuyết",
    "Hòa",
    "Lý",
    "Diệp",
]
HMONG_MALE_MIDDLE = ["A", "Seo", "Mí", "Văn"]
HMONG_MALE_GIVEN = ["Páo", "Chứ", "Sính", "Lử", "Dình", "Phừ", "Nhà", "Vư", "Pó"]
HMONG_FEMALE_GIVEN = ["Mỷ", "Dế", "Say", "Pà", "Chá", "Máy", "Sua", "Dua", "Mai"]
EDE_MALE_GIVEN = ["Bhin", "Khu", "Jut", "Nuên", "Thuôn", "Bliêng", "Hăn", "Kông", "Siu", "Wơn"]
EDE_FEMALE_GIVEN = ["Hen", "Lim", "Nga", "Yăm", "Blông", "Luôn", "Jen", "Bim", "Duôn", "Nhi"]

LEFT_REASONS = [
    "Nghỉ việc theo nguyện vọng cá nhân",
    "Chấm dứt hợp đồng lao động",
    "Thôi việc",
    "Xin ra khỏi tổ chức công đoàn",
]
RETIRED = "Nghỉ hưu theo chế độ"
TRANSFERRED_REASONS = ["Chuyển công tác ra ngoài tỉnh", "Chuyển công tác sang đơn vị ngoài địa bàn"]


def _weighted(rng: random.Random, items: list[tuple[str, int]]) -> str:
    return rng.choices([item for item, _weight in items], weights=[weight for _item, weight in items])[0]


def _day(rng: random.Random, start: datetime.date, end: datetime.date) -> datetime.date:
    if end <= start:
        return start
    return start + datetime.timedelta(days=rng.randint(0, (end - start).days))


def _years_before(day: datetime.date, years: int) -> datetime.date:
    return day.replace(year=day.year - years, day=min(day.day, 28))


def full_name(rng: random.Random, ethnicity: str, gender: str) -> str:
    """A name as written on a member card: family name first, except the Ê Đê's (Y Bhin Niê, H'Hen Niê)."""
    female = gender == Gender.FEMALE
    family = _weighted(rng, FAMILIES.get(ethnicity, KINH_FAMILIES))
    if ethnicity == "Ê Đê":
        return f"H'{rng.choice(EDE_FEMALE_GIVEN)} {family}" if female else f"Y {rng.choice(EDE_MALE_GIVEN)} {family}"
    if ethnicity == "H'Mông":
        if female:
            return f"{family} Thị {rng.choice(HMONG_FEMALE_GIVEN)}"
        return f"{family} {rng.choice(HMONG_MALE_MIDDLE)} {rng.choice(HMONG_MALE_GIVEN)}"
    if female:
        return f"{family} {rng.choice(FEMALE_MIDDLE)} {rng.choice(FEMALE_GIVEN)}"
    return f"{family} {rng.choice(MALE_MIDDLE)} {rng.choice(MALE_GIVEN)}"


# --- the plan ------------------------------------------------------------------------------------


@dataclass
class PlannedMember:
    card_number: str
    full_name: str
    gender: str
    date_of_birth: datetime.date
    ethnicity: str
    citizen_id: str | None
    joined_on: datetime.date
    card_issued_on: datetime.date
    branch: str  # where the member is now (or was last)
    periods: list[tuple[str, datetime.date, datetime.date | None, str]]  # branch, start, end, note
    status: str = MemberStatus.ACTIVE
    status_changed_on: datetime.date | None = None
    status_reason: str = ""
    roles: list[tuple[str, datetime.date, datetime.date | None]] = field(default_factory=list)  # role, start, end
    trainings: list[tuple[str, datetime.date, str]] = field(default_factory=list)  # course, day, organizer

    @property
    def since(self) -> datetime.date:
        """When the member's last period began: a role in this branch cannot start earlier."""
        return self.periods[-1][1]

    @property
    def role(self) -> str:
        return next((role for role, _start, end in self.roles if end is None), BranchRole.MEMBER)


@dataclass(frozen=True)
class Session:
    course: str
    day: datetime.date
    organizer: str
    for_chairs: bool


def _sessions(district: District, province_name: str) -> list[Session]:
    """The trainings a district's branch officers could attend: two a year, plus the province's."""
    rng = random.Random(f"{SEED}:sessions:{district.code}")
    sessions = []
    for year in range(2016, AS_OF.year + 1):
        spring = _day(rng, datetime.date(year, 3, 10), datetime.date(year, 5, 25))
        autumn = _day(rng, datetime.date(year, 9, 10), datetime.date(year, 11, 25))
        sessions.append(
            Session(
                f"Bồi dưỡng nghiệp vụ cho Chủ tịch, Phó Chủ tịch CĐCS năm {year}", spring, district.short_name, True
            )
        )
        sessions.append(
            Session(
                f"Tập huấn kỹ năng hoạt động công đoàn cho cán bộ CĐCS năm {year}",
                autumn,
                f"LĐLĐ tỉnh {province_name}",
                False,
            )
        )
    return [session for session in sessions if session.day <= AS_OF]


def _train(
    rng: random.Random,
    member: PlannedMember,
    sessions: list[Session],
    *,
    after: datetime.date,
    before: datetime.date | None = None,
    chair: bool = False,
) -> None:
    """One or two sessions the member could have attended from `after` (until `before`, while a member)."""
    end = min(before or AS_OF, member.status_changed_on or AS_OF)
    possible = [s for s in sessions if after <= s.day < end and (s.for_chairs or not chair or rng.random() < 0.3)]
    if not possible:
        return
    chosen = rng.sample(possible, k=min(len(possible), 2 if rng.random() < 0.3 else 1))
    for session in sorted(chosen, key=lambda s: s.day):
        member.trainings.append((session.course, session.day, session.organizer))


def _elect(rng: random.Random, seniors: list[PlannedMember]) -> PlannedMember:
    """A chair among the longest-serving third: the eldest of three of them."""
    pool = seniors[: max(3, len(seniors) // 3)]
    return min(rng.sample(pool, k=min(3, len(pool))), key=lambda m: (m.date_of_birth, m.card_number))


@dataclass
class BranchPlan:
    spec: OrganizationSpec
    active: int
    women: int


def _branch_plans() -> tuple[dict[str, list[BranchPlan]], dict[str, OrganizationSpec]]:
    """For every district, its branches with how many active members (and women) each gets."""
    organization_specs, workplace_specs = build_organizations()
    branch_specs = {spec.code: spec for spec in organization_specs if spec.level == Level.BASE}
    plans: dict[str, list[BranchPlan]] = defaultdict(list)
    for workplace in workplace_specs:
        if workplace.branch is None:
            continue
        spec = branch_specs[workplace.branch]
        workers, women = workplace.worker_count, workplace.female_worker_count
        if spec.parent != QUANG_BINH:
            # Quang Bình's figures are seed 000's and stay exact; elsewhere most workers of the
            # public sector join the union, fewer of the enterprises'.
            rng = random.Random(f"{SEED}:size:{spec.code}")
            share = women / workers
            workers = max(5, round(workers * rng.uniform(*MEMBERSHIP_RATE[spec.sector])))
            women = round(workers * share)
        plans[spec.parent].append(BranchPlan(spec=spec, active=workers, women=women))
    return plans, branch_specs


def _district_members(
    district: District, branches: list[BranchPlan], province_branches: list[OrganizationSpec], province_name: str
) -> list[PlannedMember]:
    province = district.province
    id_prefix, ethnicities = PROVINCE_PEOPLE[province]
    district_number = DISTRICTS.index(district) + 11
    sequence = 0
    sessions = _sessions(district, province_name)
    members: list[PlannedMember] = []

    def new_member(rng: random.Random, plan: BranchPlan, gender: str, joined_on: datetime.date, age_at_join: int):
        nonlocal sequence
        sequence += 1
        ethnicity = _weighted(rng, ethnicities)
        born = _years_before(joined_on, age_at_join) - datetime.timedelta(days=rng.randint(1, 360))
        century_and_sex = (0 if born.year < 2000 else 2) + (1 if gender == Gender.FEMALE else 0)
        # Most members have given their citizen ID; the number is unique by construction.
        citizen_id = (
            f"{id_prefix}{century_and_sex}{born.year % 100:02d}{(district_number - 11) * 100_000 + sequence:06d}"
            if rng.random() < 0.85
            else None
        )
        return PlannedMember(
            card_number=f"{province}{district_number:02d}{sequence:06d}",
            full_name=full_name(rng, ethnicity, gender),
            gender=gender,
            date_of_birth=born,
            ethnicity=ethnicity,
            citizen_id=citizen_id,
            joined_on=joined_on,
            card_issued_on=min(joined_on + datetime.timedelta(days=rng.randint(15, 120)), AS_OF),
            branch=plan.spec.code,
            periods=[(plan.spec.code, joined_on, None, "")],
        )

    for plan in branches:
        rng = random.Random(f"{SEED}:{plan.spec.code}")
        opened = max(FIRST_JOIN, plan.spec.founded_on or FIRST_JOIN)
        genders = [Gender.FEMALE] * plan.women + [Gender.MALE] * (plan.active - plan.women)
        rng.shuffle(genders)
        active: list[PlannedMember] = []
        for gender in genders:
            joined_on = _day(rng, opened, LAST_JOIN)
            # Nobody active is past 58 by the demo's date.
            oldest = max(20, min(45, 58 - (AS_OF.year - joined_on.year)))
            member = new_member(rng, plan, gender, joined_on, rng.randint(20, oldest))
            origins = []
            if rng.random() < 0.06 and joined_on < LAST_JOIN - datetime.timedelta(days=400):
                origins = [
                    b for b in province_branches if b.code != plan.spec.code and (b.founded_on or opened) <= joined_on
                ]
            if origins:
                # Chuyển sinh hoạt: the member started in another branch of the province.
                same_district = [b for b in origins if b.parent == district.code]
                origin = rng.choice(same_district if same_district and rng.random() < 0.7 else origins)
                moved_on = _day(rng, max(joined_on + datetime.timedelta(days=365), opened), LAST_JOIN)
                member.periods = [
                    (origin.code, joined_on, moved_on, ""),
                    (plan.spec.code, moved_on, None, f"Chuyển sinh hoạt từ {origin.name}"),
                ]
            active.append(member)

        leavers: list[PlannedMember] = []
        women_share = plan.women / plan.active if plan.active else 0.5
        for _leaver in range(round(plan.active * rng.uniform(0.04, 0.10))):
            gender = Gender.FEMALE if rng.random() < women_share else Gender.MALE
            joined_on = _day(rng, opened, LAST_JOIN - datetime.timedelta(days=365))
            member = new_member(rng, plan, gender, joined_on, rng.randint(20, 45))
            left_on = _day(rng, joined_on + datetime.timedelta(days=180), AS_OF)
            if member.date_of_birth <= _years_before(left_on, 55):
                member.status, member.status_reason = MemberStatus.LEFT, RETIRED
            elif rng.random() < 0.75:
                member.status, member.status_reason = MemberStatus.LEFT, rng.choice(LEFT_REASONS)
            else:
                member.status, member.status_reason = MemberStatus.TRANSFERRED, rng.choice(TRANSFERRED_REASONS)
            member.status_changed_on = left_on
            member.periods = [(plan.spec.code, joined_on, left_on, "")]
            leavers.append(member)

        # Chairs, term by term: each congress re-elects the chair or elects another member who
        # stays through the term; the 2022–2023 congress elected today's, from the active members.
        congresses = [_day(rng, datetime.date(year - 1, 9, 1), datetime.date(year, 6, 30)) for year in TERMS]
        congress = congresses[-1]
        chair: PlannedMember | None = None
        chair_since = congress
        for elected, next_congress in itertools.pairwise(congresses):
            candidates = sorted(
                (
                    m
                    for m in active + leavers
                    if max(elected, m.since) <= next_congress - datetime.timedelta(days=365)
                    and (m.periods[-1][2] is None or m.periods[-1][2] >= next_congress)
                ),
                key=lambda m: (m.since, m.card_number),
            )
            if chair is not None and chair in candidates and rng.random() < 0.5:
                continue  # re-elected: the same role record runs on
            if chair is not None:
                chair.roles.append((BranchRole.CHAIR, chair_since, elected))
                if rng.random() < 0.7:
                    _train(rng, chair, sessions, after=chair_since, before=elected, chair=True)
                chair = None
            if candidates:
                chair = _elect(rng, candidates)
                chair_since = max(elected, chair.since)
        if chair is not None and chair in active and rng.random() < 0.4:
            pass  # re-elected in 2022–2023, chair since an earlier term
        else:
            outgoing = chair
            if outgoing is not None:
                outgoing.roles.append((BranchRole.CHAIR, chair_since, congress))
                if rng.random() < 0.7:
                    _train(rng, outgoing, sessions, after=chair_since, before=congress, chair=True)
            by_seniority = sorted((m for m in active if m is not outgoing), key=lambda m: (m.since, m.card_number))
            veterans = [m for m in by_seniority if m.since <= congress] or by_seniority[:1]
            chair = _elect(rng, veterans)
            chair_since = max(congress, chair.since)
        chair.roles.append((BranchRole.CHAIR, chair_since, None))

        # The rest of the executive committee, the inspection committee and the group leaders.
        seats = [
            (BranchRole.VICE_CHAIR, (plan.active >= 8) + (plan.active >= 60)),
            (BranchRole.EXECUTIVE, 1 + (plan.active >= 8) + (plan.active >= 20) + (plan.active >= 50)),
            (BranchRole.INSPECTION, (plan.active >= 15) + (plan.active >= 60)),
            (BranchRole.GROUP_LEADER, plan.active // 25),
        ]
        others = [m for m in active if m is not chair]
        rng.shuffle(others)
        for role, count in seats:
            for member in others[:count]:
                member.roles.append((role, max(congress, member.since), None))
            others = others[count:]

        chance = {
            BranchRole.CHAIR: 0.8,
            BranchRole.VICE_CHAIR: 0.6,
            BranchRole.EXECUTIVE: 0.6,
            BranchRole.INSPECTION: 0.5,
            BranchRole.GROUP_LEADER: 0.3,
            BranchRole.MEMBER: 0.05,
        }
        for member in active:
            role = member.role
            if rng.random() < chance[role]:
                start = next((s for r, s, end in member.roles if end is None), member.joined_on)
                _train(rng, member, sessions, after=start, chair=role in (BranchRole.CHAIR, BranchRole.VICE_CHAIR))
        members += active + leavers
    return members


def plan() -> list[PlannedMember]:
    """Every demo member with their history, in a fixed order."""
    plans, branch_specs = _branch_plans()
    province_names = {code: name for code, name, _founded in PROVINCES}
    members: list[PlannedMember] = []
    for district in DISTRICTS:
        province_branches = [
            spec
            for spec in branch_specs.values()
            if any(spec.parent == d.code for d in DISTRICTS if d.province == district.province)
        ]
        members += _district_members(
            district, plans[district.code], province_branches, province_names[district.province]
        )
    return members


# --- loading ---------------------------------------------------------------------------------------


def _say(stdout: TextIO | None, message: str) -> None:
    if stdout is not None:
        stdout.write(message + "\n")


@transaction.atomic
def load(*, password: str = "", stdout: TextIO | None = None) -> None:
    """Create the demo members that do not exist yet (by card number), with their history."""
    planned = plan()
    existing = set(Member.objects.values_list("card_number", flat=True))
    new = [m for m in planned if m.card_number not in existing]
    if new:
        taken_ids = set(Member.objects.filter(citizen_id__isnull=False).values_list("citizen_id", flat=True))
        codes = {code for m in new for code, *_rest in m.periods}
        branches = {o.code: o for o in Organization.objects.filter(code__in=codes)}
        rows = [
            Member(
                card_number=m.card_number,
                full_name=m.full_name,
                gender=m.gender,
                date_of_birth=m.date_of_birth,
                ethnicity=m.ethnicity,
                citizen_id=m.citizen_id if m.citizen_id not in taken_ids else None,
                card_issued_on=m.card_issued_on,
                joined_on=m.joined_on,
                status=m.status,
                status_changed_on=m.status_changed_on,
                status_reason=m.status_reason,
                branch=branches[m.periods[-1][0]],
                role=m.role,
                last_trained_on=max((day for _course, day, _org in m.trainings), default=None),
            )
            for m in new
        ]
        Member.objects.bulk_create(rows, batch_size=BATCH)
        if any(row.pk is None for row in rows):  # a database that returns no ids from a bulk insert
            ids = dict(
                Member.objects.filter(card_number__in=[m.card_number for m in new]).values_list("card_number", "pk")
            )
            for row in rows:
                row.pk = ids[row.card_number]
        MembershipPeriod.objects.bulk_create(
            [
                MembershipPeriod(member=row, branch=branches[code], start_on=start, end_on=end, note=note)
                for m, row in zip(new, rows, strict=True)
                for code, start, end, note in m.periods
            ],
            batch_size=BATCH,
        )
        MemberRole.objects.bulk_create(
            [
                MemberRole(member=row, branch=row.branch, role=role, start_on=start, end_on=end)
                for m, row in zip(new, rows, strict=True)
                for role, start, end in m.roles
            ],
            batch_size=BATCH,
        )
        Training.objects.bulk_create(
            [
                Training(member=row, course=course, trained_on=day, organizer=organizer)
                for m, row in zip(new, rows, strict=True)
                for course, day, organizer in m.trainings
            ],
            batch_size=BATCH,
        )
    _say(
        stdout,
        _("Members: %(total)s, %(created)s of them new.")
        % {
            "total": number_format(len(planned), force_grouping=True),
            "created": number_format(len(new), force_grouping=True),
        },
    )
