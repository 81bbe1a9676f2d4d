"""A synthetic national dataset for the benchmarks, loaded with PostgreSQL's COPY.

At scale 1: the confederation, 34 provinces, 700 upper-level unions, 135,000 base
unions, 11 million members with their membership periods, officers with roles and
trainings, a workplace per branch plus enterprises without a union, and five years
(2020–2024) of reported figures. `scale` shrinks everything below the provinces
for quick runs. Deterministic: the same scale gives the same data.

`nation.plan` decides every body's id, path and code and every member's id before a row
is written; then each of STEPS generates one or two tables' rows in Python and streams them
to COPY through a file-like object, so memory stays flat whatever the scale. Ids are
assigned here (and the sequences moved past them) so child rows can point at their
parents without a round trip.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.db import connection, transaction

from organizations.models import Organization
from unionportal.acting import paused as audit_paused

from . import steps
from .nation import Nation, plan

# In this order: each step's rows point at the rows of the steps before it.
STEPS: list[Callable[[Nation], str]] = [
    steps.organizations,
    steps.workplaces,
    steps.members,
    steps.membership_periods,
    steps.roles_and_trainings,
    steps.figures,
]


def build(scale: float = 1.0, *, say: Callable[[str], None] = print) -> dict[str, int]:
    """Load the dataset into an empty hierarchy (no organization may exist yet)."""
    if connection.vendor != "postgresql":
        raise RuntimeError("The synthetic dataset is loaded with COPY: run it on PostgreSQL.")
    if Organization.objects.exists():
        raise RuntimeError("The database already has organizations: build the dataset in an empty database.")
    started = time.perf_counter()
    # Machine-made data is not anyone's work: the audit trail would only double the load.
    with transaction.atomic(), audit_paused():
        nation = plan(scale)
        for step in STEPS:
            done = step(nation)
            say(f"{done} ({time.perf_counter() - started:.0f} s)")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {
        "organizations": len(nation.bodies),
        "members": nation.member_count,
        "seconds": round(time.perf_counter() - started),
    }
