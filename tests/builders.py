"""A builder for program → indicator → target trees, reported data and members, for the indicator tests."""

from __future__ import annotations

import datetime
import itertools
from decimal import Decimal

from indicators.models import DataElement, DataValue, Indicator, ReportingPeriod, Target, ValueType
from indicators.periods import period_open
from members.models import BranchRole, Member, MemberRole, MembershipPeriod, Training
from organizations.models import Level, Organization
from programs.models import Program

_seq = itertools.count(1)

RATING_1294 = [
    {"code": "excellent", "label": "Hoàn thành xuất sắc nhiệm vụ", "rank": 4},
    {"code": "good", "label": "Hoàn thành tốt nhiệm vụ", "rank": 3},
    {"code": "done", "label": "Hoàn thành nhiệm vụ", "rank": 2},
    {"code": "failed", "label": "Không hoàn thành nhiệm vụ", "rank": 1},
]


def period(code: str) -> ReportingPeriod:
    return period_open(code=code)


def program(scope: Organization, *, start: int = 2021, end: int = 2025, code: str | None = None) -> Program:
    return Program.objects.create(
        code=code or f"P{next(_seq)}",
        kind="program",
        title="Chương trình thử",
        issuer=scope,
        issuer_name=scope.name,
        start_year=start,
        end_year=end,
        scope=scope,
    )


def element(code: str, value_type: str = ValueType.NUMBER, *, level: str = Level.BASE, **extra) -> DataElement:
    element, _created = DataElement.objects.get_or_create(
        code=code,
        defaults={
            "name": code,
            "short_name": code,
            "value_type": value_type,
            "level": Level.objects.get(code=level),
            "choices": RATING_1294 if value_type == ValueType.CHOICE else [],
            **extra,
        },
    )
    return element


def indicator(prog: Program, measure: str, **fields) -> Indicator:
    fields.setdefault("code", f"I{next(_seq)}")
    fields.setdefault("name", fields["code"])
    if isinstance(fields.get("target_value"), int | float | str):
        fields["target_value"] = Decimal(str(fields["target_value"]))
    return Indicator.objects.create(program=prog, measure=measure, **fields)


def target(ind: Indicator, organization: Organization, value, *, year: int | None = None, comparison: str = "gte"):
    return Target.objects.create(
        indicator=ind, organization=organization, year=year, comparison=comparison, value=Decimal(str(value))
    )


def report(element_: DataElement, organization: Organization, period_: ReportingPeriod, value) -> DataValue:
    fields: dict = {}
    if element_.value_type == ValueType.BOOLEAN:
        fields["boolean"] = bool(value)
    elif element_.value_type == ValueType.CHOICE:
        fields["choice"] = value
    else:
        fields["number"] = Decimal(str(value))
    return DataValue.objects.create(element=element_, organization=organization, period=period_, **fields)


def member(
    branch: Organization,
    *,
    joined: datetime.date = datetime.date(2015, 1, 1),
    gender: str = "male",
    role: str = BranchRole.MEMBER,
    role_from: datetime.date | None = None,
    trained: datetime.date | None = None,
    left: datetime.date | None = None,
) -> Member:
    """A member written straight to the tables (the indicator tests do not test the member services)."""
    m = Member.objects.create(
        card_number=f"C{next(_seq):07d}",
        full_name="Nguyễn Văn Thử",
        gender=gender,
        joined_on=joined,
        branch=branch,
        role=role,
        last_trained_on=trained,
        status="left" if left else "active",
        status_changed_on=left,
    )
    MembershipPeriod.objects.create(member=m, branch=branch, start_on=joined, end_on=left)
    if role != BranchRole.MEMBER:
        MemberRole.objects.create(member=m, branch=branch, role=role, start_on=role_from or joined, end_on=left)
    if trained:
        Training.objects.create(member=m, course="Tập huấn nghiệp vụ", trained_on=trained)
    return m


def save_figure(element_code: str, organization: Organization, value: str, user, *, period_code: str = "2024") -> None:
    """A figure typed in the grid: through the service, so its plausibility warnings are raised as on the page."""
    from indicators.entry.services import data_value_save

    data_value_save(
        element=DataElement.objects.get(code=element_code),
        organization=organization,
        period=period(period_code),
        raw=value,
        by=user,
    )


def task_status(section, organization: Organization, period_: ReportingPeriod, by, *, status="done", result=""):
    """A responsible body's status (and result) of a task for a period, through the service."""
    from indicators.tasks.services import task_report_save

    return task_report_save(
        section=section, organization=organization, period=period_, status=status, result=result, by=by
    )


def rating_and_fund_indicators(prog: Program, rating: DataElement, fund: DataElement) -> tuple[Indicator, Indicator]:
    """4.1, the share of branches rated good or better (≥ 90 %), and 4.2, those with a mutual-aid fund (≥ 80 %)."""
    good = indicator(
        prog,
        "organizations_share",
        code="4.1",
        name="CĐCS hoàn thành tốt nhiệm vụ trở lên",
        unit="%",
        element=rating,
        min_choice="good",
        target_value=90,
    )
    funds = indicator(
        prog, "organizations_share", code="4.2", name="CĐCS có quỹ giúp nhau", unit="%", element=fund, target_value=80
    )
    return good, funds


def tasks_recorded(organization: Organization, period_: ReportingPeriod, by, *, status="in_progress") -> None:
    """Every task the body must record before it submits the period (the demo leaves one open), recorded."""
    from indicators.tasks.services import task_report_save
    from indicators.workflow.selectors import tasks_unrecorded

    for task in tasks_unrecorded(organization, period_):
        task_report_save(
            section=task.section, organization=task.organization, period=period_, status=status, result="", by=by
        )
