"""The plan of the demo members: every member of every base union of the demo hierarchy, with their history.

Quang Bình follows seed 000: 2,358 active members, 1,273 of them women (53,98 %), on the
program's baseline day (31/12/2020), spread over its 87 branches as the branches' workplaces
employed them; from 2021 the branches admit the staff their workplaces took on since, and a few
members leave, so the district grows year by year to 2024. The other branches get
most of their workers as members. Every branch has exactly one current chairperson,
elected at the 2022–2023 congresses, and an executive committee; some branches' former
chairs retired on that day. About 80 % of chairs and 60 % of executive members attended
a training. Members joined from 2005 to 2024; some transferred in from another branch
of their province, some have left or transferred out, so the counts "on a day" and "in
a period" come out different from year to year.

Deterministic: one `random.Random` per branch, seeded with its code, drawn from in a fixed
order (admissions, leavers, elections, committee, trainings). The plan satisfies the
history rules by construction (one open period and at most one open role per member, one
chair per branch, denormalized values in step), so demo.members writes it in bulk.
"""

from __future__ import annotations

import datetime
import itertools
import random
from collections import defaultdict
from dataclasses import dataclass, field

from members.models import BranchRole, Gender, MemberStatus
from organizations.models import Level

from .data.members import LEFT_REASONS, MEMBERSHIP_RATE, PROVINCE_PEOPLE, RETIRED, TRANSFERRED_REASONS
from .data.organizations import DISTRICTS, PROVINCES, District, OrganizationSpec
from .member_names import _weighted, full_name
from .organizations import build as build_organizations

SEED = "unionportal-demo-members"
AS_OF = datetime.date(2025, 6, 30)  # the demo's "today": nothing in it happens later
FIRST_JOIN = datetime.date(2005, 1, 1)
LAST_JOIN = datetime.date(2024, 12, 31)
# Seed 000's "hiện nay" (87 CĐCS, 2.358 members): the day before its program (2021–2025) begins.
BASELINE_END = datetime.date(2020, 12, 31)
# CĐCS congresses open a five-year term; those of the 2023–2028 term were held from autumn 2022 to mid-2023.
TERMS = (2008, 2013, 2018, 2023)
QUANG_BINH = "HG-QB"


def _day(rng: random.Random, start: datetime.date, end: datetime.date) -> datetime.date:
    if end <= start:
        return start
    return start + datetime.timedelta(days=rng.randint(0, (end - start).days))


def _years_before(day: datetime.date, years: int) -> datetime.date:
    return day.replace(year=day.year - years, day=min(day.day, 28))


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
    done = {(course, day) for course, day, _organizer in member.trainings}
    possible = [
        s
        for s in sessions
        if after <= s.day < end and (s.course, s.day) not in done and (s.for_chairs or not chair or rng.random() < 0.3)
    ]
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
    # Quang Bình's: the active members (and women) on BASELINE_END, seed 000's figures.
    baseline: int | None = None
    baseline_women: int | None = None


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
        plans[spec.parent].append(
            BranchPlan(
                spec=spec,
                active=workers,
                women=women,
                baseline=workplace.baseline_workers,
                baseline_women=workplace.baseline_women,
            )
        )
    return plans, branch_specs


# --- one district's members, branch by branch: admissions, leavers, elections, committee, trainings ---


