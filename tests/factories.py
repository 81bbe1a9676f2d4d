"""Factories for every test, in one place.

The standard cast (see `cast` in conftest.py): a province with two districts; an
owner (upper-level staff of district A), a colleague with read-only rights in the
same district, and an outsider working in the sibling district B.
"""

from __future__ import annotations

import datetime
import itertools

from django.contrib.auth import get_user_model

from organizations import services
from organizations.models import Level, Organization, Sector, Workplace, WorkplaceKind

PASSWORD = "correct-horse-battery-staple"
_codes = itertools.count(1)


def level(code: str) -> Level:
    return Level.objects.get(code=code)


def make_organization(
    parent: Organization | None = None,
    *,
    code: str | None = None,
    name: str | None = None,
    level_code: str | None = None,
    sector: str = "",
    founded_on: datetime.date | None = datetime.date(2015, 1, 1),
) -> Organization:
    code = code or f"T{next(_codes):05d}"
    lvl = level(level_code) if level_code else None
    if parent is None and lvl is None:
        lvl = level(Level.NATIONAL)
    if (lvl and lvl.code == Level.BASE or (lvl is None and parent and parent.level.code == Level.UPPER)) and not sector:
        sector = Sector.ADMINISTRATION
    return services.organization_create(
        parent=parent,
        code=code,
        name=name or f"Tổ chức {code}",
        level=lvl,
        sector=sector,
        founded_on=founded_on,
    )


def make_branch(parent: Organization, *, sector: str = Sector.ADMINISTRATION, **kwargs) -> Organization:
    return make_organization(parent, level_code=Level.BASE, sector=sector, **kwargs)


def make_workplace(
    upper_union: Organization,
    *,
    code: str | None = None,
    kind: str = WorkplaceKind.NON_STATE_ENTERPRISE,
    workers: int = 10,
    female: int = 0,
    branch: Organization | None = None,
    name: str | None = None,
) -> Workplace:
    code = code or f"W{next(_codes):05d}"
    return services.workplace_create(
        code=code,
        name=name or f"Đơn vị {code}",
        kind=kind,
        worker_count=workers,
        female_worker_count=female,
        upper_union=upper_union,
        branch=branch,
    )


def make_user(
    username: str | None = None, *, organization: Organization | None = None, role: str | None = None, **extra
):
    User = get_user_model()
    username = username or f"user{next(_codes)}"
    user = User.objects.create_user(username=username, password=PASSWORD, **extra)
    if organization is not None and role is not None:
        services.assignment_create(user=user, organization=organization, role=role)
    return user


# --- members ------------------------------------------------------------------------------------


def make_member(branch: Organization, **kwargs):
    """A member admitted through member_create: by default a man who joined on 01/03/2018."""
    from members import services as member_services
    from members.models import Gender

    number = next(_codes)
    fields = {
        "card_number": f"TV{number:08d}",
        "full_name": f"Nguyễn Văn Thử {number}",
        "gender": Gender.MALE,
        "date_of_birth": datetime.date(1990, 5, 17),
        "joined_on": datetime.date(2018, 3, 1),
    }
    fields.update(kwargs)
    return member_services.member_create(branch=branch, **fields)


def restore_migration_rows() -> None:
    """Put back what the data migrations write (the levels, the catalogue of figures).

    A transactional test (a live server, two connections) ends with a flush of every table,
    these rows included; both loaders update or create, so a second call changes nothing.
    A new data migration that tests rely on belongs here too.
    """
    import importlib

    from django.apps import apps

    importlib.import_module("organizations.migrations.0002_levels").create_levels(apps, None)
    importlib.import_module("indicators.migrations.0005_catalogue").load(apps, None)
    importlib.import_module("indicators.migrations.0008_plausibility").load(apps, None)
