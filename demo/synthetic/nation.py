"""The plan of the synthetic nation: every body's id, path, code and name, and every member's id.

Nothing is written here: the steps turn the plan into rows. The ids start after the
largest id of each table, read once, so a row can name its parent without asking the
database.
"""

from __future__ import annotations

import datetime
import itertools
import random
from dataclasses import dataclass

from django.db import connection

from organizations.models import Level, Organization

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
SECTORS = ["hcsn", "school", "state_enterprise", "non_state_enterprise", "cooperative"]
SECTOR_WEIGHTS = [0.33, 0.30, 0.07, 0.25, 0.05]
FOUNDED = datetime.date(2010, 1, 1)  # every body above the branches


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


def path_step(n: int) -> str:
    """The n-th step of a materialized path (treebeard's base 36, `Organization.steplen` digits)."""
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


def next_id(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")  # noqa: S608 - table names are constants here
        return cursor.fetchone()[0]


@dataclass
class Body:
    """One union body: a row of organizations_organization."""

    id: int
    path: str
    depth: int
    children: int
    code: str
    name: str
    level: str
    sector: str = ""
    district: int = -1  # a branch's upper-level union: its index in Nation.districts

    @property
    def founded_on(self) -> datetime.date:
        if self.level != "base":
            return FOUNDED
        return datetime.date(2010 + self.id % 15, 1 + self.id % 12, 1)


@dataclass
class Nation:
    sizes: Sizes
    rng: random.Random  # drawn from by the plan, then by the workplaces step, in that order
    levels: dict[str, int]  # level code -> id
    national: Body
    provinces: list[Body]
    districts: list[Body]
    branches: list[Body]
    members: list[range]  # the member ids of each branch, in the order of `branches`

    @property
    def bodies(self) -> list[Body]:
        """Every body, parents before children."""
        return [self.national, *self.provinces, *self.districts, *self.branches]

    @property
    def member_count(self) -> int:
        return sum(len(ids) for ids in self.members)


def _member_ids(first: int, members: int, branches: int) -> list[range]:
    """The members spread evenly over the branches, with consecutive ids."""
    ranges = []
    for index in range(branches):
        count = members // branches + (1 if index < members % branches else 0)
        ranges.append(range(first, first + count))
        first += count
    return ranges


def plan(scale: float) -> Nation:
    sizes = Sizes.at(scale)
    rng = random.Random(f"synthetic-{scale}")
    ids = itertools.count(next_id("organizations_organization"))
    national = Body(next(ids), path_step(1), 1, sizes.provinces, "VN", "Tổng Liên đoàn Lao động Việt Nam", "national")
    provinces: list[Body] = []
    districts: list[Body] = []
    for p in range(sizes.provinces):
        province_districts = sizes.districts // sizes.provinces + (1 if p < sizes.districts % sizes.provinces else 0)
        province = Body(
            next(ids),
            national.path + path_step(p + 1),
            2,
            province_districts,
            f"T{p + 1:02d}",
            f"LĐLĐ tỉnh Tổng hợp {p + 1}",
            "provincial",
        )
        provinces.append(province)
        for d in range(province_districts):
            districts.append(
                Body(
                    next(ids),
                    province.path + path_step(d + 1),
                    3,
                    0,
                    f"T{p + 1:02d}-H{d + 1:02d}",
                    f"LĐLĐ huyện {d + 1} tỉnh {p + 1}",
                    "upper",
                )
            )
    branches: list[Body] = []
    for index, (district, count) in enumerate(
        zip(districts, district_sizes(sizes.branches, len(districts)), strict=True)
    ):
        district.children = count
        for b in range(count):
            sector = rng.choices(SECTORS, SECTOR_WEIGHTS)[0]
            branches.append(
                Body(
                    next(ids),
                    district.path + path_step(b + 1),
                    4,
                    0,
                    f"{district.code}-{b + 1:04d}",
                    f"CĐCS đơn vị {b + 1} {district.name[5:]}",
                    "base",
                    sector,
                    index,
                )
            )
    return Nation(
        sizes=sizes,
        rng=rng,
        levels=dict(Level.objects.values_list("code", "pk")),
        national=national,
        provinces=provinces,
        districts=districts,
        branches=branches,
        members=_member_ids(next_id("members_member"), sizes.members, len(branches)),
    )
