"""Demo data for the organizations app: the hierarchy of the seeds, their workplaces and the demo users.

`load()` is idempotent: it looks organizations and workplaces up by code and creates only
what is missing, so `make run` can call it on every start. Everything is written through
the services, so the tree, its restructuring record and the validation are the real ones.

The figures are deterministic (one `random.Random` per upper-level union, seeded with its
code), so a dashboard shows the same numbers on every machine. Quang Bình follows seed 000:
87 CĐCS (42 administration and public service, 44 schools, 1 cooperative), whose workplaces
employed 2,358 people, 1,273 of them women, at the program's baseline (end of 2020) and a few
percent more today, and fifteen enterprises with five or more workers and no union yet.
Quảng Trị's three districts founded 40 new branches in 2021 (seed 004: 30–35 a year).
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterable
from typing import TextIO

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils.translation import gettext as _

from organizations import services
from organizations.models import ENTERPRISE_KINDS, Level, Organization, Sector, Workplace, WorkplaceKind

from .data.organizations import (
    DISTRICTS,
    KIND_OF_SECTOR,
    NATIONAL,
    PREFIXES,
    PROVINCES,
    PUBLIC_SERVICE_WORDS,
    QUANG_BINH,
    QUANG_BINH_FEMALE_WORKERS,
    QUANG_BINH_WORKERS,
    SEED,
    SIZE_BY_KIND,
    SIZE_BY_NAME,
    USERS,
    District,
    OrganizationSpec,
    WorkplaceSpec,
    _bare,
)


def _day(rng: random.Random, after: datetime.date, until: datetime.date = datetime.date(2020, 12, 31)) -> datetime.date:
    return after + datetime.timedelta(days=rng.randint(0, (until - after).days))


def _size(name: str, kind: str, rng: random.Random) -> list[int]:
    workers, share = next(
        ((workers, share) for word, workers, share in SIZE_BY_NAME if word in name), SIZE_BY_KIND[kind]
    )
    count = rng.randint(*workers)
    return [count, round(count * rng.uniform(*share))]


def _kind(name: str, sector: str) -> str:
    if sector == Sector.ADMINISTRATION and any(word in name for word in PUBLIC_SERVICE_WORDS):
        return WorkplaceKind.PUBLIC_SERVICE
    return KIND_OF_SECTOR[sector]


def _commune(name: str, district: District, rng: random.Random) -> str:
    """Where a workplace is: the seat for the district's own bodies, else the commune its name
    mentions, else anywhere in the district."""
    district_name = district.place.split(",")[0].removeprefix("huyện ").removeprefix("thành phố ")
    if "huyện" in name or "thành phố" in name or district_name in name:
        return district.communes[0]
    for commune in district.communes:
        if commune in name:
            return commune
    for commune in district.communes:
        if len(_bare(commune)) > 3 and _bare(commune) in name:
            return commune
    return rng.choice(district.communes)


def _fit(sizes: list[list[int]], *, workers: int, female: int) -> None:
    """Scale [workers, female] pairs to add up to the given totals, keeping their proportions;
    then spread what rounding left over, one by one."""
    for index, total in ((0, workers), (1, female)):
        ratio = total / sum(size[index] for size in sizes)
        for size in sizes:
            size[index] = round(size[index] * ratio)
            size[1] = min(size[1], size[0])
        turn = 0
        while (gap := total - sum(size[index] for size in sizes)) != 0:
            size = sizes[turn % len(sizes)]
            new = size[index] + (1 if gap > 0 else -1)
            if (index == 0 and max(size[1], 5) <= new) or (index == 1 and 0 <= new <= size[0]):
                size[index] = new
            turn += 1
            if turn > 100 * len(sizes):
                raise ValueError(f"cannot spread {total} over {len(sizes)} workplaces")


def _district_specs(district: District) -> tuple[list[OrganizationSpec], list[WorkplaceSpec]]:
    rng = random.Random(f"{SEED}:{district.code}")
    organizations: list[OrganizationSpec] = []
    workplaces: list[WorkplaceSpec] = []
    branch_sizes: list[list[int]] = []
    # Ten digits like a real tax code; the district's place in DISTRICTS keeps them unique.
    tax_codes = iter(rng.sample(range(1_000, 10_000), 100))
    district_number = DISTRICTS.index(district) + 11

    def tax_code() -> str:
        return f"{district.tax_prefix}{district_number:02d}{next(tax_codes)}"

    groups = [
        (Sector.ADMINISTRATION, district.administration),
        (Sector.SCHOOL, district.schools),
        (Sector.STATE_ENTERPRISE, district.state),
        (Sector.NON_STATE_ENTERPRISE, district.non_state),
        (Sector.COOPERATIVE, district.cooperatives),
    ]
    numbers = dict.fromkeys(PREFIXES.values(), 0)
    for sector, names in groups:
        for raw_name in names:
            fdi = raw_name.startswith("FDI:")
            name = raw_name.removeprefix("FDI:")
            prefix = PREFIXES[sector]
            numbers[prefix] += 1
            code = f"{district.code}-{prefix}{numbers[prefix]:02d}"
            kind = WorkplaceKind.FDI_ENTERPRISE if fdi else _kind(name, sector)
            address = f"{_commune(name, district, rng)}, {district.place}"
            organizations.append(
                OrganizationSpec(
                    code=code,
                    name=f"CĐCS {name}",
                    level=Level.BASE,
                    parent=district.code,
                    sector=sector,
                    founded_on=_day(rng, district.founded_on),
                    address=address,
                )
            )
            size = _size(name, kind, rng)
            branch_sizes.append(size)
            workplaces.append(
                WorkplaceSpec(
                    code=f"DV-{code}",
                    name=name,
                    kind=kind,
                    worker_count=size[0],
                    female_worker_count=size[1],
                    upper_union=district.code,
                    branch=code,
                    address=address,
                    tax_code=tax_code() if kind in ENTERPRISE_KINDS else "",
                )
            )
    if district.code == QUANG_BINH.code:
        _fit(branch_sizes, workers=QUANG_BINH_WORKERS, female=QUANG_BINH_FEMALE_WORKERS)
        _grow(workplaces, branch_sizes)

    for name, kind, workers in district.without_union:
        number = tax_code()
        workplaces.append(
            WorkplaceSpec(
                code=number,
                name=name,
                kind=kind,
                worker_count=workers,
                female_worker_count=round(workers * rng.uniform(*SIZE_BY_KIND[kind][1])),
                upper_union=district.code,
                address=f"{_commune(name, district, rng)}, {district.place}",
                tax_code=number,
            )
        )
    # Last, so that the random draws above (and every figure made of them) stay as they were.
    later_organizations, later_workplaces = _founded_later(district, rng, numbers, tax_code)
    return organizations + later_organizations, workplaces + later_workplaces


def _founded_later(
    district: District, rng: random.Random, numbers: dict[str, int], tax_code
) -> tuple[list[OrganizationSpec], list[WorkplaceSpec]]:
    """The district's branches founded in a given year (an enterprise, or a cooperative by its name)."""
    organizations: list[OrganizationSpec] = []
    workplaces: list[WorkplaceSpec] = []
    for year, name in district.founded_later:
        sector = Sector.COOPERATIVE if name.startswith("Hợp tác xã") else Sector.NON_STATE_ENTERPRISE
        prefix = PREFIXES[sector]
        numbers[prefix] += 1
        code = f"{district.code}-{prefix}{numbers[prefix]:02d}"
        kind = KIND_OF_SECTOR[sector]
        address = f"{_commune(name, district, rng)}, {district.place}"
        founded_on = _day(rng, datetime.date(year, 1, 1), datetime.date(year, 12, 31))
        organizations.append(
            OrganizationSpec(
                code=code,
                name=f"CĐCS {name}",
                level=Level.BASE,
                parent=district.code,
                sector=sector,
                founded_on=founded_on,
                address=address,
            )
        )
        workers, female = _size(name, kind, rng)
        workplaces.append(
            WorkplaceSpec(
                code=f"DV-{code}",
                name=name,
                kind=kind,
                worker_count=workers,
                female_worker_count=female,
                upper_union=district.code,
                branch=code,
                address=address,
                tax_code=tax_code(),
            )
        )
    return organizations, workplaces


