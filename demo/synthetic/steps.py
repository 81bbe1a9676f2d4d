"""The steps of the synthetic nation: each generates one or two tables' rows and streams them to COPY.

A step takes the plan (`Nation`) and returns what it loaded, for the progress line. Rows
are COPY's text format, generated lazily: memory stays flat whatever the scale.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.db import connection

from indicators.models import DataElement, ReportingPeriod
from unionportal.pgcopy import LineStream

from ..periods import saved_period
from .nation import Nation

NOW = "2025-01-01 00:00:00+07"  # created_at and updated_at of every row
KIND_OF_SECTOR = {
    "hcsn": "agency",
    "school": "school",
    "state_enterprise": "state_enterprise",
    "non_state_enterprise": "non_state_enterprise",
    "cooperative": "cooperative",
}
YEARS = range(2020, 2025)
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý"]
MIDDLE = ["Văn", "Thị", "Hữu", "Đức", "Thanh", "Minh", "Ngọc", "Quang"]
GIVEN = [
    "An",
    "Bình",
    "Chi",
    "Dũng",
    "Giang",
    "Hà",
    "Hải",
    "Hương",
    "Lan",
    "Long",
    "Mai",
    "Nam",
    "Phương",
    "Quân",
    "Tâm",
]
FIRST_JOIN = datetime.date(2005, 1, 1).toordinal()
JOIN_SPAN = datetime.date(2024, 12, 31).toordinal() - FIRST_JOIN
OFFICERS = 5  # per branch: the chair and four executive members, the first members by id
GRADES = ["excellent", "good", "good", "good", "done", "good", "excellent", "good", "good", "failed"]
YES_NO_ELEMENTS = ("workers_conference", "legal_consultation", "mutual_aid_fund", "womens_committee")


def _copy(table: str, columns: list[str], lines: Iterator[str]) -> None:
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(
            f"COPY {table} ({', '.join(columns)}) FROM STDIN WITH (FORMAT text)", LineStream(lines), size=1 << 20
        )


def _move_sequence(table: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))")  # noqa: S608


def _d(day: datetime.date | None) -> str:
    return "\\N" if day is None else day.isoformat()


def _joined(member: int) -> datetime.date:
    return datetime.date.fromordinal(FIRST_JOIN + (member * 7919) % JOIN_SPAN)


def _left(member: int, joined: datetime.date) -> datetime.date | None:
    """One member in twenty has left, some years after joining (none after 2024)."""
    if member % 20:
        return None
    day = joined + datetime.timedelta(days=200 + member % 2000)
    return day if day.year <= 2024 else None


def _trained(member: int) -> datetime.date | None:
    """Seven officers in ten were trained, in the June of one of 2021–2024."""
    return datetime.date(2021 + member % 4, 6, 1) if member % 10 < 7 else None


# --- organizations and workplaces ------------------------------------------------------------------

ORGANIZATION_COLUMNS = [
    "id",
    "path",
    "depth",
    "numchild",
    "code",
    "name",
    "short_name",
    "level_id",
    "sector",
    "founded_on",
    "dissolved_on",
    "status",
    "address",
    "created_at",
    "updated_at",
]


def _organization_lines(nation: Nation) -> Iterator[str]:
    for body in nation.bodies:
        yield (
            f"{body.id}\t{body.path}\t{body.depth}\t{body.children}\t{body.code}\t{body.name}\t"
            f"\t{nation.levels[body.level]}\t{body.sector}\t{_d(body.founded_on)}\t\\N\tactive\t\t{NOW}\t{NOW}\n"
        )


def organizations(nation: Nation) -> str:
    _copy("organizations_organization", ORGANIZATION_COLUMNS, _organization_lines(nation))
    _move_sequence("organizations_organization")
    return f"organizations: {len(nation.bodies):,}"


WORKPLACE_COLUMNS = [
    "code",
    "name",
    "kind",
    "worker_count",
    "female_worker_count",
    "upper_union_id",
    "branch_id",
    "address",
    "tax_code",
    "created_at",
    "updated_at",
]


def _workplace_lines(nation: Nation) -> Iterator[str]:
    rng = nation.rng
    for n, branch in enumerate(nation.branches, start=1):
        district = nation.districts[branch.district]
        workers = rng.randint(8, 120)
        yield (
            f"W{branch.id}\tĐơn vị {branch.name[5:]}\t{KIND_OF_SECTOR[branch.sector]}\t{workers}\t{workers // 2}"
            f"\t{district.id}\t{branch.id}\t\t\t{NOW}\t{NOW}\n"
        )
        if n % 3 == 0:  # an enterprise without a union beside every third branch
            workers = rng.randint(3, 60)
            yield (
                f"N{branch.id}\tCông ty TNHH số {branch.id}\tnon_state_enterprise\t{workers}\t{workers // 3}"
                f"\t{district.id}\t\\N\t\t\t{NOW}\t{NOW}\n"
            )


def workplaces(nation: Nation) -> str:
    _copy("organizations_workplace", WORKPLACE_COLUMNS, _workplace_lines(nation))
    return "workplaces"


# --- members and their history ---------------------------------------------------------------------

MEMBER_COLUMNS = [
    "id",
    "card_number",
    "full_name",
    "gender",
    "date_of_birth",
    "ethnicity",
    "citizen_id",
    "card_issued_on",
    "joined_on",
    "status",
    "status_changed_on",
    "status_reason",
    "branch_id",
    "role",
    "last_trained_on",
    "created_at",
    "updated_at",
]


def _role(member: int, ids: range) -> str:
    if member == ids.start:
        return "chair"
    return "executive" if member < ids.start + OFFICERS else "member"


def _member_lines(nation: Nation) -> Iterator[str]:
    for branch, ids in zip(nation.branches, nation.members, strict=True):
        for mid in ids:
            joined = _joined(mid)
            left = _left(mid, joined)
            gender = "female" if mid % 100 < 54 else "male"
            role = _role(mid, ids)
            trained = _trained(mid) if role != "member" else None
            name = f"{FAMILY[mid % 13]} {MIDDLE[mid % 8]} {GIVEN[mid % 15]}"
            born = datetime.date(1965 + mid % 35, 1 + mid % 12, 1 + mid % 28)
            status = "left" if left else "active"
            yield (
                f"{mid}\tS{mid:09d}\t{name}\t{gender}\t{born.isoformat()}\tKinh\t\\N\t\\N\t{joined.isoformat()}"
                f"\t{status}\t{_d(left)}\t\t{branch.id}\t{role}\t{_d(trained)}\t{NOW}\t{NOW}\n"
            )


def members(nation: Nation) -> str:
    _copy("members_member", MEMBER_COLUMNS, _member_lines(nation))
    _move_sequence("members_member")
    return f"members: {nation.member_count:,}"


def _period_lines(nation: Nation) -> Iterator[str]:
    for branch, ids in zip(nation.branches, nation.members, strict=True):
        for mid in ids:
            joined = _joined(mid)
            yield f"{mid}\t{branch.id}\t{joined.isoformat()}\t{_d(_left(mid, joined))}\t\n"


def membership_periods(nation: Nation) -> str:
    _copy("members_membershipperiod", ["member_id", "branch_id", "start_on", "end_on", "note"], _period_lines(nation))
    return "membership periods"


def _role_lines(nation: Nation) -> Iterator[str]:
    for branch, ids in zip(nation.branches, nation.members, strict=True):
        for mid in ids[:OFFICERS]:
            joined = _joined(mid)
            yield f"{mid}\t{branch.id}\t{_role(mid, ids)}\t{joined.isoformat()}\t{_d(_left(mid, joined))}\n"


def _training_lines(nation: Nation) -> Iterator[str]:
    for ids in nation.members:
        for mid in ids[:OFFICERS]:
            if trained := _trained(mid):
                yield f"{mid}\tTập huấn nghiệp vụ công tác công đoàn\t{trained.isoformat()}\tLĐLĐ huyện\n"


def roles_and_trainings(nation: Nation) -> str:
    _copy("members_memberrole", ["member_id", "branch_id", "role", "start_on", "end_on"], _role_lines(nation))
    _copy("members_training", ["member_id", "course", "trained_on", "organizer"], _training_lines(nation))
    return "roles and trainings"


# --- reported figures ------------------------------------------------------------------------------


def _value_lines(nation: Nation, periods: list[ReportingPeriod], elements: dict[str, int]) -> Iterator[str]:
    """Every branch's yes/no answers and rating for each year, its party introductions for every
    period, and each upper-level union's union houses for each year."""
    for period in periods:
        annual = period.half is None
        for branch in nation.branches:
            oid = branch.id
            salt = oid * 31 + period.year
            if annual:
                yield f"{elements['rating_1294']}\t{oid}\t{period.pk}\t\\N\t\\N\t{GRADES[salt % 10]}\t1\t{NOW}\n"
                for offset, code in enumerate(YES_NO_ELEMENTS):
                    yes = "t" if (salt + offset) % 10 < 9 else "f"
                    yield f"{elements[code]}\t{oid}\t{period.pk}\t\\N\t{yes}\t\t1\t{NOW}\n"
            yield f"{elements['party_introductions']}\t{oid}\t{period.pk}\t{salt % 3}\t\\N\t\t1\t{NOW}\n"
        for district in nation.districts:
            if annual:
                yield f"{elements['union_houses']}\t{district.id}\t{period.pk}\t{district.id % 7 + 2}\t\\N\t\t1\t{NOW}\n"


def figures(nation: Nation) -> str:
    periods = [saved_period(str(year)) for year in YEARS]
    periods += [saved_period(f"{year}-H1") for year in YEARS]
    elements = {e.code: e.pk for e in DataElement.objects.all()}
    _copy(
        "indicators_datavalue",
        ["element_id", "organization_id", "period_id", "number", "boolean", "choice", "version", "updated_at"],
        _value_lines(nation, periods, elements),
    )
    return "reported figures"
