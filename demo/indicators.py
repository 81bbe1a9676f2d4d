"""Demo reported data for 2018–2024 and the workflow state of each period.

Figures are drawn from one seeded random generator per organization, element and
period, tuned per element so the seed programs end up with a mix of targets met and
missed. Every period up to the first half of 2024 is submitted and accepted; the
2024 annual period is open (some Quang Bình branches still have empty cells), so the
data-entry grid and the submit–accept workflow can be tried on it.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal
from typing import TextIO

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from indicators.models import (
    DataElement,
    DataValue,
    Frequency,
    ReportingPeriod,
    Submission,
    SubmissionEvent,
    SubmissionStatus,
    ValueType,
)
from organizations.models import Level, Organization, OrganizationStatus, Workplace

from .periods import saved_period

YEARS = range(2018, 2025)
OPEN_PERIOD = "2024"
# Quang Bình branches whose 2024 cells are left empty, for the data-entry journey.
EMPTY_IN_OPEN_PERIOD = 10

# The chance of "yes" for each yes/no element, and of "good or better" for ratings.
YES = {
    "workers_conference": 0.97,
    "coordination_rules": 0.99,
    "health_checkups": 0.95,
    "legal_consultation": 0.92,
    "mutual_aid_fund": 0.85,
    "staff_training_support": 1.0,
    "chair_briefed": 1.0,
    "womens_committee_eligible": 0.6,
    "womens_committee": 0.92,
    "collective_agreement": 0.72,
    "finance_inspected": 0.95,
}
GRADES_1294 = [("excellent", 0.30), ("good", 0.675), ("done", 0.02), ("failed", 0.005)]
GRADES_UPPER = [("excellent", 0.3), ("good", 0.6), ("done", 0.1)]
GRADES_STRONG = [("strong_excellent", 0.25), ("strong", 0.5), ("fair", 0.18), ("average", 0.05), ("weak", 0.02)]


def _rng(*parts) -> random.Random:
    return random.Random("|".join(str(p) for p in parts))


def _pick(rng: random.Random, weighted: list[tuple[str, float]]) -> str:
    roll, total = rng.random(), 0.0
    for code, weight in weighted:
        total += weight
        if roll < total:
            return code
    return weighted[-1][0]


def _numbers(org: Organization, period: ReportingPeriod, workers: int) -> dict[str, Decimal]:
    """The numeric figures of one body for one period, consistent with each other."""
    rng = _rng("numbers", org.code, period.code)
    year_index = period.year - 2018
    values: dict[str, int] = {}
    if org.level.code == Level.BASE:
        total = max(workers, 5)
        member_rate = rng.uniform(0.97, 1.0) if org.sector in ("hcsn", "school") else rng.uniform(0.88, 0.99)
        values["workers_total"] = total
        values["workers_members"] = round(total * member_rate)
        values["workers_informed"] = round(total * rng.uniform(0.74, 0.97))
        values["workers_studying"] = round(total * min(0.55 + 0.025 * year_index + rng.uniform(-0.05, 0.05), 1))
        half = rng.choice([0, 0, 1, 1, 1, 2])
        values["party_introductions"] = half if not period.is_annual else half + rng.choice([0, 0, 1, 1, 2])
    elif org.level.code == Level.UPPER:
        houses_h1 = rng.randint(4, 12)
        values["union_houses"] = houses_h1 if not period.is_annual else houses_h1 + rng.randint(10, 22)
        values["semi_staff_total"] = 15
        values["semi_staff_members"] = min(15, 11 + year_index // 2 + rng.randint(0, 1))
        officers = rng.randint(4, 8)
        values["full_time_officers"] = officers
        values["full_time_officers_qualified"] = officers - rng.choice([0, 0, 0, 1])
        total_spend = rng.randint(400, 900) * 1_000_000
        values["total_spend"] = total_spend
        values["training_spend"] = round(total_spend * rng.uniform(0.12, 0.18) / 1000) * 1000
        estimate = rng.randint(10, 30) * 100_000_000
        values["collection_estimate"] = estimate
        values["collection_actual"] = round(estimate * rng.uniform(0.96, 1.1) / 1000) * 1000
    elif org.level.code == Level.PROVINCIAL:
        revenue = rng.randint(20, 40) * 1_000_000_000
        values["revenue_total"] = revenue
        values["revenue_economic"] = round(revenue * rng.uniform(0.016, 0.034) / 1000) * 1000
    return {code: Decimal(value) for code, value in values.items()}


def _value(element: DataElement, org: Organization, period: ReportingPeriod, numbers: dict) -> dict | None:
    rng = _rng(element.code, org.code, period.code)
    if element.value_type in (ValueType.NUMBER, ValueType.MONEY):
        number = numbers.get(element.code)
        return None if number is None else {"number": number}
    if element.value_type == ValueType.BOOLEAN:
        return {"boolean": rng.random() < YES.get(element.code, 0.9)}
    grades = {"rating_1294": GRADES_1294, "rating_upper": GRADES_UPPER, "rating_strong": GRADES_STRONG}
    return {"choice": _pick(rng, grades[element.code])}


def _periods() -> list[ReportingPeriod]:
    periods = []
    for year in YEARS:
        periods.append(saved_period(f"{year}-H1"))
        periods.append(saved_period(str(year)))
    return periods


def _load_values(periods: list[ReportingPeriod]) -> int:
    elements = list(DataElement.objects.select_related("level"))
    organizations = list(
        Organization.objects.filter(status=OrganizationStatus.ACTIVE)
        .exclude(level__code=Level.BELOW_BASE)
        .select_related("level")
    )
    workers = dict(Workplace.objects.filter(branch__isnull=False).values_list("branch_id", "worker_count"))
    existing = set(DataValue.objects.values_list("element_id", "organization_id", "period_id"))
    skipped = {
        o.pk
        for o in sorted(
            (o for o in organizations if o.code.startswith("HG-QB-") and o.level.code == Level.BASE),
            key=lambda o: o.code,
        )[-EMPTY_IN_OPEN_PERIOD:]
    }
    rows = []
    for org in organizations:
        for period in periods:
            if org.founded_on and org.founded_on > period.end_on:
                continue
            if period.code == OPEN_PERIOD and org.pk in skipped:
                continue
            numbers = _numbers(org, period, workers.get(org.pk, 20))
            for element in elements:
                if not element.applies_to(org) or not element.collected_in(period):
                    continue
                if period.kind == "half" and element.frequency != Frequency.SEMIANNUAL:
                    continue
                if (element.pk, org.pk, period.pk) in existing:
                    continue
                fields = _value(element, org, period, numbers)
                if fields is not None:
                    rows.append(DataValue(element=element, organization=org, period=period, **fields))
    DataValue.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


# The demo accounts that submit and review: a district's staff submit, its province's officer accepts.
STAFF = {"HG-QB": "quangbinh", "BP-PR": "phurieng", "HG": "hagiang", "DL": "daklak", "QT": "quangtri", "VN": "tw"}


def _load_workflow(periods: list[ReportingPeriod]) -> int:
    users = {u.username: u for u in get_user_model().objects.filter(username__in=[*STAFF.values(), "admin"])}
    account = {
        path: users.get(STAFF[code], users.get("admin"))
        for code, path in Organization.objects.filter(code__in=STAFF).values_list("code", "path")
    }
    units = list(
        Organization.objects.filter(status=OrganizationStatus.ACTIVE, level__code__in=[Level.UPPER, Level.PROVINCIAL])
        .select_related("level")
        .order_by("-depth", "code")
    )
    existing = set(Submission.objects.values_list("organization_id", "period_id"))
    created = 0
    for period in periods:
        if period.code == OPEN_PERIOD:
            continue
        for unit in units:
            if (unit.pk, period.pk) in existing or (unit.founded_on and unit.founded_on > period.end_on):
                continue
            parent_path = unit.path[: -Organization.steplen]
            submitter = account.get(unit.path) or users.get("admin")
            reviewer = account.get(parent_path) or users.get("admin")
            submitted = timezone.make_aware(datetime.datetime.combine(period.end_on, datetime.time(9)))
            submitted += datetime.timedelta(days=_rng("late", unit.code, period.code).randint(3, 20))
            decided = submitted + datetime.timedelta(days=3)
            submission = Submission.objects.create(
                organization=unit,
                period=period,
                status=SubmissionStatus.ACCEPTED,
                submitted_at=submitted,
                decided_at=decided,
            )
            SubmissionEvent.objects.create(submission=submission, action="submit", by=submitter)
            SubmissionEvent.objects.create(submission=submission, action="accept", by=reviewer)
            # `at` is set on creation; the demo dates the events when they would have happened.
            SubmissionEvent.objects.filter(submission=submission, action="submit").update(at=submitted)
            SubmissionEvent.objects.filter(submission=submission, action="accept").update(at=decided)
            created += 1
    return created


@transaction.atomic
def load(*, password: str, stdout: TextIO | None = None) -> None:
    periods = _periods()
    values = _load_values(periods)
    submissions = _load_workflow(periods)
    if stdout is not None:
        stdout.write(
            _("Reported figures: %(values)s new; submissions: %(submissions)s new.")
            % {"values": values, "submissions": submissions}
        )
