"""A synthetic national dataset for the benchmarks, loaded with PostgreSQL's COPY.

At scale 1: the confederation, 34 provinces, 700 upper-level unions, 135,000 base
unions, 11 million members with their membership periods, officers with roles and
trainings, a workplace per branch plus enterprises without a union, and five years
(2020–2024) of reported figures. `scale` shrinks everything below the provinces
for quick runs. Deterministic: the same scale gives the same data.

Rows are generated in Python and streamed to COPY through a file-like object, so
memory stays flat whatever the scale; ids are assigned here (and the sequences
moved past them) so child rows can point at their parents without a round trip.
"""

from __future__ import annotations

import datetime
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.db import connection, transaction

from audit.context import paused as audit_paused
from indicators.models import DataElement, ReportingPeriod
from organizations.models import Level, Organization
from unionportal.pgcopy import LineStream

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
SECTORS = ["hcsn", "school", "state_enterprise", "non_state_enterprise", "cooperative"]
SECTOR_WEIGHTS = [0.33, 0.30, 0.07, 0.25, 0.05]
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


@dataclass(frozen=True)
class Sizes:
    provinces: int
    districts: int
    branches: int
    members: int

    @classmethod
    def at(cls, scale: float) -> Sizes:
        provinces = 34 if scale >= 0.05 else max(2, round(680 * scale))
        districts = max(provinces, round(700 * scale))
        branches = max(districts, round(135_000 * scale))
        return cls(provinces, districts, branches, max(branches, round(11_000_000 * scale)))


def step(n: int) -> str:
    digits = ""
    while True:
        n, r = divmod(n, 36)
        digits = ALPHABET[r] + digits
        if n == 0:
            break
    return digits.rjust(Organization.steplen, "0")


def district_sizes(branches: int, districts: int) -> list[int]:
    """Branches per upper-level union: uneven, as real ones are (Quang Bình has 87 CĐCS, a city
    district several hundred), from 0.3 to 1.7 times the mean, adding up to `branches` exactly."""
    weights = [0.3 + 1.4 * ((i * 0.6180339887) % 1) for i in range(districts)]
    total = sum(weights)
    sizes = [max(1, int(branches * w / total)) for w in weights]
    short = branches - sum(sizes)
    largest_first = sorted(range(districts), key=lambda i: -weights[i])
    for i in largest_first[: max(short, 0)]:
        sizes[i] += 1
    for i in largest_first[: max(-short, 0)]:  # only when a floor of one branch overshot
        sizes[i] -= 1
    return sizes


def _copy(table: str, columns: list[str], lines: Iterator[str]) -> None:
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(
            f"COPY {table} ({', '.join(columns)}) FROM STDIN WITH (FORMAT text)", LineStream(lines), size=1 << 20
        )


def _next_id(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")  # noqa: S608 - table names are constants here
        return cursor.fetchone()[0]


def _move_sequence(table: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))")  # noqa: S608


def _d(day: datetime.date | None) -> str:
    return "\\N" if day is None else day.isoformat()