@dataclass
class Cards:
    """The card numbers and citizen IDs of one district's members, numbered in the order they are planned."""

    province: str
    district_number: int  # the district's place in DISTRICTS, from 11
    id_prefix: str
    ethnicities: list[tuple[str, int]]
    sequence: int = 0

    def new_member(
        self, rng: random.Random, plan: BranchPlan, gender: str, joined_on: datetime.date, age_at_join: int
    ) -> PlannedMember:
        self.sequence += 1
        ethnicity = _weighted(rng, self.ethnicities)
        born = _years_before(joined_on, age_at_join) - datetime.timedelta(days=rng.randint(1, 360))
        century_and_sex = (0 if born.year < 2000 else 2) + (1 if gender == Gender.FEMALE else 0)
        # Most members have given their citizen ID; the number is unique by construction.
        citizen_id = (
            f"{self.id_prefix}{century_and_sex}{born.year % 100:02d}"
            f"{(self.district_number - 11) * 100_000 + self.sequence:06d}"
            if rng.random() < 0.85
            else None
        )
        return PlannedMember(
            card_number=f"{self.province}{self.district_number:02d}{self.sequence:06d}",
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


def _admissions(
    rng: random.Random,
    plan: BranchPlan,
    cards: Cards,
    *,
    opened: datetime.date,
    district: District,
    province_branches: list[OrganizationSpec],
    until: datetime.date = LAST_JOIN,
) -> list[PlannedMember]:
    """The branch's members who joined by `until`; a few of them transferred in from another branch of the province."""
    genders = [Gender.FEMALE] * plan.women + [Gender.MALE] * (plan.active - plan.women)
    rng.shuffle(genders)
    active: list[PlannedMember] = []
    for gender in genders:
        joined_on = _day(rng, opened, until)
        # Nobody active is past 58 by the demo's date.
        oldest = max(20, min(45, 58 - (AS_OF.year - joined_on.year)))
        member = cards.new_member(rng, plan, gender, joined_on, rng.randint(20, oldest))
        origins = []
        if rng.random() < 0.06 and joined_on < until - datetime.timedelta(days=400):
            origins = [
                b for b in province_branches if b.code != plan.spec.code and (b.founded_on or opened) <= joined_on
            ]
        if origins:
            # Chuyển sinh hoạt: the member started in another branch of the province.
            same_district = [b for b in origins if b.parent == district.code]
            origin = rng.choice(same_district if same_district and rng.random() < 0.7 else origins)
            moved_on = _day(rng, max(joined_on + datetime.timedelta(days=365), opened), until)
            member.periods = [
                (origin.code, joined_on, moved_on, ""),
                (plan.spec.code, moved_on, None, f"Chuyển sinh hoạt từ {origin.name}"),
            ]
        active.append(member)
    return active


def _leave(rng: random.Random, member: PlannedMember, left_on: datetime.date) -> None:
    """The member retires, leaves, or transfers out of the province on that day."""
    if member.date_of_birth <= _years_before(left_on, 55):
        member.status, member.status_reason = MemberStatus.LEFT, RETIRED
    elif rng.random() < 0.75:
        member.status, member.status_reason = MemberStatus.LEFT, rng.choice(LEFT_REASONS)
    else:
        member.status, member.status_reason = MemberStatus.TRANSFERRED, rng.choice(TRANSFERRED_REASONS)
    member.status_changed_on = left_on
    code, start, _end, note = member.periods[-1]
    member.periods[-1] = (code, start, left_on, note)


def _leavers(
    rng: random.Random, plan: BranchPlan, cards: Cards, *, opened: datetime.date, until: datetime.date = AS_OF
) -> list[PlannedMember]:
    """Former members of the branch who left by `until`: retired, left, or transferred out of the province."""
    leavers: list[PlannedMember] = []
    women_share = plan.women / plan.active if plan.active else 0.5
    last_join = min(LAST_JOIN, until) - datetime.timedelta(days=365)
    if last_join < opened:
        return leavers  # a branch too young to have lost anyone by `until`
    for _leaver in range(round(plan.active * rng.uniform(0.04, 0.10))):
        gender = Gender.FEMALE if rng.random() < women_share else Gender.MALE
        joined_on = _day(rng, opened, last_join)
        member = cards.new_member(rng, plan, gender, joined_on, rng.randint(20, 45))
        _leave(rng, member, _day(rng, joined_on + datetime.timedelta(days=180), until))
        leavers.append(member)
    return leavers


def _grown_branch(
    rng: random.Random,
    plan: BranchPlan,
    cards: Cards,
    *,
    opened: datetime.date,
    district: District,
    province_branches: list[OrganizationSpec],
) -> tuple[list[PlannedMember], list[PlannedMember]]:
    """A Quang Bình branch: exactly its baseline members (and women) on BASELINE_END, then growth.

    A few of the baseline members leave in 2021–2025; the newcomers of 2021–2024 make up for
    them and for the staff the workplace took on, so that today the branch has `plan.active`
    members (`plan.women` women). Returns (active today, former members).
    """
    assert plan.baseline is not None and plan.baseline_women is not None
    baseline = BranchPlan(plan.spec, plan.baseline, plan.baseline_women)
    at_baseline = _admissions(
        rng, baseline, cards, opened=opened, district=district, province_branches=province_branches, until=BASELINE_END
    )
    earlier = _leavers(rng, baseline, cards, opened=opened, until=BASELINE_END)
    later = rng.sample(at_baseline, k=round(len(at_baseline) * rng.uniform(0.02, 0.06)))
    for member in later:
        start = max(member.since + datetime.timedelta(days=180), BASELINE_END + datetime.timedelta(days=1))
        _leave(rng, member, _day(rng, start, AS_OF - datetime.timedelta(days=30)))
    later_women = sum(m.gender == Gender.FEMALE for m in later)
    newcomers = BranchPlan(
        plan.spec,
        plan.active - plan.baseline + len(later),
        plan.women - plan.baseline_women + later_women,
    )
    grown = _admissions(
        rng,
        newcomers,
        cards,
        opened=BASELINE_END + datetime.timedelta(days=1),
        district=district,
        province_branches=province_branches,
    )
    active = [m for m in at_baseline if m.status == MemberStatus.ACTIVE] + grown
    return active, earlier + later


def _step_down(
    rng: random.Random, chair: PlannedMember, since: datetime.date, until: datetime.date, sessions: list[Session]
) -> None:
    """A chair's term ends at a congress: the role record closes, and most chairs were trained during it."""
    chair.roles.append((BranchRole.CHAIR, since, until))
    if rng.random() < 0.7:
        _train(rng, chair, sessions, after=since, before=until, chair=True)


def _earlier_chairs(
    rng: random.Random, congresses: list[datetime.date], members: list[PlannedMember], sessions: list[Session]
) -> tuple[PlannedMember | None, datetime.date]:
    """The terms before today's: each congress re-elects the chair or elects another member who stays
    through the term. Returns the chair in office before the last congress, and since when."""
    chair: PlannedMember | None = None
    chair_since = congresses[-1]
    for elected, next_congress in itertools.pairwise(congresses):
        candidates = sorted(
            (
                m
                for m in members
                if max(elected, m.since) <= next_congress - datetime.timedelta(days=365)
                and (m.periods[-1][2] is None or m.periods[-1][2] >= next_congress)
            ),
            key=lambda m: (m.since, m.card_number),
        )
        if chair is not None and chair in candidates and rng.random() < 0.5:
            continue  # re-elected: the same role record runs on
        if chair is not None:
            _step_down(rng, chair, chair_since, elected, sessions)
            chair = None
        if candidates:
            chair = _elect(rng, candidates)
            chair_since = max(elected, chair.since)
    return chair, chair_since


def _elections(
    rng: random.Random, active: list[PlannedMember], leavers: list[PlannedMember], sessions: list[Session]
) -> tuple[PlannedMember, datetime.date]:
    """The chairs, term by term; the 2022–2023 congress elected today's, from the active members.
    Returns today's chair and the day of that congress."""
    congresses = [_day(rng, datetime.date(year - 1, 9, 1), datetime.date(year, 6, 30)) for year in TERMS]
    congress = congresses[-1]
    chair, chair_since = _earlier_chairs(rng, congresses, active + leavers, sessions)
    if chair is not None and chair in active and rng.random() < 0.4:
        pass  # re-elected in 2022–2023, chair since an earlier term
    else:
        outgoing = chair
        if outgoing is not None:
            _step_down(rng, outgoing, chair_since, congress, sessions)
        by_seniority = sorted((m for m in active if m is not outgoing), key=lambda m: (m.since, m.card_number))
        veterans = [m for m in by_seniority if m.since <= congress] or by_seniority[:1]
        chair = _elect(rng, veterans)
        chair_since = max(congress, chair.since)
    chair.roles.append((BranchRole.CHAIR, chair_since, None))
    return chair, congress


def _seat_committee(
    rng: random.Random, plan: BranchPlan, active: list[PlannedMember], chair: PlannedMember, congress: datetime.date
) -> None:
    """The rest of the executive committee, the inspection committee and the group leaders."""
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


# The chance that a member holding each role attended a training since taking it.
TRAINING_CHANCE = {
    BranchRole.CHAIR: 0.8,
    BranchRole.VICE_CHAIR: 0.6,
    BranchRole.EXECUTIVE: 0.6,
    BranchRole.INSPECTION: 0.5,
    BranchRole.GROUP_LEADER: 0.3,
    BranchRole.MEMBER: 0.05,
}


def _trainings(
    rng: random.Random, active: list[PlannedMember], sessions: list[Session], chances: dict = TRAINING_CHANCE
) -> None:
    for member in active:
        role = member.role
        if rng.random() < chances[role]:
            start = next((s for r, s, end in member.roles if end is None), member.joined_on)
            _train(rng, member, sessions, after=start, chair=role in (BranchRole.CHAIR, BranchRole.VICE_CHAIR))


def _district_members(
    district: District, branches: list[BranchPlan], province_branches: list[OrganizationSpec], province_name: str
) -> list[PlannedMember]:
    id_prefix, ethnicities = PROVINCE_PEOPLE[district.province]
    cards = Cards(district.province, DISTRICTS.index(district) + 11, id_prefix, ethnicities)
    sessions = _sessions(district, province_name)
    members: list[PlannedMember] = []
    # Seed 000 asks for every chair of Quang Bình to be trained ("100% Chủ tịch CĐCS … được tập huấn").
    chances = {**TRAINING_CHANCE, BranchRole.CHAIR: 0.97} if district.code == QUANG_BINH else TRAINING_CHANCE
    for plan in branches:
        rng = random.Random(f"{SEED}:{plan.spec.code}")
        opened = max(FIRST_JOIN, plan.spec.founded_on or FIRST_JOIN)
        if plan.baseline is not None:
            active, leavers = _grown_branch(
                rng, plan, cards, opened=opened, district=district, province_branches=province_branches
            )
        else:
            active = _admissions(
                rng, plan, cards, opened=opened, district=district, province_branches=province_branches
            )
            leavers = _leavers(rng, plan, cards, opened=opened)
        chair, congress = _elections(rng, active, leavers, sessions)
        _seat_committee(rng, plan, active, chair, congress)
        _trainings(rng, active, sessions, chances)
        members += active + leavers
    return members


def plan() -> list[PlannedMember]:
    """Every demo member with their history, in a fixed order."""
    plans, branch_specs = _branch_plans()
    province_names = {code: name for code, name, _founded in PROVINCES}
    members: list[PlannedMember] = []
    for district in DISTRICTS:
        # Nobody transfers out of Quang Bình to another district: its figures are seed 000's, on
        # the baseline day and after.
        province_branches = [
            spec
            for spec in branch_specs.values()
            if any(spec.parent == d.code for d in DISTRICTS if d.province == district.province)
            and (spec.parent != QUANG_BINH or district.code == QUANG_BINH)
        ]
        members += _district_members(
            district, plans[district.code], province_branches, province_names[district.province]
        )
    return members