def _grow(workplaces: list[WorkplaceSpec], baseline: list[list[int]]) -> None:
    """Quang Bình's branches from seed 000's baseline (2.358 people, 1.273 women, at the end of 2020) to
    today: each workplace took on 3–10 % more staff in 2021–2024, as the program's recruitment drive
    asks ("kết nạp 100% số cán bộ, công chức, viên chức"); the members' plan admits them year by year."""
    for workplace, (workers, female) in zip(workplaces, baseline, strict=True):
        rng = random.Random(f"{SEED}:growth:{workplace.code}")
        grown = round(workers * rng.uniform(0.03, 0.10))
        grown_women = round(grown * female / workers) if workers else 0
        workplace.baseline_workers, workplace.baseline_women = workers, female
        workplace.worker_count, workplace.female_worker_count = workers + grown, female + grown_women


def build() -> tuple[list[OrganizationSpec], list[WorkplaceSpec]]:
    """Every organization (parents before children) and every workplace of the demo."""
    organizations = [NATIONAL]
    for code, province, founded_on in PROVINCES:
        organizations.append(
            OrganizationSpec(
                code=code,
                name=f"Liên đoàn Lao động tỉnh {province}",
                short_name=f"LĐLĐ tỉnh {province}",
                level=Level.PROVINCIAL,
                parent=NATIONAL.code,
                founded_on=founded_on,
                address=f"tỉnh {province}",
            )
        )
    for district in DISTRICTS:
        organizations.append(
            OrganizationSpec(
                code=district.code,
                name=district.name,
                short_name=district.short_name,
                level=Level.UPPER,
                parent=district.province,
                founded_on=district.founded_on,
                address=f"{district.communes[0]}, {district.place}",
            )
        )
    workplaces: list[WorkplaceSpec] = []
    for district in DISTRICTS:
        branches, district_workplaces = _district_specs(district)
        organizations += branches
        workplaces += district_workplaces
    return organizations, workplaces