def build(scale: float = 1.0, *, say: Callable[[str], None] = print) -> dict[str, int]:
    """Load the dataset into an empty hierarchy (no organization may exist yet)."""
    if connection.vendor != "postgresql":
        raise RuntimeError("The synthetic dataset is loaded with COPY: run it on PostgreSQL.")
    if Organization.objects.exists():
        raise RuntimeError("The database already has organizations: build the dataset in an empty database.")
    sizes = Sizes.at(scale)
    rng = random.Random(f"synthetic-{scale}")
    levels = dict(Level.objects.values_list("code", "pk"))
    now = "2025-01-01 00:00:00+07"
    counts: dict[str, int] = {}
    started = time.perf_counter()

    # Machine-made data is not anyone's work: the audit trail would only double the load.
    with transaction.atomic(), audit_paused():
        # --- organizations ---------------------------------------------------------------
        org_id = _next_id("organizations_organization")
        root_path = step(1)
        rows: list[tuple] = []  # (id, path, depth, numchild, code, name, level, sector)
        root_id = org_id
        rows.append((root_id, root_path, 1, sizes.provinces, "VN", "Tổng Liên đoàn Lao động Việt Nam", "national", ""))
        province_rows, district_rows = [], []
        districts_per = [
            sizes.districts // sizes.provinces + (1 if i < sizes.districts % sizes.provinces else 0)
            for i in range(sizes.provinces)
        ]
        branch_total = 0
        next_id = org_id + 1
        for p in range(sizes.provinces):
            p_path = root_path + step(p + 1)
            p_id = next_id
            next_id += 1
            province_rows.append(
                (p_id, p_path, 2, districts_per[p], f"T{p + 1:02d}", f"LĐLĐ tỉnh Tổng hợp {p + 1}", "provincial", "")
            )
            for d in range(districts_per[p]):
                district_rows.append(
                    [
                        next_id,
                        p_path + step(d + 1),
                        3,
                        0,
                        f"T{p + 1:02d}-H{d + 1:02d}",
                        f"LĐLĐ huyện {d + 1} tỉnh {p + 1}",
                        "upper",
                        "",
                    ]
                )
                next_id += 1
        per_district = district_sizes(sizes.branches, len(district_rows))
        branch_rows = []
        for index, district in enumerate(district_rows):
            district[3] = per_district[index]
            for b in range(per_district[index]):
                sector = rng.choices(SECTORS, SECTOR_WEIGHTS)[0]
                branch_rows.append(
                    (
                        next_id,
                        district[1] + step(b + 1),
                        4,
                        0,
                        f"{district[4]}-{b + 1:04d}",
                        f"CĐCS đơn vị {b + 1} {district[5][5:]}",
                        "base",
                        sector,
                        index,
                    )
                )
                next_id += 1
                branch_total += 1
        founded = datetime.date(2010, 1, 1)

        def org_lines() -> Iterator[str]:
            for row in [*rows, *province_rows, *[tuple(r) for r in district_rows]]:
                yield f"{row[0]}\t{row[1]}\t{row[2]}\t{row[3]}\t{row[4]}\t{row[5]}\t\t{levels[row[6]]}\t{row[7]}\t{_d(founded)}\t\\N\tactive\t\t{now}\t{now}\n"
            for row in branch_rows:
                year = 2010 + (row[0] % 15)
                yield f"{row[0]}\t{row[1]}\t{row[2]}\t0\t{row[4]}\t{row[5]}\t\t{levels['base']}\t{row[7]}\t{_d(datetime.date(year, 1 + row[0] % 12, 1))}\t\\N\tactive\t\t{now}\t{now}\n"

        _copy(
            "organizations_organization",
            [
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
            ],
            org_lines(),
        )
        _move_sequence("organizations_organization")
        counts["organizations"] = 1 + len(province_rows) + len(district_rows) + branch_total
        say(f"organizations: {counts['organizations']:,} ({time.perf_counter() - started:.0f} s)")

        # --- workplaces --------------------------------------------------------------------
        def workplace_lines() -> Iterator[str]:
            for n, row in enumerate(branch_rows, start=1):
                district = district_rows[row[8]]
                workers = rng.randint(8, 120)
                yield f"W{row[0]}\tĐơn vị {row[5][5:]}\t{KIND_OF_SECTOR[row[7]]}\t{workers}\t{workers // 2}\t{district[0]}\t{row[0]}\t\t\t{now}\t{now}\n"
                if n % 3 == 0:  # an enterprise without a union beside every third branch
                    workers = rng.randint(3, 60)
                    yield f"N{row[0]}\tCông ty TNHH số {row[0]}\tnon_state_enterprise\t{workers}\t{workers // 3}\t{district[0]}\t\\N\t\t\t{now}\t{now}\n"

        _copy(
            "organizations_workplace",
            [
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
            ],
            workplace_lines(),
        )
        say(f"workplaces ({time.perf_counter() - started:.0f} s)")

        # --- members, periods, roles, trainings -------------------------------------------
        member_id = _next_id("members_member")
        per_branch = [
            sizes.members // branch_total + (1 if i < sizes.members % branch_total else 0) for i in range(branch_total)
        ]
        first_member = {}
        current = member_id
        for index, row in enumerate(branch_rows):
            first_member[row[0]] = (current, per_branch[index])
            current += per_branch[index]
        last_member = current - 1
        start_day = datetime.date(2005, 1, 1).toordinal()
        span = datetime.date(2024, 12, 31).toordinal() - start_day

        def joined_of(mid: int) -> datetime.date:
            return datetime.date.fromordinal(start_day + (mid * 7919) % span)

        def left_of(mid: int, joined: datetime.date) -> datetime.date | None:
            if mid % 20:
                return None
            day = joined + datetime.timedelta(days=200 + mid % 2000)
            return day if day.year <= 2024 else None

        def member_lines() -> Iterator[str]:
            for row in branch_rows:
                first, count = first_member[row[0]]
                for mid in range(first, first + count):
                    joined = joined_of(mid)
                    left = left_of(mid, joined)
                    gender = "female" if mid % 100 < 54 else "male"
                    role = "chair" if mid == first else ("executive" if mid < first + 5 else "member")
                    trained = datetime.date(2021 + mid % 4, 6, 1) if role != "member" and mid % 10 < 7 else None
                    name = f"{FAMILY[mid % 13]} {MIDDLE[mid % 8]} {GIVEN[mid % 15]}"
                    born = datetime.date(1965 + mid % 35, 1 + mid % 12, 1 + mid % 28)
                    status = "left" if left else "active"
                    yield (
                        f"{mid}\tS{mid:09d}\t{name}\t{gender}\t{born.isoformat()}\tKinh\t\\N\t\\N\t{joined.isoformat()}\t{status}\t{_d(left)}\t\t{row[0]}\t{role}\t{_d(trained)}\t{now}\t{now}\n"
                    )

        _copy(
            "members_member",
            [
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
            ],
            member_lines(),
        )
        _move_sequence("members_member")
        counts["members"] = last_member - member_id + 1
        say(f"members: {counts['members']:,} ({time.perf_counter() - started:.0f} s)")

        def period_lines() -> Iterator[str]:
            for row in branch_rows:
                first, count = first_member[row[0]]
                for mid in range(first, first + count):
                    joined = joined_of(mid)
                    yield f"{mid}\t{row[0]}\t{joined.isoformat()}\t{_d(left_of(mid, joined))}\t\n"

        _copy("members_membershipperiod", ["member_id", "branch_id", "start_on", "end_on", "note"], period_lines())
        say(f"membership periods ({time.perf_counter() - started:.0f} s)")

        def role_lines() -> Iterator[str]:
            for row in branch_rows:
                first, count = first_member[row[0]]
                for mid in range(first, min(first + 5, first + count)):
                    joined = joined_of(mid)
                    role = "chair" if mid == first else "executive"
                    yield f"{mid}\t{row[0]}\t{role}\t{joined.isoformat()}\t{_d(left_of(mid, joined))}\n"

        _copy("members_memberrole", ["member_id", "branch_id", "role", "start_on", "end_on"], role_lines())

        def training_lines() -> Iterator[str]:
            for row in branch_rows:
                first, count = first_member[row[0]]
                for mid in range(first, min(first + 5, first + count)):
                    if mid % 10 < 7:
                        yield f"{mid}\tTập huấn nghiệp vụ công tác công đoàn\t{datetime.date(2021 + mid % 4, 6, 1).isoformat()}\tLĐLĐ huyện\n"

        _copy("members_training", ["member_id", "course", "trained_on", "organizer"], training_lines())
        say(f"roles and trainings ({time.perf_counter() - started:.0f} s)")

        # --- reported figures ----------------------------------------------------------------
        periods = [ReportingPeriod.get_or_create_for(str(year)) for year in YEARS]
        periods += [ReportingPeriod.get_or_create_for(f"{year}-H1") for year in YEARS]
        elements = {e.code: e.pk for e in DataElement.objects.all()}
        grades = ["excellent", "good", "good", "good", "done", "good", "excellent", "good", "good", "failed"]

        def value_lines() -> Iterator[str]:
            for period in periods:
                annual = period.half is None
                for row in branch_rows:
                    oid = row[0]
                    salt = oid * 31 + period.year
                    if annual:
                        yield f"{elements['rating_1294']}\t{oid}\t{period.pk}\t\\N\t\\N\t{grades[salt % 10]}\t1\t{now}\n"
                        for offset, code in enumerate(
                            ("workers_conference", "legal_consultation", "mutual_aid_fund", "womens_committee")
                        ):
                            yes = "t" if (salt + offset) % 10 < 9 else "f"
                            yield f"{elements[code]}\t{oid}\t{period.pk}\t\\N\t{yes}\t\t1\t{now}\n"
                    yield f"{elements['party_introductions']}\t{oid}\t{period.pk}\t{salt % 3}\t\\N\t\t1\t{now}\n"
                for district in district_rows:
                    if annual:
                        yield f"{elements['union_houses']}\t{district[0]}\t{period.pk}\t{district[0] % 7 + 2}\t\\N\t\t1\t{now}\n"

        _copy(
            "indicators_datavalue",
            ["element_id", "organization_id", "period_id", "number", "boolean", "choice", "version", "updated_at"],
            value_lines(),
        )
        say(f"reported figures ({time.perf_counter() - started:.0f} s)")

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    counts["seconds"] = round(time.perf_counter() - started)
    return counts