# --- loading ------------------------------------------------------------------------------------


def _say(stdout: TextIO | None, message: str) -> None:
    if stdout is not None:
        stdout.write(message + "\n")


def _load_organizations(specs: Iterable[OrganizationSpec]) -> tuple[dict[str, Organization], int]:
    specs = list(specs)
    levels = {level.code: level for level in Level.objects.all()}
    organizations = {
        o.code: o for o in Organization.objects.select_related("level").filter(code__in=[spec.code for spec in specs])
    }
    created = 0
    for spec in specs:
        if spec.code in organizations:
            continue
        organizations[spec.code] = services.organization_create(
            parent=organizations[spec.parent] if spec.parent else None,
            code=spec.code,
            name=spec.name,
            short_name=spec.short_name,
            level=levels[spec.level],
            sector=spec.sector,
            founded_on=spec.founded_on,
            address=spec.address,
            record=True,
        )
        created += 1
    return organizations, created


# Who signs each body's reports by default. Invented names, for the demo only: the seeds name the
# signers of the programs, not the chairs of the unions that report on them.
EXAMPLE_CHAIRS = {
    "HG": "Hoàng Văn Minh",
    "HG-QB": "Nguyễn Thị Hằng",
    "BP": "Trần Văn Dũng",
    "BP-PR": "Lê Thị Thu",
    "DL": "Phạm Văn Hùng",
    "QT": "Võ Thị Hoa",
    "QT-DH": "Nguyễn Văn Thắng",
    "QT-VL": "Lê Văn Bình",
    "QT-HL": "Trần Thị Mai",
}


def _set_chairs(organizations: dict[str, Organization]) -> None:
    for code, name in EXAMPLE_CHAIRS.items():
        organization = organizations.get(code)
        if organization is not None and not organization.chair_name:
            services.organization_update(organization=organization, chair_name=name)


def _load_workplaces(specs: Iterable[WorkplaceSpec], organizations: dict[str, Organization]) -> int:
    specs = list(specs)
    existing = set(Workplace.objects.filter(code__in=[spec.code for spec in specs]).values_list("code", flat=True))
    created = 0
    for spec in specs:
        if spec.code in existing:
            continue
        services.workplace_create(
            code=spec.code,
            name=spec.name,
            kind=spec.kind,
            worker_count=spec.worker_count,
            female_worker_count=spec.female_worker_count,
            upper_union=organizations[spec.upper_union],
            branch=organizations[spec.branch] if spec.branch else None,
            address=spec.address,
            tax_code=spec.tax_code,
        )
        created += 1
    return created


def _load_users(password: str, organizations: dict[str, Organization]) -> tuple[int, int]:
    """Create the demo users and give every one `password`.

    Hashing is slow on purpose (about 0.3 s), so the users share one hash of the password
    and a user whose hash already matches is left alone: a second run rewrites nothing.
    """
    User = get_user_model()
    created = changed = 0
    hashed = ""
    matching: set[str] = set()  # hashes known to match `password`
    stale: set[str] = set()  # hashes known not to
    for spec in USERS:
        user, is_new = User.objects.get_or_create(
            username=spec.username,
            defaults={
                "first_name": spec.first_name,
                "last_name": spec.last_name,
                "is_staff": spec.is_superuser,
                "is_superuser": spec.is_superuser,
            },
        )
        if user.password in matching or (not is_new and user.password not in stale and user.check_password(password)):
            matching.add(user.password)
        else:
            stale.add(user.password)
            hashed = hashed or make_password(password)
            user.password = hashed
            user.save(update_fields=["password"])
            matching.add(hashed)
            created, changed = (created + 1, changed) if is_new else (created, changed + 1)
        if spec.organization and spec.role:
            services.assignment_create(user=user, organization=organizations[spec.organization], role=spec.role)
    return created, changed


@transaction.atomic
def load(*, password: str, stdout: TextIO | None = None) -> None:
    """Create what is missing of the demo hierarchy, workplaces and users; set the users' password."""
    organization_specs, workplace_specs = build()
    organizations, new_organizations = _load_organizations(organization_specs)
    _set_chairs(organizations)
    new_workplaces = _load_workplaces(workplace_specs, organizations)
    new_users, new_passwords = _load_users(password, organizations)

    _say(
        stdout,
        _("Union bodies: %(total)s, %(created)s of them new.")
        % {"total": len(organization_specs), "created": new_organizations},
    )
    _say(
        stdout,
        _("Workplaces: %(total)s, %(created)s of them new.")
        % {"total": len(workplace_specs), "created": new_workplaces},
    )
    _say(
        stdout,
        _("Accounts: %(total)s, %(created)s new, %(changed)s given a new password.")
        % {"total": len(USERS), "created": new_users, "changed": new_passwords},
    )
    for spec in USERS:
        where = organizations[spec.organization].display_name if spec.organization else _("system administrator")
        _say(stdout, f"  {spec.username:<10} {where}")
